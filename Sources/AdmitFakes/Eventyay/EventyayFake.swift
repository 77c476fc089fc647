import AdmitCore

/// A strict fake of eventyay's pretixdroid API (`/eventyaydroid/api/{organizer}/{event}/…`),
/// written from `specs/eventyay-droid-api.txt`; see `EventyayAPI` for its rules.
public final class EventyayFake: Sendable {
    private let api: EventyayAPI
    private let server: FakeHTTPServer

    /// A fake of event `organizer`/`event` serving `tickets` to clients with `key`.
    public init(key: String, organizer: String, event: String, tickets: [Ticket], eventName: String = "Admit Demo Conference") {
        let clock = FakeClock()
        api = EventyayAPI(key: key, organizer: organizer, event: event, eventName: eventName, clock: clock)
        server = FakeHTTPServer(routes: api, clock: clock)
        api.state.withLock { state in
            for (i, ticket) in tickets.enumerated() { state.add(EventyayFakePosition(ticket, index: i)) }
        }
    }

    /// Listens on 127.0.0.1:`port` (0 picks a free port) and returns the bound port.
    public func start(port: Int = 0) async throws -> Int { try await server.start(port: port) }

    /// Stops listening and closes every connection.
    public func stop() async throws { try await server.stop() }

    /// `http://127.0.0.1:PORT` once started.
    public var baseURL: String { "http://127.0.0.1:\(server.port ?? 0)" }

    /// Adds a position, or replaces the one with the same secret.
    public func put(_ position: EventyayFakePosition) { api.state.withLock { $0.add(position) } }

    /// Removes the position with `secret` (e.g. an order deleted); false when unknown.
    @discardableResult
    public func remove(secret: String) -> Bool { api.state.withLock { $0.remove(secret) } }

    /// The position with `secret`.
    public func position(_ secret: String) -> EventyayFakePosition? {
        api.state.withLock { state in state.slot[secret].map { state.positions[$0] } }
    }

    /// Changes the position with `secret`.
    public func modify(_ secret: String, _ change: @Sendable (inout EventyayFakePosition) -> Void) {
        api.state.withLock { state in
            guard let slot = state.slot[secret] else { return }
            change(&state.positions[slot])
        }
    }

    /// Checks the position with `secret` in as another device would (without a nonce), so
    /// the next download reports it `redeemed`; false when unknown.
    @discardableResult
    public func checkIn(secret: String) -> Bool {
        let now = server.clock.now
        return api.state.withLock { state in
            guard state.slot[secret] != nil else { return false }
            state.checkins.append(EventyayCheckin(secret: secret, nonce: nil, time: now, forced: false))
            state.checkinCount[secret, default: 0] += 1
            return true
        }
    }

    /// Sets the required check-in questions.
    public func setQuestions(_ questions: [EventyayFakeQuestion]) { api.state.withLock { $0.questions = questions } }

    /// Every check-in recorded, in order.
    public var checkins: [EventyayCheckin] { api.state.withLock { $0.checkins } }

    /// Check-ins of `secret`.
    public func checkins(of secret: String) -> [EventyayCheckin] { checkins.filter { $0.secret == secret } }

    /// Connections open now (a client killed a moment ago may still hold some).
    public var openConnections: Int { server.openConnections }

    /// Redeems that came again with a nonce already answered: replayed, nothing checked in again.
    public var replayedNonces: Int { api.state.withLock { $0.replayedNonces } }

    /// The fake's clock now.
    public var now: Timestamp { server.clock.now }

    /// Sets the fake's clock; `running: false` freezes it.
    public func setClock(_ now: Timestamp, running: Bool = true) { server.clock.set(now, running: running) }

    /// Plays `fault` for every request from now on; nil behaves again.
    public func setFault(_ fault: FakeFault?) { server.setFault(fault) }

    /// Requests for `path` (e.g. `/eventyaydroid/api/org/ev/redeem/`), without query.
    public func requestCount(path: String) -> Int { server.requestCount(path: path) }
}
