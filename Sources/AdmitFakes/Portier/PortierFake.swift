import AdmitCore

/// A strict fake of the vivenu portier scans API (`…/api`), written from
/// `specs/vivenu-portier-scans.txt` and vivenu's API-wide rules (the fact sheet,
/// docs/backends/vivenu-portier.md, names every source and guess), served over HTTP/1.1 on
/// 127.0.0.1.
///
/// - `POST /api/scans`: a JSON array of scan objects (a single object is accepted too and
///   answered with a single object). Required: `ticketId`, `eventId` (must be the fake's
///   event), `barcode`, `ticketTypeId`, `type` (`checkin`|`checkout`), `scanResult`
///   (`approved`|`declined`); optional: `time` (ISO; the fake's clock when absent),
///   `parentEventId`, `name`, `ticketName`, `deviceId`, `sellerId`. Any other attribute or a
///   bad value refuses the whole batch with a 400 naming the item and attribute. Answers the
///   stored scan objects.
/// - `GET /api/scans?eventId=&parentEventId=&barcode=&type=&time[$gte]=&top=&skip=` →
///   `{"docs":[…],"total":N}`. The spec types `time` as an object; it is read the way a
///   query-string object parser would: `time[$gt]`, `time[$gte]`, `time[$lt]`, `time[$lte]`
///   with ISO values (brackets may be percent-encoded); a bare `time=` is a 400 (the encoding
///   is a guess). `top` (≥ 1; default 25, at most 100 served: vivenu's rule for "get all"
///   methods) and `skip` (≥ 0) are whole numbers. Unknown parameters are a 400.
///   Docs are ordered by `time`, then arrival, so a late upload with an early `time`
///   lands in the middle: poll with overlapping time windows, not by skip alone.
///
/// Authentication is vivenu's API-wide rule, `Authorization: Bearer <API key>` (the
/// access-user `token` header is documented not to work beyond `/accessusers`); a missing or
/// wrong key gets 401.
/// Bodies, `Date`, errors, faults and limits behave as in `VivenuFake`.
public final class PortierFake: Sendable {
    private let api: PortierAPI
    private let server: FakeHTTPServer

    /// A fake for event `eventID` accepting clients that send `Authorization: Bearer <token>`.
    public init(token: String, eventID: String) {
        let clock = FakeClock()
        api = PortierAPI(token: token, eventID: eventID, clock: clock)
        server = FakeHTTPServer(routes: api, clock: clock)
    }

    /// Listens on 127.0.0.1:`port` (0 picks a free port) and returns the bound port.
    public func start(port: Int = 0) async throws -> Int {
        try await server.start(port: port)
    }

    /// Stops listening and closes every connection.
    public func stop() async throws {
        try await server.stop()
    }

    /// `http://127.0.0.1:PORT/api` once started (port 0 before).
    public var baseURL: String {
        "http://127.0.0.1:\(server.port ?? 0)\(api.basePath)"
    }

    /// The bound port, nil when not started.
    public var port: Int? { server.port }

    /// Every scan accepted through `POST /api/scans`, in arrival order (not those from `addScan`).
    public var receivedScans: [PortierScan] {
        api.scans.withLock { scans in scans.filter { !$0.isInjected }.map(\.scan) }
    }

    /// Stores a scan as if another gate had posted it (it is then served by `GET /api/scans`).
    public func addScan(_ scan: PortierScan) {
        api.scans.withLock { $0.append(StoredPortierScan(scan: scan, isInjected: true)) }
    }

    /// The fake's clock now.
    public var now: Timestamp { server.clock.now }

    /// Sets the fake's clock (default: real time); see `VivenuFake.setClock(_:running:)`.
    public func setClock(_ now: Timestamp, running: Bool = true) {
        server.clock.set(now, running: running)
    }

    /// Moves the fake's clock by `milliseconds` (negative moves it back).
    public func advanceClock(milliseconds: Int64) {
        server.clock.advance(milliseconds: milliseconds)
    }

    /// Plays `fault` for every request from now on; nil behaves again (see `VivenuFake.setFault`).
    public func setFault(_ fault: FakeFault?) {
        server.setFault(fault)
    }

    /// Requests received for `path`, relative to `/api` (`/scans`) or in full (`/api/scans`).
    public func requestCount(path: String) -> Int {
        server.requestCount(path: path)
    }
}
