import AdmitCore

/// A strict fake of the vivenu access-control API (`…/api/accessusers`), written from
/// `specs/vivenu-access-control.txt` and vivenu's OpenAPI (the fact sheet,
/// docs/backends/vivenu-access-control.md, names every source and guess), served over
/// HTTP/1.1 on 127.0.0.1.
///
/// Endpoints, relative to `baseURL`:
/// - `GET /events` → `[{"_id","name"}]`: the one event the fake serves.
/// - `GET /tickets/v2/{eventId}?top=&skip=&from=&until=` → `{"docs":[…],"total":N}`.
///   `top` 1…1000, default 25; `skip` ≥ 0 (default 0); `from`/`until` ISO timestamps
///   (400 when unparsable). A ticket is in the window `[from, until)` when its `createdAt`
///   or its `updatedAt` lies in it; either bound may be left out. Docs come in creation
///   order, so updates during a full load never shift pages. Unknown event → 404.
/// - `GET /tickets/{barcode}` ("Get Ticket with barcode") → the ticket, 404 if unknown.
/// - `POST /tickets/{barcode}/scan`, no body ("Scan Ticket with barcode") →
///   `{"access":"GRANTED"|"DENIED","ticket":{…}}`: GRANTED once per check-in for a `VALID`
///   ticket, DENIED afterwards and for other statuses; 404 for an unknown barcode.
/// - `POST /scans/{eventId}`, body `[{ticketId?, barcode, scanned_at, type: OK|FAIL, direction: IN|OUT, …}]`
///   → `{"status":"OK"}`; the first malformed item makes the whole batch a 400 that names it
///   (`scans[3]: direction must be IN or OUT…`); `ticketId` must be a ticket of the event
///   (empty or left out allowed only for `FAIL`). Extra attributes are accepted and recorded,
///   never deduplicated on (vivenu documents no idempotency). An `OK`/`IN`
///   scan checks the ticket in for the realtime scan; `OK`/`OUT` checks it out.
///
/// Every request needs the header `token` (else 401); POST bodies need
/// `Content-Type: application/json` (else 400) and at most 5 MB (else 413). Every response is
/// JSON with an HTTP `Date` from the fake's clock; errors are
/// `{"statusCode":N,"error":"…","message":"…"}`. See `VivenuTicketJSON` for how a `Ticket`
/// maps to vivenu's fields (cancelled → `INVALID`, blocked → `DETAILSREQUIRED`, areas → `entry`).
public final class VivenuFake: Sendable {
    private let api: VivenuAPI
    private let server: FakeHTTPServer

    /// A fake serving `tickets` of event `eventID` to clients sending header `token`.
    /// The tickets are created at the fake's clock now.
    public init(token: String, eventID: String, tickets: [Ticket], eventName: String = "Admit Demo Event") {
        let clock = FakeClock()
        api = VivenuAPI(token: token, eventID: eventID, eventName: eventName, clock: clock)
        server = FakeHTTPServer(routes: api, clock: clock)
        let now = clock.now
        api.state.withLock { $0.store.upsert(tickets, now: now) }
    }

    /// Listens on 127.0.0.1:`port` (0 picks a free port) and returns the bound port.
    public func start(port: Int = 0) async throws -> Int {
        try await server.start(port: port)
    }

    /// Stops listening and closes every connection.
    public func stop() async throws {
        try await server.stop()
    }

    /// `http://127.0.0.1:PORT/api/accessusers` once started (port 0 before).
    public var baseURL: String {
        "http://127.0.0.1:\(server.port ?? 0)\(api.basePath)"
    }

    /// The bound port, nil when not started.
    public var port: Int? { server.port }

    // MARK: Data

    /// Adds tickets, or replaces those with the same id; `updatedAt` (and `createdAt` for
    /// new ones) becomes the fake's clock now.
    public func upsert(_ tickets: [Ticket]) {
        let now = server.clock.now
        api.state.withLock { $0.store.upsert(tickets, now: now) }
    }

    /// Cancels the tickets with these barcodes (status `INVALID` on the wire), bumping
    /// `updatedAt`; unknown barcodes are ignored.
    public func cancel(barcodes: [String]) {
        let now = server.clock.now
        api.state.withLock { state in
            let tickets = barcodes.compactMap { barcode -> Ticket? in
                guard let slot = state.store.slot(barcode: barcode) else { return nil }
                var ticket = state.store[slot].ticket
                ticket.status = .cancelled
                return ticket
            }
            state.store.upsert(tickets, now: now)
        }
    }

    /// Runs `change` once, right after the next tickets page at `skip` has been answered:
    /// the data changes under a client that is paging through it.
    public func afterPage(skip: Int, change: @escaping @Sendable () -> Void) {
        api.state.withLock { $0.afterPage[skip] = change }
    }

    /// The ticket with `barcode` as stored, with its `createdAt` and `updatedAt`.
    public func ticket(barcode: String) -> (ticket: Ticket, createdAt: Timestamp, updatedAt: Timestamp)? {
        api.state.withLock { state in
            state.store.slot(barcode: barcode).map {
                let stored = state.store[$0]
                return (stored.ticket, stored.createdAt, stored.updatedAt)
            }
        }
    }

    /// Number of tickets.
    public var ticketCount: Int { api.state.withLock { $0.store.slots.count } }

    /// Every item accepted through `POST scans`, in arrival order (a retried batch appears twice).
    public var receivedScans: [VivenuScan] { api.state.withLock { $0.scans } }

    /// Scans of stored `POST scans` batches whose connection closed before the client posted
    /// another batch on it: the client may never have read or recorded those answers. Admit
    /// posts its next batch only after recording the last answer, so a batch whose answer it
    /// lost (a crash in between) is always counted here; so is a batch answered and recorded
    /// just before its connection went. An upper bound on the scans whose answer was lost.
    /// Read it once `openConnections` is 0.
    public var unconfirmedScans: Int { api.state.withLock { $0.unconfirmedScans } }

    /// Stores each `POST scans` batch at once but sends its answer `milliseconds` later (a
    /// slow line back): a client that dies meanwhile loses an answer to a stored batch.
    public func setScanReplyDelay(milliseconds: Int64) {
        api.state.withLock { $0.scanReplyDelayMilliseconds = milliseconds }
    }

    /// Connections open now (a client killed a moment ago may still hold some).
    public var openConnections: Int { server.openConnections }

    /// True when the ticket with `barcode` is checked in (realtime scan or `OK`/`IN` scan).
    public func isCheckedIn(barcode: String) -> Bool {
        api.state.withLock { state in
            state.store.slot(barcode: barcode).map { state.checkedIn.contains($0) } ?? false
        }
    }

    // MARK: Clock, faults, counters

    /// The fake's clock now.
    public var now: Timestamp { server.clock.now }

    /// Sets the fake's clock (default: real time). A running clock ticks on from `now` at real
    /// speed; `running: false` freezes it there until the next `setClock`/`advanceClock`.
    public func setClock(_ now: Timestamp, running: Bool = true) {
        server.clock.set(now, running: running)
    }

    /// Moves the fake's clock by `milliseconds` (negative moves it back).
    public func advanceClock(milliseconds: Int64) {
        server.clock.advance(milliseconds: milliseconds)
    }

    /// Plays `fault` for every request from now on; nil behaves again. `.down` and clearing
    /// it take effect before this returns (it blocks briefly; do not call on an event loop).
    public func setFault(_ fault: FakeFault?) {
        server.setFault(fault)
    }

    /// Requests received for `path`, relative to `baseURL` (`/scans/ev1`, `/tickets/v2/ev1`)
    /// or in full (`/api/accessusers/scans/ev1`), without query; faulted requests count too.
    public func requestCount(path: String) -> Int {
        server.requestCount(path: path)
    }
}
