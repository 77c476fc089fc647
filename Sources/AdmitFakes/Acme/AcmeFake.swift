import AdmitCore

/// A strict fake of the ACME b2b barcodes API, written from `specs/acme-b2b-barcodes.txt`
/// and served over HTTP/1.1 on 127.0.0.1. See `AcmeAPI` for the endpoints and the choices
/// made where the spec is silent (the page envelope, what deactivation returns).
public final class AcmeFake: Sendable {
    private let api: AcmeAPI
    private let server: FakeHTTPServer
    /// The event the fake's barcodes belong to.
    public let eventID: String

    /// A fake serving `tickets` as barcodes of `eventID` to clients sending `x-acme-api-key: apiKey`.
    /// The barcodes are created at the fake's clock now.
    public init(apiKey: String, eventID: String, tickets: [Ticket]) {
        let clock = FakeClock()
        self.eventID = eventID
        api = AcmeAPI(apiKey: apiKey, clock: clock)
        server = FakeHTTPServer(routes: api, clock: clock)
        upsert(tickets)
    }

    /// Listens on 127.0.0.1:`port` (0 picks a free port) and returns the bound port.
    public func start(port: Int = 0) async throws -> Int { try await server.start(port: port) }

    /// Stops listening and closes every connection.
    public func stop() async throws { try await server.stop() }

    /// `http://127.0.0.1:PORT` once started; the API lives under `/v2/b2b`.
    public var baseURL: String { "http://127.0.0.1:\(server.port ?? 0)" }

    // MARK: Data

    /// Adds tickets as barcodes, or replaces those with the same barcode; `updatedOn`
    /// becomes the fake's clock now.
    public func upsert(_ tickets: [Ticket]) {
        let now = server.clock.now
        api.state.withLock { state in
            for ticket in tickets { state.store.upsert(AcmeBarcode(ticket, eventId: eventID, now: now)) }
        }
    }

    /// Changes the barcode `barcode` as the ACME back office would (bumping `updatedOn`);
    /// false when unknown.
    @discardableResult
    public func modify(barcode: String, _ change: @Sendable (inout AcmeBarcode) -> Void) -> Bool {
        let now = server.clock.now
        return api.state.withLock { state in
            guard let slot = state.store.slot(barcode: barcode) else { return false }
            state.store.update(slot) {
                change(&$0)
                $0.updatedOn = now
            }
            return true
        }
    }

    /// Runs `change` once, right after the next list page number `page` has been answered:
    /// the data changes under a client that is paging through it.
    public func afterPage(_ page: Int, change: @escaping @Sendable () -> Void) {
        api.state.withLock { $0.afterPage[page] = change }
    }

    /// Deletes the barcode `barcode`, as if it had never been issued: lists leave it out,
    /// a lookup answers 404 and a deactivation leaves it out of its answer. False when unknown.
    @discardableResult
    public func delete(barcode: String) -> Bool {
        api.state.withLock { $0.store.remove(barcode: barcode) }
    }

    /// The barcode as stored.
    public func barcode(_ text: String) -> AcmeBarcode? {
        api.state.withLock { state in state.store.slot(barcode: text).map { state.store[$0] } }
    }

    /// Number of barcodes.
    public var barcodeCount: Int { api.state.withLock { $0.store.barcodes.count } }

    /// Every deactivation item received, in arrival order (a re-sent batch appears twice).
    public var receivedDeactivations: [AcmeDeactivation] { api.state.withLock { $0.deactivations } }

    // MARK: Clock, faults, counters

    /// The fake's clock now.
    public var now: Timestamp { server.clock.now }

    /// Sets the fake's clock; `running: false` freezes it.
    public func setClock(_ now: Timestamp, running: Bool = true) { server.clock.set(now, running: running) }

    /// Moves the fake's clock by `milliseconds`.
    public func advanceClock(milliseconds: Int64) { server.clock.advance(milliseconds: milliseconds) }

    /// Plays `fault` for every request from now on; nil behaves again.
    public func setFault(_ fault: FakeFault?) { server.setFault(fault) }

    /// Requests received for `path` relative to `/v2/b2b` (`/barcodes`), without query.
    public func requestCount(path: String) -> Int { server.requestCount(path: path) }
}
