import AdmitCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A response from a backend: status, headers, the whole body, and the server's `Date`.
public struct BackendResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// The server's clock at the response (HTTP `Date`), when sent.
    public var date: Timestamp?
}

/// The one place Admit's adapters make HTTP requests: AsyncHTTPClient with a deadline on
/// every request, a cap on response sizes, errors turned into `BackendError`s that name
/// the backend and the request (never a secret), and every `Date` header fed to the clock.
public final class BackendHTTP: Sendable {
    private let client: HTTPClient
    private let backend: String
    private let context: BackendContext
    /// Largest response accepted (a 1000-ticket page is about 0.5 MB).
    public let maximumResponseBytes: Int

    /// A client for `backend` (used in error messages).
    public init(backend: String, context: BackendContext, maximumResponseBytes: Int = 32 << 20) {
        // The process-wide client: it needs no shutdown, so an adapter dropped in any state
        // (a reload, a failed start) can never take the daemon down. Every request carries
        // its own deadline.
        client = HTTPClient.shared
        self.backend = backend
        self.context = context
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// Sends a request and returns the whole response, whatever its status.
    /// `label` names the request in errors (no tokens in it).
    public func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeoutMilliseconds: Int64 = 30_000, label: String
    ) async throws(BackendError) -> BackendResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "User-Agent", value: "admitd")
        if let body {
            // JSON unless the adapter names another type (eventyay's form-encoded redeem).
            if !request.headers.contains(name: "Content-Type") {
                request.headers.add(name: "Content-Type", value: "application/json")
            }
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(request, timeout: .milliseconds(timeoutMilliseconds))
            let collected = try await response.body.collect(upTo: maximumResponseBytes)
            let date = response.headers.first(name: "Date").flatMap(HTTPDate.parse)
            if let date { context.observeServerTime(date) }
            return BackendResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: Array(buffer: collected), date: date)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw BackendError(.timeout, backend: backend, request: label, message: "no answer within \(timeoutMilliseconds) ms")
        } catch let error as NIOTooManyBytesError {
            throw BackendError(.malformed, backend: backend, request: label, message: "response larger than \(error.maxBytes ?? maximumResponseBytes) bytes")
        } catch {
            throw BackendError(.unreachable, backend: backend, request: label, message: "\(error)")
        }
    }

    /// Sends a request and decodes a 2xx JSON body as `T`; maps other statuses to errors.
    public func json<T: Decodable>(
        _ type: T.Type, _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [],
        body: [UInt8]? = nil, timeoutMilliseconds: Int64 = 30_000, label: String
    ) async throws(BackendError) -> T {
        let response = try await send(method, url, headers: headers, body: body, timeoutMilliseconds: timeoutMilliseconds, label: label)
        try check(response, label: label)
        return try decode(type, response.body, label: label)
    }

    /// Throws the `BackendError` a non-2xx status stands for.
    public func check(_ response: BackendResponse, label: String) throws(BackendError) {
        let snippet = String(decoding: response.body.prefix(300), as: UTF8.self)
        switch response.status {
        case 200..<300: return
        case 401, 403: throw BackendError(.unauthorized, backend: backend, request: label, message: "HTTP \(response.status): credentials refused")
        case 408, 429: throw BackendError(.serverError, backend: backend, request: label, message: "HTTP \(response.status): \(snippet)")
        case 400..<500: throw BackendError(.rejected, backend: backend, request: label, message: "HTTP \(response.status): \(snippet)")
        default: throw BackendError(.serverError, backend: backend, request: label, message: "HTTP \(response.status): \(snippet)")
        }
    }

    /// Decodes JSON, mapping failures to a `.malformed` error naming the request.
    public func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8], label: String) throws(BackendError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            let snippet = String(decoding: body.prefix(120), as: UTF8.self)
            throw BackendError(.malformed, backend: backend, request: label, message: "unreadable answer (\(error)): \(snippet)")
        }
    }

    /// Nothing to close: the shared client lives as long as the process.
    public func shutdown() async {}
}

/// HTTP dates (RFC 1123, `Sun, 06 Nov 1994 08:49:37 GMT`).
public enum HTTPDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Parses an RFC 1123 date; nil for anything else.
    public static func parse(_ text: String) -> Timestamp? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3])
        else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return ISO8601.parse("\(year)-\(two(monthIndex + 1))-\(two(day))T\(two(clock[0])):\(two(clock[1])):\(two(clock[2]))Z")
    }
}
