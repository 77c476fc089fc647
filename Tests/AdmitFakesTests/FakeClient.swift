import AsyncHTTPClient
import NIOCore
import NIOHTTP1

@testable import AdmitFakes

/// A reply as a test sees it.
struct Reply {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    /// The body parsed as JSON, nil when it is not JSON.
    var json: FakeJSONValue? { FakeJSONValue.parse(body) }

    /// `message` of a JSON error body.
    var message: String { json?.objectValue?["message"]?.stringValue ?? "" }

    /// The `docs` of a paged answer.
    var docs: [FakeJSONValue] { json?.objectValue?["docs"]?.arrayValue ?? [] }

    /// The `total` of a paged answer.
    var total: Int? {
        if case .number(let value)? = json?.objectValue?["total"] { Int(value) } else { nil }
    }
}

/// Real loopback HTTP requests through AsyncHTTPClient.
enum FakeClient {
    static func get(
        _ url: String, token: String? = "secret", headers: [(String, String)] = [], timeout: TimeAmount = .seconds(20)
    ) async throws -> Reply {
        try await send(.GET, url, token: token, headers: headers, body: nil, timeout: timeout)
    }

    static func post(
        _ url: String, token: String? = "secret", json: String, contentType: String? = "application/json"
    ) async throws -> Reply {
        var headers: [(String, String)] = []
        if let contentType { headers.append(("Content-Type", contentType)) }
        return try await send(.POST, url, token: token, headers: headers, body: ByteBuffer(string: json))
    }

    static func send(
        _ method: HTTPMethod, _ url: String, token: String?, headers: [(String, String)], body: ByteBuffer?,
        timeout: TimeAmount = .seconds(20)
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "token", value: token) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
    }
}

extension FakeJSONValue {
    /// The member `name` of an object as a string.
    subscript(_ name: String) -> String? { objectValue?[name]?.stringValue }
}
