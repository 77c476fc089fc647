import NIOCore
import NIOHTTP1

/// One complete HTTP request as a fake's routes see it.
struct FakeHTTPRequest: Sendable {
    /// The method, e.g. `.GET`.
    var method: HTTPMethod
    /// The path without the query, still percent-encoded, e.g. `/api/accessusers/scans`.
    var path: String
    /// The query parameters in order, percent-decoded, `+` read as a space (as a
    /// form-encoding query parser does).
    var query: [(name: String, value: String)]
    /// The request headers.
    var headers: HTTPHeaders
    /// The request body, empty when there was none.
    var body: ByteBuffer
    /// The connection it came on, numbered by the server from 1 in accept order (0 when the
    /// request was not read from a connection); see `FakeRoutes.connectionClosed(_:)`.
    var connection: Int

    /// Splits `uri` into path and decoded query.
    init(method: HTTPMethod, uri: String, headers: HTTPHeaders, body: ByteBuffer, connection: Int = 0) {
        self.method = method
        self.headers = headers
        self.body = body
        self.connection = connection
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(parts[0])
        query = []
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") where !pair.isEmpty {
                let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = Self.decode(nameValue[0], plusIsSpace: true)
                let value = nameValue.count == 2 ? Self.decode(nameValue[1], plusIsSpace: true) : ""
                query.append((name, value))
            }
        }
    }

    /// The first value of the query parameter `name`, if present.
    func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// The decoded path segments after `prefix`, or nil when the path is not under it.
    func segments(under prefix: String) -> [String]? {
        guard path == prefix || path.hasPrefix(prefix + "/") else { return nil }
        return path.dropFirst(prefix.count).split(separator: "/").map {
            Self.decode($0, plusIsSpace: false)
        }
    }

    /// True when the body is declared as JSON.
    var hasJSONContentType: Bool {
        headers.first(name: "content-type")?.lowercased().hasPrefix("application/json") ?? false
    }

    /// Percent-decodes `text`; a malformed escape is kept literally.
    static func decode(_ text: Substring, plusIsSpace: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+"), plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let high = hexValue(iterator[iterator.startIndex]),
                let low = hexValue(iterator[iterator.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// A fake's answer: a status and a JSON body (content type and `Date` are added by the server).
struct FakeHTTPResponse: Sendable {
    /// The status code.
    var status: HTTPResponseStatus
    /// The JSON body.
    var body: ByteBuffer
    /// Sent this long after the request was processed (a slow line back to the client):
    /// the work is done at once, only the answer waits.
    var delayMilliseconds: Int64 = 0

    /// A response with a body already serialized.
    init(status: HTTPResponseStatus = .ok, body: ByteBuffer) {
        self.status = status
        self.body = body
    }

    /// A response with a body built by a `JSONWriter`.
    init(status: HTTPResponseStatus = .ok, json: JSONWriter) {
        self.init(status: status, body: ByteBuffer(bytes: json.bytes))
    }

    /// An error in the shape both vivenu APIs use:
    /// `{"statusCode":400,"error":"Bad Request","message":"…"}`.
    static func error(_ status: HTTPResponseStatus, _ message: String) -> FakeHTTPResponse {
        var json = JSONWriter()
        json.beginObject()
        json.key("statusCode")
        json.number(Int(status.code))
        json.key("error")
        json.string(status.reasonPhrase)
        json.key("message")
        json.string(message)
        json.endObject()
        return FakeHTTPResponse(status: status, json: json)
    }
}

/// The request handling of one fake backend, served by `FakeHTTPServer`.
protocol FakeRoutes: Sendable {
    /// The path prefix all routes live under (e.g. `/api/accessusers`); request counts are
    /// kept relative to it.
    var basePath: String { get }
    /// Answers one request; runs on an event loop, so it must not block for long.
    func respond(to request: FakeHTTPRequest) -> FakeHTTPResponse
    /// Called once when connection number `connection` (`FakeHTTPRequest.connection`) has
    /// closed, whoever closed it; after its last request was answered, or while one was in hand.
    func connectionClosed(_ connection: Int)
}

extension FakeRoutes {
    /// Most fakes do not care which connection a request came on.
    func connectionClosed(_ connection: Int) {}
}
