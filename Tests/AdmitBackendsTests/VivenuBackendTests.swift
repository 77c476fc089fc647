import AdmitBackends
import AdmitCore
import AdmitFakes
import Synchronization
import Testing

/// Collects what an adapter delivers and what time it heard.
final class SyncRecorder: Sendable {
    private let pages = Mutex<[TicketPage]>([])
    private let heard = Mutex<Timestamp?>(nil)

    /// A context whose estimate of the server's clock is exact (`clock`), as the daemon's
    /// monotonic extrapolation is when the fake's clock runs in real time.
    func context(clock: @escaping @Sendable () -> Timestamp) -> BackendContext {
        BackendContext(serverNow: clock, observeServerTime: { t in self.heard.withLock { $0 = t } })
    }

    func deliver(_ page: TicketPage) { pages.withLock { $0.append(page) } }
    var tickets: [Ticket] { pages.withLock { $0.flatMap(\.tickets) } }
    var redemptions: [RedemptionEvent] { pages.withLock { $0.flatMap(\.redemptions) } }
    var pageCount: Int { pages.withLock { $0.count } }
    func reset() { pages.withLock { $0.removeAll() } }
    var serverTime: Timestamp? { heard.withLock { $0 } }
}

/// A started vivenu fake with the demo event, and an adapter pointed at it.
struct VivenuRig {
    let fake: VivenuFake
    let recorder: SyncRecorder
    let backend: VivenuBackend

    static func start(tickets: Int = 2500, pageSize: Int = 1000, token: String = "secret-token", portier: PortierFake? = nil) async throws -> VivenuRig {
        let fake = VivenuFake(token: "secret-token", eventID: DemoEvent.eventID, tickets: DemoEvent(count: tickets, now: Timestamp(millisecondsSince1970: 1_800_000_000_000)).tickets)
        _ = try await fake.start()
        let recorder = SyncRecorder()
        let backend = VivenuBackend(
            settings: VivenuSettings(baseURL: fake.baseURL, token: token, eventID: DemoEvent.eventID, deviceID: "north-1",
                                     pageSize: pageSize, overlapMilliseconds: 5000, portierURL: portier?.baseURL,
                                     requestTimeoutMilliseconds: 2000),
            context: recorder.context(clock: { fake.now }))
        return VivenuRig(fake: fake, recorder: recorder, backend: backend)
    }

    func sync(from cursor: SyncCursor) async throws -> SyncCursor {
        try await backend.sync(from: cursor) { recorder.deliver($0) }
    }

    func stop() async {
        await backend.shutdown()
        try? await fake.stop()
    }
}

@Suite(.serialized, .timeLimit(.minutes(3))) struct VivenuBackendTests {
    @Test func theFullLoadPagesToTheEndOfTotal() async throws {
        let rig = try await VivenuRig.start(tickets: 2500, pageSize: 1000)
        let cursor = try await rig.sync(from: .initial)
        #expect(cursor.fullLoadComplete)
        #expect(rig.recorder.tickets.count == 2500)
        #expect(Set(rig.recorder.tickets.map(\.barcode)).count == 2500)
        #expect(rig.recorder.pageCount == 3)
        #expect(cursor.windowStart != nil, "the next delta starts at the server's time of the load")
        let sample = rig.recorder.tickets.first { $0.barcode == DemoEvent.barcode(7) }
        #expect(sample?.status == .cancelled, "non-VALID statuses are refused")
        await rig.stop()
    }

    @Test func anInterruptedFullLoadResumesWhereItStopped() async throws {
        let rig = try await VivenuRig.start(tickets: 2500, pageSize: 1000)
        var cursor = SyncCursor.initial
        cursor.resumeOffset = 2000
        cursor.windowStart = rig.fake.now
        let final = try await rig.sync(from: cursor)
        #expect(final.fullLoadComplete)
        #expect(rig.recorder.tickets.count == 500)
        await rig.stop()
    }

    @Test func deltasBringChangedAddedAndCancelledTickets() async throws {
        let rig = try await VivenuRig.start(tickets: 100)
        var cursor = try await rig.sync(from: .initial)
        // The first window reaches back over the full load itself (the overlap); move past it.
        rig.fake.advanceClock(milliseconds: 30_000)
        cursor = try await rig.sync(from: cursor)
        rig.recorder.reset()
        rig.fake.advanceClock(milliseconds: 30_000)
        rig.fake.upsert([Ticket(id: "new-1", barcode: "NEW-1", typeName: "Late Buyer")])
        rig.fake.cancel(barcodes: [DemoEvent.barcode(0)])
        rig.fake.advanceClock(milliseconds: 1000)
        cursor = try await rig.sync(from: cursor)
        let changed = Dictionary(uniqueKeysWithValues: rig.recorder.tickets.map { ($0.barcode, $0) })
        #expect(changed["NEW-1"]?.typeName == "Late Buyer")
        #expect(changed[DemoEvent.barcode(0)]?.status == .cancelled)
        #expect(changed.count == 2, "only what changed, not the whole event: \(changed.keys.sorted())")
        await rig.stop()
    }

    @Test(arguments: [Int64(-5 * 365 * 86_400_000), Int64(3 * 365 * 86_400_000)])
    func deltaWindowsFollowTheServersClockNotTheKiosks(offset: Int64) async throws {
        let rig = try await VivenuRig.start(tickets: 0)
        // The backend lives years away from this machine's clock; the adapter must not care.
        rig.fake.setClock(Timestamp(millisecondsSince1970: 1_800_000_000_000 + offset))
        rig.fake.upsert(DemoEvent(count: 50, now: rig.fake.now).tickets)
        rig.fake.advanceClock(milliseconds: 60_000)
        var cursor = try await rig.sync(from: .initial)
        rig.recorder.reset()
        rig.fake.advanceClock(milliseconds: 20_000)
        rig.fake.upsert([Ticket(id: "x", barcode: "SKEW-1")])
        rig.fake.advanceClock(milliseconds: 1000)
        cursor = try await rig.sync(from: cursor)
        #expect(rig.recorder.tickets.map(\.barcode) == ["SKEW-1"])
        #expect(abs((cursor.windowStart?.millisecondsSince1970 ?? 0) - rig.fake.now.millisecondsSince1970) < 60_000)
        await rig.stop()
    }

    /// Tickets change while the gate pages through a delta: some already read are changed
    /// again, some further on are cancelled, new ones are sold. After this poll and the
    /// next the gate holds every change: no ticket slipped between two pages.
    @Test func aWindowThatChangesWhileBeingPagedLosesNoTicket() async throws {
        let rig = try await VivenuRig.start(tickets: 3000, pageSize: 1000)
        rig.fake.advanceClock(milliseconds: 60_000)  // sold well before the gate's first load
        var cursor = try await rig.sync(from: .initial)
        let original = rig.recorder.tickets
        var known = Dictionary(original.map { ($0.barcode, $0) }, uniquingKeysWith: { $1 })
        rig.recorder.reset()
        rig.fake.advanceClock(milliseconds: 60_000)
        // 2500 tickets are upgraded: the delta has three pages.
        rig.fake.upsert(original.prefix(2500).map { var t = $0; t.typeName = "Upgraded"; return t })
        rig.fake.advanceClock(milliseconds: 30_000)  // longer ago than the overlap
        rig.fake.afterPage(skip: 0) {
            rig.fake.upsert(original.prefix(20).map { var t = $0; t.typeName = "Upgraded twice"; return t })
            rig.fake.cancel(barcodes: original[2100..<2110].map(\.barcode))
            rig.fake.upsert((0..<5).map { Ticket(id: "late-\($0)", barcode: "LATE-\($0)", typeName: "Walk-up") })
        }
        for _ in 0..<2 {
            cursor = try await rig.sync(from: cursor)
            for t in rig.recorder.tickets { known[t.barcode] = t }
            rig.recorder.reset()
            rig.fake.advanceClock(milliseconds: 20_000)
        }
        var wrong: [String] = []
        for barcode in original.map(\.barcode) + (0..<5).map({ "LATE-\($0)" }) {
            let truth = try #require(rig.fake.ticket(barcode: barcode)?.ticket)
            if known[barcode]?.typeName != truth.typeName || known[barcode]?.status != truth.status { wrong.append(barcode) }
        }
        #expect(wrong.isEmpty, "\(wrong.count) tickets differ from the backend, e.g. \(wrong.prefix(5))")
        await rig.stop()
    }

    @Test func aWrongTokenIsAnAuthorizationError() async throws {
        let rig = try await VivenuRig.start(tickets: 10, token: "wrong")
        await #expect { try await rig.sync(from: .initial) } throws: { ($0 as? BackendError)?.kind == .unauthorized }
        await rig.stop()
    }

    @Test func garbageAndOutagesAreErrorsNotCrashes() async throws {
        let rig = try await VivenuRig.start(tickets: 10)
        for fault in [FakeFault.garbage, .truncated, .serverError] {
            rig.fake.setFault(fault)
            await #expect(throws: BackendError.self) { try await rig.sync(from: .initial) }
        }
        rig.fake.setFault(nil)
        #expect(try await rig.sync(from: .initial).fullLoadComplete)
        rig.fake.setFault(.down)
        await #expect(throws: BackendError.self) { try await rig.sync(from: .initial) }
        await rig.stop()
    }

    @Test func uploadsScansWithTheirIDsAndSkipsUnknownTickets() async throws {
        let rig = try await VivenuRig.start(tickets: 10)
        let t = Timestamp(millisecondsSince1970: 1_800_000_000_000)
        let scans = [
            ScanRecord(scanID: "s1", barcode: DemoEvent.barcode(1), ticketID: "t100001", gate: "north-1", direction: .in, outcome: .granted, reasonCode: nil, time: t, source: "x"),
            ScanRecord(scanID: "s2", barcode: "NOPE", ticketID: nil, gate: "north-1", direction: .in, outcome: .denied, reasonCode: "unknown_ticket", time: t, source: "x"),
            ScanRecord(scanID: "s3", barcode: DemoEvent.barcode(2), ticketID: "t100002", gate: "north-1", direction: .out, outcome: .denied, reasonCode: "already_used", time: t, source: "x"),
        ]
        let results = try await rig.backend.upload(scans)
        #expect(results == [.accepted, .skipped, .accepted])
        let received = rig.fake.receivedScans
        #expect(received.map(\.barcode) == [DemoEvent.barcode(1), DemoEvent.barcode(2)])
        #expect(received.map(\.type) == ["OK", "FAIL"])
        #expect(received.map(\.direction) == ["IN", "OUT"])
        await rig.stop()
    }

    @Test func aScanRefusedAsMalformedIsRejectedWithVivenusReasonAndTheRestGoThrough() async throws {
        let rig = try await VivenuRig.start(tickets: 10)
        let t = Timestamp(millisecondsSince1970: 1_800_000_000_000)
        func scan(_ id: String, _ ticket: String, _ i: Int) -> ScanRecord {
            ScanRecord(scanID: id, barcode: DemoEvent.barcode(i), ticketID: ticket, gate: "north-1", direction: .in,
                       outcome: .granted, reasonCode: nil, time: t, source: "x")
        }
        // A ticket vivenu no longer has (deleted after the gate's last sync) makes the whole
        // batch a 400; the batch is split until that one scan is found.
        let scans = [scan("a", "t100001", 1), scan("b", "t100002", 2), scan("c", "deleted-ticket", 3), scan("d", "t100004", 4)]
        let results = try await rig.backend.upload(scans)
        #expect(results[0] == .accepted && results[1] == .accepted && results[3] == .accepted)
        guard case .rejected(let reason) = results[2] else { Issue.record("not rejected: \(results[2])"); return }
        #expect(reason.contains("HTTP 400") && reason.contains("deleted-ticket") && reason.contains("not a ticket of this event"), "\(reason)")
        #expect(rig.fake.receivedScans.map(\.barcode).sorted() == [1, 2, 4].map(DemoEvent.barcode).sorted(), "each good scan once")
        await rig.stop()
    }

    @Test func aLostReplyIsAnErrorSoTheBatchStaysPending() async throws {
        let rig = try await VivenuRig.start(tickets: 10)
        rig.fake.setFault(.dropAfterProcessing)
        let scan = ScanRecord(scanID: "lost-1", barcode: DemoEvent.barcode(1), ticketID: "t100001", gate: "g", direction: .in, outcome: .granted, reasonCode: nil, time: rig.fake.now, source: "x")
        await #expect(throws: BackendError.self) { try await rig.backend.upload([scan]) }
        rig.fake.setFault(nil)
        #expect(try await rig.backend.upload([scan]) == [.accepted])
        #expect(Set(rig.fake.receivedScans.map(\.barcode)).count == 1)
        await rig.stop()
    }

    @Test func listsTheEventsTheTokenCanSee() async throws {
        let rig = try await VivenuRig.start(tickets: 1)
        let listing = try await rig.backend.listEvents()
        #expect(listing.listed)
        #expect(listing.events.map(\.id) == [DemoEvent.eventID])
        #expect(listing.events.first?.name == "Admit Demo Event")
        #expect(listing.configured == DemoEvent.eventID && listing.configKey == "event")
        await rig.stop()
    }

    @Test func portierTellsOfOtherGatesCheckIns() async throws {
        let portier = PortierFake(token: "secret-token", eventID: DemoEvent.eventID)
        _ = try await portier.start()
        let rig = try await VivenuRig.start(tickets: 20, portier: portier)
        portier.setClock(rig.fake.now)
        var cursor = try await rig.sync(from: .initial)
        rig.recorder.reset()
        portier.addScan(PortierScan(ticketId: "t100003", eventId: DemoEvent.eventID, barcode: DemoEvent.barcode(3),
                                    ticketTypeId: "tt", type: "checkin", scanResult: "approved", time: portier.now,
                                    parentEventId: nil, name: nil, ticketName: nil, deviceId: "south-2", sellerId: nil))
        cursor = try await rig.sync(from: cursor)
        #expect(rig.recorder.redemptions.map(\.barcode) == [DemoEvent.barcode(3)])
        #expect(rig.recorder.redemptions.first?.gate == "south-2")
        // This gate's own scans reach portier with its device id.
        let t = rig.fake.now
        try await #require(rig.backend.mirror).post([ScanRecord(scanID: "p1", barcode: DemoEvent.barcode(4), ticketID: "t100004", ticketTypeID: "tt", gate: "north-1", direction: .in, outcome: .granted, reasonCode: nil, time: t, source: "x")])
        #expect(portier.receivedScans.last?.deviceId == "north-1")
        await rig.stop()
        try await portier.stop()
    }

    /// A post to portier whose answer was lost is not stored twice: before posting again,
    /// and before its first post after a start, the gate reads back which of the batch
    /// portier already holds.
    @Test func aPortierPostWhoseAnswerWasLostIsNotStoredTwice() async throws {
        let portier = PortierFake(token: "secret-token", eventID: DemoEvent.eventID)
        _ = try await portier.start()
        let rig = try await VivenuRig.start(tickets: 20, portier: portier)
        let mirror = try #require(rig.backend.mirror)
        let t = rig.fake.now
        let scans = (1...3).map {
            ScanRecord(scanID: "p\($0)", barcode: DemoEvent.barcode($0), ticketID: "t\(100_000 + $0)", ticketTypeID: "tt", gate: "north-1",
                       direction: .in, outcome: .granted, reasonCode: nil, time: t.adding(milliseconds: Int64($0)), source: "x")
        }
        try await mirror.post(Array(scans.prefix(1)))
        portier.setFault(.dropAfterProcessing)
        await #expect(throws: (any Error).self) { try await mirror.post(Array(scans.suffix(2))) }
        #expect(portier.receivedScans.count == 3, "portier stored the batch whose answer was lost")
        portier.setFault(nil)
        try await mirror.post(Array(scans.suffix(2)))
        #expect(portier.receivedScans.map(\.barcode) == scans.map(\.barcode), "and got it once")
        // A gate that starts again (a new client) reads back before its first post.
        let restarted = try await VivenuRig.start(tickets: 20, portier: portier)
        try await #require(restarted.backend.mirror).post(scans)
        #expect(portier.receivedScans.count == 3)
        await rig.stop()
        await restarted.stop()
        try await portier.stop()
    }

    @Test func realtimeScansAnswerWithinTheBudget() async throws {
        let rig = try await VivenuRig.start(tickets: 20)
        let barcode = DemoEvent.barcode(1)
        let first = try await rig.backend.check(barcode: barcode, direction: .in, budgetMilliseconds: 2000)
        guard case .granted(let ticket) = first else { Issue.record("not granted: \(first)"); return }
        #expect(ticket?.barcode == barcode)
        let second = try await rig.backend.check(barcode: barcode, direction: .in, budgetMilliseconds: 2000)
        #expect(second != first, "the backend checked the ticket in")
        #expect(try await rig.backend.check(barcode: "NOPE", direction: .in, budgetMilliseconds: 2000) == .unknown)
        // A slow answer is given up at the budget (the time a visitor waits is asserted on the
        // daemon's own clock, in VivenuEndToEndTests).
        rig.fake.setFault(.slow(milliseconds: 2000))
        let error = await #expect(throws: BackendError.self) {
            try await rig.backend.check(barcode: DemoEvent.barcode(2), direction: .in, budgetMilliseconds: 300)
        }
        #expect(error?.kind == .timeout && error?.message == "no answer within 300 ms", "\(String(describing: error))")
        await rig.stop()
    }
}
