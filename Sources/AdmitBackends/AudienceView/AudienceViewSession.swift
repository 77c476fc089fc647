import AdmitBackendCore
import AdmitCore
import Foundation
import NIOHTTP1

/// The scanning session with AudienceView Professional: logs in with username and
/// password, tracks the access token's sliding expiry (`accessTokenExpiration`, one hour
/// after the last call, by the backend's clock), renews it shortly before it lapses, and
/// logs in again after codes 5/6/17 or `forceLogout`. Errors inside HTTP 200 answers
/// become typed `BackendError`s (see `AudienceViewErrorCode`).
///
/// Requests do not wait for each other (the actor is re-entered at every `await`); only
/// logging in is done once for everyone waiting.
actor AudienceViewSession {
    private let settings: AudienceViewSettings
    private let http: BackendHTTP
    private let answers: AudienceViewAnswers
    private let context: BackendContext
    private var token: String?
    private var expiry: Timestamp?
    private var login: Task<String, any Error>?

    init(settings: AudienceViewSettings, http: BackendHTTP, context: BackendContext) {
        self.settings = settings
        self.http = http
        answers = AudienceViewAnswers(reader: http.reader)
        self.context = context
    }

    /// True while a token is held (for tests and status).
    var hasToken: Bool { token != nil }

    /// What a request came back with: the answer, or a refusal of the ticket asked about.
    enum Reply<T: Sendable>: Sendable {
        case answer(T)
        case ticketRefused(AudienceViewErrorCode)
    }

    /// Sends a scanning request with the current token and decodes the answer; logs in
    /// first when needed, and once more after the token was refused (codes 5 and 6).
    /// Every error code is thrown as a `BackendError`.
    func call<T: AudienceViewAnswer>(
        _ type: T.Type, _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil,
        timeoutMilliseconds: Int64, label: String
    ) async throws -> T {
        let reply = try await exchange(type, method, path, body: body, timeoutMilliseconds: timeoutMilliseconds, label: label, ticketVerdicts: false)
        guard case .answer(let answer) = reply else { preconditionFailure("ticket refusals are thrown here") }
        return answer
    }

    /// As `call`, but codes that answer for the ticket (8–14) come back as `.ticketRefused`.
    func exchange<T: AudienceViewAnswer>(
        _ type: T.Type, _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil,
        timeoutMilliseconds: Int64, label: String, ticketVerdicts: Bool
    ) async throws -> Reply<T> {
        let started = ContinuousClock.now
        var attempt = 0
        while true {
            attempt += 1
            let remaining = timeoutMilliseconds - (ContinuousClock.now - started).milliseconds
            guard remaining > 0 else {
                throw BackendError(.timeout, backend: "audienceview", request: label, message: "no answer within \(timeoutMilliseconds) ms")
            }
            let current = try await validToken(timeoutMilliseconds: remaining)
            let left = max(1, timeoutMilliseconds - (ContinuousClock.now - started).milliseconds)
            let response = try await http.send(
                method, "\(settings.baseURL)/\(path)", headers: headers(current), body: body,
                timeoutMilliseconds: left, label: label)
            let answer = try answers.answer(T.self, response, label: label)
            if let ms = answer.accessTokenExpiration, current == token { expiry = Timestamp(millisecondsSince1970: ms) }
            switch answers.outcome(of: answer, label: label, ticketVerdicts: ticketVerdicts) {
            case .answer:
                return .answer(answer)
            case .ticketRefused(let code):
                return .ticketRefused(code)
            case .failure(let failure, let endsSession, let retryAfterLogin):
                if endsSession { forget(current) }
                if retryAfterLogin, attempt == 1 { continue }
                throw failure
            }
        }
    }

    /// Ends the session (`DELETE invalidateToken`) if one is open; errors are ignored.
    func invalidate(timeoutMilliseconds: Int64) async {
        login?.cancel()
        login = nil
        guard let current = token else { return }
        token = nil
        expiry = nil
        _ = try? await http.send(
            .DELETE, "\(settings.baseURL)/invalidateToken", headers: headers(current),
            timeoutMilliseconds: timeoutMilliseconds, label: "DELETE invalidateToken")
    }

    private func headers(_ token: String) -> [(String, String)] {
        let credentials = Data("\(settings.username):\(token)".utf8).base64EncodedString()
        return [("Authorization", "Basic \(credentials)"), ("Accept", "application/json")]
    }

    private func forget(_ old: String) {
        guard token == old else { return }
        token = nil
        expiry = nil
    }

    /// The token to use now: the current one unless it lapses within the renewal margin.
    private func validToken(timeoutMilliseconds: Int64) async throws -> String {
        if let token {
            let now = context.serverNow()
            if AudienceViewAnswers.tokenIsFresh(expiry: expiry, now: now, marginMilliseconds: settings.tokenRenewalMarginMilliseconds) {
                return token
            }
            self.token = nil
        }
        if let login { return try await login.value }
        let task = Task { try await self.authenticate(timeoutMilliseconds: timeoutMilliseconds) }
        login = task
        defer { login = nil }
        return try await task.value
    }

    /// `POST authenticate` with username and password → a new token.
    private func authenticate(timeoutMilliseconds: Int64) async throws -> String {
        let label = "POST authenticate"
        let body = Array(try JSONEncoder().encode(["username": settings.username, "password": settings.password]))
        let response = try await http.send(
            .POST, "\(settings.baseURL)/authenticate", headers: [("Accept", "application/json")], body: body,
            timeoutMilliseconds: timeoutMilliseconds, label: label)
        let (fresh, expiry) = try answers.authentication(response, label: label)
        token = fresh
        self.expiry = expiry
        return fresh
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
