import AdmitBackendCore
import AdmitBackends
import AdmitCore
import Foundation
import Testing

/// What `BackendHTTP` does whatever the server does (issue 15, item 4): redirects are not
/// followed (so secrets never travel to another origin or over a downgrade), and the
/// deadline covers the body too.
@Suite(.timeLimit(.minutes(1))) struct BackendHTTPRulesTests {
    let http = BackendHTTP(backend: "test", context: BackendContext(serverNow: { nil }, observeServerTime: { _ in }), secrets: ["s3cret"])

    @Test func aRedirectIsNotFollowedAndTheSecretStaysHome() async throws {
        let elsewhere = try RawHTTPServer { _ in [("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", 0)] }
        let target = "\(elsewhere.baseURL)/steal"
        let origin = try RawHTTPServer { _ in
            [("HTTP/1.1 302 Found\r\nLocation: \(target)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 0)]
        }
        var caught: BackendError?
        do {
            let response = try await http.send(.GET, "\(origin.baseURL)/tickets", headers: [("token", "s3cret")], label: "GET tickets")
            Issue.record("a redirect came back as HTTP \(response.status)")
        } catch {
            caught = error
        }
        #expect(caught?.message.contains("redirected (HTTP 302) to \(target)") == true, "\(caught.map { "\($0)" } ?? "no error")")
        #expect(origin.requests.count == 1)
        #expect(elsewhere.requests.isEmpty, "the redirect was followed: \(elsewhere.requests)")
    }
}
