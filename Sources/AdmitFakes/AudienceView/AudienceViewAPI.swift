import AdmitCore
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// The routes of the AudienceView Professional scanning fake (base path `/public/scanning`).
///
/// - `POST /authenticate` `{"username","password"}` → `accessToken`, `accessTokenExpiration`
///   (codes 2 wrong credentials, 3 no scanning permission, 4 password expired, 15 fields missing).
/// - Every other call needs `Authorization: Basic base64(username:accessToken)`: code 1 when
///   missing or malformed, 6 for an unknown token (or another user's), 5 once it lapsed. Each
///   accepted call moves the expiry to one hour after the fake's clock (sliding).
/// - `GET /filterOptions`, `GET /cache/validTickets?clientId=&productionId=&performanceId=`,
///   `POST /cache/syncScans`, `POST /validateTicket`, `GET /validateToken`,
///   `DELETE /invalidateToken` (200, no body).
///
/// Errors are HTTP 200 with `error: true` and `errorDetails` (see `AudienceViewErrorTable`).
final class AudienceViewAPI: FakeRoutes {
    let basePath = "/public/scanning"
    let username: String
    let password: String
    let clientID: Int64
    let clientName: String
    let tokenLifetimeMilliseconds: Int64
    let clock: FakeClock
    let state = Mutex(AudienceViewFakeState())

    init(username: String, password: String, clientID: Int64, clientName: String, tokenLifetimeMilliseconds: Int64, clock: FakeClock) {
        self.username = username
        self.password = password
        self.clientID = clientID
        self.clientName = clientName
        self.tokenLifetimeMilliseconds = tokenLifetimeMilliseconds
        self.clock = clock
    }

    func respond(to request: FakeHTTPRequest) -> FakeHTTPResponse {
        guard let segments = request.segments(under: basePath) else {
            return .error(.notFound, "Cannot \(request.method.rawValue) \(request.path)")
        }
        let path = "/" + segments.joined(separator: "/")
        let now = clock.now
        if request.method == .POST, path == "/authenticate" { return authenticate(request, now: now) }
        let known: Set<String> = ["/filterOptions", "/cache/validTickets", "/cache/syncScans", "/validateTicket", "/validateToken", "/invalidateToken"]
        guard known.contains(path) else { return .error(.notFound, "Cannot \(request.method.rawValue) \(request.path)") }
        return state.withLock { state in
            let token: String
            switch session(request, now: now, state: &state) {
            case .failure(let refusal): return refusal.response
            case .success(let open): token = open
            }
            let expiration = state.sessions[token]?.expiry.millisecondsSince1970 ?? 0
            if let injected = state.takeInjected(path: path) {
                let entry = AudienceViewErrorTable.entries[injected.code]
                if injected.forceLogout ?? entry?.forceLogout ?? false { state.sessions[token] = nil }
                return AudienceViewErrorTable.response(code: injected.code, forceLogout: injected.forceLogout, expiration: expiration)
            }
            switch (request.method, path) {
            case (.GET, "/filterOptions"): return filterOptions(state: state, expiration: expiration)
            case (.GET, "/cache/validTickets"): return validTickets(request, state: state, expiration: expiration)
            case (.POST, "/cache/syncScans"): return syncScans(request, now: now, state: &state, expiration: expiration)
            case (.POST, "/validateTicket"): return validateTicket(request, state: &state, expiration: expiration)
            case (.GET, "/validateToken"):
                var json = JSONWriter()
                AudienceViewErrorTable.beginSuccess(&json, expiration: expiration)
                json.endObject()
                return FakeHTTPResponse(json: json)
            case (.DELETE, "/invalidateToken"):
                state.sessions[token] = nil
                state.invalidations += 1
                return FakeHTTPResponse(body: ByteBuffer())
            default:
                return .error(.methodNotAllowed, "\(request.method.rawValue) not allowed on \(request.path)")
            }
        }
    }

    private struct Refusal: Error {
        var response: FakeHTTPResponse
        init(_ code: Int) { response = AudienceViewErrorTable.response(code: code) }
    }

    /// The caller's open session (its expiry moved on), or the error code that refuses it.
    private func session(_ request: FakeHTTPRequest, now: Timestamp, state: inout AudienceViewFakeState) -> Result<String, Refusal> {
        guard let header = request.headers.first(name: "authorization"), header.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6))).map({ String(decoding: $0, as: UTF8.self) }),
            let colon = decoded.lastIndex(of: ":")
        else { return .failure(Refusal(1)) }
        let user = String(decoded[..<colon]), token = String(decoded[decoded.index(after: colon)...])
        guard let open = state.sessions[token], open.username == user else { return .failure(Refusal(6)) }
        guard now < open.expiry else {
            state.sessions[token] = nil
            return .failure(Refusal(5))
        }
        state.sessions[token]?.expiry = now.adding(milliseconds: tokenLifetimeMilliseconds)
        return .success(token)
    }

    private func authenticate(_ request: FakeHTTPRequest, now: Timestamp) -> FakeHTTPResponse {
        guard let fields = FakeJSONValue.parse(request.body.readableBytesView)?.objectValue,
            let user = fields["username"]?.stringValue, let secret = fields["password"]?.stringValue
        else { return AudienceViewErrorTable.response(code: 15) }
        return state.withLock { state in
            if let injected = state.takeInjected(path: "/authenticate") {
                return AudienceViewErrorTable.response(code: injected.code, forceLogout: injected.forceLogout)
            }
            guard user == username, secret == password else { return AudienceViewErrorTable.response(code: 2) }
            guard !state.passwordExpired else { return AudienceViewErrorTable.response(code: 4) }
            guard state.scanningPermission else { return AudienceViewErrorTable.response(code: 3) }
            state.tokensIssued += 1
            state.logins += 1
            let token = "\(UUID().uuidString.lowercased())-\(state.tokensIssued)"
            let expiry = now.adding(milliseconds: tokenLifetimeMilliseconds)
            state.sessions[token] = .init(username: user, expiry: expiry)
            var json = JSONWriter()
            AudienceViewErrorTable.beginSuccess(&json, expiration: expiry.millisecondsSince1970)
            json.key("accessToken")
            json.string(token)
            json.key("passwordExpiresOn")
            json.number(Int(now.adding(milliseconds: 60 * 86_400_000).millisecondsSince1970))
            json.key("daysTillPasswordExpires")
            json.number(60)
            json.endObject()
            return FakeHTTPResponse(json: json)
        }
    }

    private func filterOptions(state: AudienceViewFakeState, expiration: Int64) -> FakeHTTPResponse {
        var productions: [Int64: (name: String, performances: [Int64: Int64])] = [:]
        for ticket in state.tickets {
            productions[ticket.productionId, default: (ticket.productionName, [:])].performances[ticket.performanceId] = ticket.performanceStart
        }
        var json = JSONWriter()
        AudienceViewErrorTable.beginSuccess(&json, expiration: expiration)
        json.key("clients")
        json.beginArray()
        json.beginObject()
        json.key("id")
        json.number(Int(clientID))
        json.key("value")
        json.string(clientName)
        json.key("productions")
        json.beginArray()
        for (id, production) in productions.sorted(by: { $0.key < $1.key }) {
            json.beginObject()
            json.key("productionId")
            json.number(Int(id))
            json.key("productionName")
            json.string(production.name)
            json.key("performances")
            json.beginArray()
            for (performance, start) in production.performances.sorted(by: { $0.key < $1.key }) {
                json.beginObject()
                json.key("performanceId")
                json.number(Int(performance))
                json.key("performanceStart")
                json.number(Int(start))
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.endObject()
        json.endArray()
        json.endObject()
        return FakeHTTPResponse(json: json)
    }
}
