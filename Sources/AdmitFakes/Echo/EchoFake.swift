import NIOCore
import NIOHTTP1

/// A careless backend: it answers every request with `status` and a body that quotes the
/// request it received (method, path with query, every header, the body). Tests point an
/// adapter at it to see that a secret the request carried (a token header, a key in the
/// query, a password in the body) never reaches an error, a log line or `admitctl status`.
public final class EchoFake: Sendable {
    private let server: FakeHTTPServer

    /// An echoing backend answering with `status` (400 by default).
    public init(status: Int = 400) {
        server = FakeHTTPServer(routes: EchoRoutes(status: HTTPResponseStatus(statusCode: status)), clock: FakeClock())
    }

    /// Listens on 127.0.0.1:`port` (0 picks a free port) and returns the bound port.
    public func start(port: Int = 0) async throws -> Int { try await server.start(port: port) }

    /// Stops listening and closes every connection.
    public func stop() async throws { try await server.stop() }

    /// `http://127.0.0.1:PORT` once started.
    public var baseURL: String { "http://127.0.0.1:\(server.port ?? 0)" }

    /// Requests answered so far.
    public var requestCount: Int { server.totalRequests }
}

private struct EchoRoutes: FakeRoutes {
    let status: HTTPResponseStatus
    var basePath: String { "" }

    func respond(to request: FakeHTTPRequest) -> FakeHTTPResponse {
        var text = "\(request.method.rawValue) \(request.path)"
        if !request.query.isEmpty { text += "?" + request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&") }
        text += "\n" + request.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
        text += "\n\n" + String(buffer: request.body)
        return FakeHTTPResponse(status: status, body: ByteBuffer(string: text))
    }
}
