import AdmitBackends
import AdmitCore
import AdmitFakes

/// A started AudienceView fake with the demo event as one performance, and an adapter
/// pointed at it. The fake's clock runs from a fixed instant so 48-hour rules are exact.
struct AudienceViewRig {
    static let start = Timestamp(millisecondsSince1970: 1_800_000_000_000)
    static let clientID: Int64 = 284
    static let performanceID: Int64 = 49182

    let fake: AudienceViewFake
    let recorder: SyncRecorder
    let backend: AudienceViewBackend

    static func start(
        tickets: Int = 100, pageSize: Int = 5000, password: String = "hunter2",
        maximumScanAgeMilliseconds: Int64 = AudienceViewSettings.defaultMaximumScanAgeMilliseconds
    ) async throws -> AudienceViewRig {
        let event = DemoEvent(count: tickets, now: start)
        let fake = AudienceViewFake(
            username: "gate@example.org", password: "hunter2", clientID: clientID,
            tickets: AudienceViewFake.tickets(from: event.tickets, performanceID: performanceID))
        fake.setClock(start)
        _ = try await fake.start()
        let recorder = SyncRecorder()
        let backend = AudienceViewBackend(
            settings: AudienceViewSettings(
                baseURL: fake.baseURL, username: "gate@example.org", password: password, clientID: clientID,
                pageSize: pageSize, maximumScanAgeMilliseconds: maximumScanAgeMilliseconds,
                requestTimeoutMilliseconds: 10_000, downloadTimeoutMilliseconds: 30_000),
            context: recorder.context(clock: { fake.now }))
        return AudienceViewRig(fake: fake, recorder: recorder, backend: backend)
    }

    func sync(from cursor: SyncCursor = .initial) async throws -> SyncCursor {
        try await backend.sync(from: cursor) { recorder.deliver($0) }
    }

    /// A GRANTED entry of the demo ticket `i` at `time` (default: the fake's now).
    func entry(_ i: Int, id: String? = nil, time: Timestamp? = nil, outcome: Outcome = .granted, direction: Direction = .in) -> ScanRecord {
        let barcode = DemoEvent.barcode(i)
        let ticketID = fake.ticket(barcode: barcode).map { String($0.ticketId) }
        return ScanRecord(
            scanID: id ?? "scan-\(i)", barcode: barcode, ticketID: ticketID, ticketTypeID: String(Self.performanceID),
            gate: "north-1", direction: direction, outcome: outcome, reasonCode: outcome == .granted ? nil : "already_used",
            time: time ?? fake.now, source: "test")
    }

    func stop() async {
        await backend.shutdown()
        try? await fake.stop()
    }
}
