import AdmitBackendCore
import AdmitCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The one place Admit's adapters make HTTP requests: AsyncHTTPClient with a deadline on
/// every request, a cap on response sizes, errors turned into `BackendError`s that name
/// the backend and the request (with the adapter's secrets blanked out), and every `Date`
/// header fed to the clock.
///
/// Redirects are never followed: a 3xx is an error naming where it pointed, so a token,
/// an API key or AudienceView's password is only ever sent to the configured origin, and
/// an `https` URL is never downgraded. The deadline is AsyncHTTPClient's: it covers the
/// request up to the answer's head; reading the body is bounded by the size cap only (a
/// deadline over the body too, tried, cancelled too late under load: open in issue 15).
public final class BackendHTTP: Sendable {
    /// The process-wide client: it is never shut down, so an adapter dropped in any state
    /// (a reload, a failed start) can never take the daemon down. Every request carries its
    /// own deadline.
    private static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    private let client: HTTPClient
    private let context: BackendContext
    /// Reads answers and words errors, blanking out the adapter's secrets.
    package let reader: AnswerReader
    /// Largest response accepted (a 1000-ticket page is about 0.5 MB).
    public let maximumResponseBytes: Int

    /// A client for `backend` (used in error messages); `secrets` never appear in an error.
    public init(backend: String, context: BackendContext, secrets: [String] = [], maximumResponseBytes: Int = 32 << 20) {
        client = Self.sharedClient
        self.context = context
        reader = AnswerReader(backend: backend, secrets: secrets)
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
        let answer: BackendResponse
        do {
            let response = try await client.execute(request, timeout: .milliseconds(timeoutMilliseconds))
            let collected = try await response.body.collect(upTo: maximumResponseBytes)
            answer = BackendResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: Array(buffer: collected), date: response.headers.first(name: "Date").flatMap(HTTPDate.parse))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw reader.error(.timeout, label, "no answer within \(timeoutMilliseconds) ms")
        } catch let error as NIOTooManyBytesError {
            throw reader.error(.malformed, label, "response larger than \(error.maxBytes ?? maximumResponseBytes) bytes")
        } catch {
            throw reader.error(.unreachable, label, "\(error)")
        }
        if (300..<400).contains(answer.status) {
            let location = answer.headers.first { $0.0.lowercased() == "location" }?.1 ?? "nowhere"
            throw reader.error(
                .unreachable, label,
                "redirected (HTTP \(answer.status)) to \(location); Admit never follows redirects: set the url to where it points")
        }
        if let date = answer.date { context.observeServerTime(date) }
        return answer
    }

    /// Sends a request and decodes a 2xx JSON body as `T`; maps other statuses to errors.
    public func json<T: Decodable>(
        _ type: T.Type, _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [],
        body: [UInt8]? = nil, timeoutMilliseconds: Int64 = 30_000, label: String
    ) async throws(BackendError) -> T {
        let response = try await send(method, url, headers: headers, body: body, timeoutMilliseconds: timeoutMilliseconds, label: label)
        return try reader.json(type, response, label: label)
    }

    /// Throws the `BackendError` a non-2xx status stands for.
    public func check(_ response: BackendResponse, label: String) throws(BackendError) {
        try reader.check(response, label: label)
    }

    /// Nothing to close: the shared client lives as long as the process.
    public func shutdown() async {}
}
