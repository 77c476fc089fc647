import AdmitCore

/// A strict fake of the AudienceView Professional scanning API, written from
/// `specs/audienceview-professional-api.txt` and served over HTTP/1.1 on 127.0.0.1 under
/// `/public/scanning` (see `AudienceViewAPI` for the endpoints and error codes).
///
/// Strictness: wrong credentials, missing or unknown tokens and lapsed tokens are refused
/// with the documented codes; tokens expire one hour after their last use by the fake's
/// clock; `syncScans` refuses scans in the future or more than 48 h old, of unknown,
/// refunded or voided tickets, or of another performance, in `failedBarcodes`.
public final class AudienceViewFake: Sendable {
    private let api: AudienceViewAPI
    private let server: FakeHTTPServer

    /// A fake for one client serving `tickets`.
    public init(
        username: String, password: String, clientID: Int64, clientName: String = "Admit Demo Theatre",
        tickets: [AudienceViewFakeTicket], tokenLifetimeMilliseconds: Int64 = 3_600_000
    ) {
        let clock = FakeClock()
        api = AudienceViewAPI(
            username: username, password: password, clientID: clientID, clientName: clientName,
            tokenLifetimeMilliseconds: tokenLifetimeMilliseconds, clock: clock)
        server = FakeHTTPServer(routes: api, clock: clock, maxBodyBytes: 16 * 1024 * 1024)
        api.state.withLock { $0.upsert(tickets) }
    }

    /// Admit tickets (e.g. `DemoEvent.tickets`) as AudienceView tickets of one performance:
    /// ticket ids count up from `firstTicketID`, cancelled tickets are refunded.
    public static func tickets(
        from tickets: [Ticket], productionID: Int64 = 3622, productionName: String = "Admit Demo Show",
        performanceID: Int64 = 49182, performanceStart: Int64 = 1_800_000_000_000, firstTicketID: Int64 = 580_000_000
    ) -> [AudienceViewFakeTicket] {
        tickets.enumerated().map { position, ticket in
            AudienceViewFakeTicket(
                ticketId: firstTicketID + Int64(position), performanceId: performanceID, productionId: productionID,
                productionName: productionName, performanceStart: performanceStart, barcode: ticket.barcode,
                cancellation: ticket.status == .valid ? nil : .refunded, orderConsumerName: "Walkup Walkup",
                section: ticket.category, seat: "A\(position + 1)")
        }
    }

    /// Listens on 127.0.0.1:`port` (0 picks a free port) and returns the bound port.
    public func start(port: Int = 0) async throws -> Int { try await server.start(port: port) }

    /// Stops listening and closes every connection.
    public func stop() async throws { try await server.stop() }

    /// `http://127.0.0.1:PORT/public/scanning` once started.
    public var baseURL: String { "http://127.0.0.1:\(server.port ?? 0)\(api.basePath)" }

    // MARK: Data

    /// Adds tickets, or replaces those with the same ticket id.
    public func upsert(_ tickets: [AudienceViewFakeTicket]) { api.state.withLock { $0.upsert(tickets) } }

    /// Refunds or voids the ticket with `barcode`.
    public func cancel(barcode: String, as cancellation: AudienceViewFakeTicket.Cancellation = .refunded) {
        api.state.withLock { state in
            guard let slot = state.slotByBarcode[barcode] else { return }
            state.tickets[slot].cancellation = cancellation
        }
    }

    /// Marks the ticket with `barcode` scanned (as another device would).
    public func markScanned(barcode: String) {
        api.state.withLock { state in
            guard let slot = state.slotByBarcode[barcode] else { return }
            state.scanned.insert(slot)
        }
    }

    /// True when the ticket with `barcode` has been scanned.
    public func isScanned(barcode: String) -> Bool {
        api.state.withLock { state in state.slotByBarcode[barcode].map { state.scanned.contains($0) } ?? false }
    }

    /// The ticket with `barcode`.
    public func ticket(barcode: String) -> AudienceViewFakeTicket? {
        api.state.withLock { state in state.slotByBarcode[barcode].map { state.tickets[$0] } }
    }

    /// Every scan taken through `cache/syncScans`, in arrival order (a re-sent scan once).
    public var receivedScans: [AudienceViewSyncedScan] { api.state.withLock { $0.scans } }

    // MARK: Sessions and errors

    /// Successful logins so far.
    public var loginCount: Int { api.state.withLock { $0.logins } }

    /// Sessions ended through `invalidateToken`.
    public var invalidationCount: Int { api.state.withLock { $0.invalidations } }

    /// Sessions currently open.
    public var openSessionCount: Int { api.state.withLock { $0.sessions.count } }

    /// Ends every session without telling the client (its next call gets code 6).
    public func revokeTokens() { api.state.withLock { $0.sessions.removeAll() } }

    /// Refuses logins with code 4 while set.
    public func setPasswordExpired(_ expired: Bool) { api.state.withLock { $0.passwordExpired = expired } }

    /// Refuses logins with code 3 while false.
    public func setScanningPermission(_ allowed: Bool) { api.state.withLock { $0.scanningPermission = allowed } }

    /// Answers the next request to `path` (relative, e.g. `/cache/syncScans`; nil for any
    /// path) with error `code` after authentication; with `forceLogout` (default: the
    /// code's usual value) the session ends too. Queued in order.
    public func failNext(code: Int, forceLogout: Bool? = nil, path: String? = nil) {
        api.state.withLock { $0.injected.append(.init(code: code, forceLogout: forceLogout, path: path)) }
    }

    // MARK: Clock, faults, counters

    /// The fake's clock now.
    public var now: Timestamp { server.clock.now }

    /// Sets the fake's clock; `running: false` freezes it.
    public func setClock(_ now: Timestamp, running: Bool = true) { server.clock.set(now, running: running) }

    /// Moves the fake's clock by `milliseconds`.
    public func advanceClock(milliseconds: Int64) { server.clock.advance(milliseconds: milliseconds) }

    /// Plays `fault` for every request from now on; nil behaves again.
    public func setFault(_ fault: FakeFault?) { server.setFault(fault) }

    /// Requests received for `path` relative to `baseURL` (e.g. `/authenticate`).
    public func requestCount(path: String) -> Int { server.requestCount(path: path) }
}
