import AdmitBackends
import AdmitCore
import AdmitFakes
import Testing

/// A started ACME fake with the demo event, and an adapter pointed at it.
struct AcmeRig {
    let fake: AcmeFake
    let recorder: SyncRecorder
    let backend: AcmeBackend

    static func start(tickets: Int = 250, apiKey: String = "acme-key", pageSize: Int = 100) async throws -> AcmeRig {
        let event = DemoEvent(count: tickets, now: Timestamp(millisecondsSince1970: 1_800_000_000_000))
        let fake = AcmeFake(apiKey: "acme-key", eventID: DemoEvent.eventID, tickets: event.tickets)
        _ = try await fake.start()
        // Deltas look back 5 s: start well after the barcodes were created.
        fake.advanceClock(milliseconds: 600_000)
        let recorder = SyncRecorder()
        let backend = AcmeBackend(
            settings: AcmeSettings(baseURL: fake.baseURL, apiKey: apiKey, eventID: DemoEvent.eventID, deviceID: "north-1",
                                   pageSize: pageSize, overlapMilliseconds: 5000, requestTimeoutMilliseconds: 2000),
            context: recorder.context(clock: { fake.now }))
        return AcmeRig(fake: fake, recorder: recorder, backend: backend)
    }

    func sync(from cursor: SyncCursor) async throws -> SyncCursor {
        try await backend.sync(from: cursor) { recorder.deliver($0) }
    }

    func scan(_ id: String, _ i: Int, outcome: Outcome = .granted, direction: Direction = .in) -> ScanRecord {
        ScanRecord(scanID: id, barcode: DemoEvent.barcode(i), ticketID: "t\(100_000 + i)", gate: "north-1", direction: direction,
                   outcome: outcome, reasonCode: outcome == .granted ? nil : "already_used", time: fake.now, source: "x")
    }

    func stop() async {
        await backend.shutdown()
        try? await fake.stop()
    }
}

@Suite(.serialized) struct AcmeBackendTests {
    /// Barcodes change while the gate pages through a delta: some already read change
    /// again, some further on are cancelled, new ones are sold. After this poll and the
    /// next the gate holds every change: nothing slipped between two pages.
    @Test func aWindowThatChangesWhileBeingPagedLosesNoBarcode() async throws {
        let rig = try await AcmeRig.start(tickets: 300, pageSize: 100)
        var cursor = try await rig.sync(from: .initial)
        let original = rig.recorder.tickets
        var known = Dictionary(original.map { ($0.barcode, $0) }, uniquingKeysWith: { $1 })
        rig.recorder.reset()
        rig.fake.advanceClock(milliseconds: 60_000)
        rig.fake.upsert(original.prefix(250).map { var t = $0; t.typeID = "upgraded"; return t })
        rig.fake.advanceClock(milliseconds: 30_000)  // longer ago than the overlap
        rig.fake.afterPage(1) {
            rig.fake.upsert(original.prefix(10).map { var t = $0; t.typeID = "upgraded-twice"; return t })
            rig.fake.upsert(original[210..<215].map { var t = $0; t.status = .cancelled; t.typeID = "upgraded"; return t })
            rig.fake.upsert((0..<5).map { Ticket(id: "late-\($0)", barcode: "LATE-\($0)", typeID: "walk-up") })
        }
        for _ in 0..<2 {
            cursor = try await rig.sync(from: cursor)
            for t in rig.recorder.tickets { known[t.barcode] = t }
            rig.recorder.reset()
            rig.fake.advanceClock(milliseconds: 20_000)
        }
        var expected: [String: String] = [:]
        for (i, t) in original.enumerated() { expected[t.barcode] = i < 10 ? "upgraded-twice" : i < 250 ? "upgraded" : known[t.barcode]?.typeName }
        for i in 0..<5 { expected["LATE-\(i)"] = "walk-up" }
        let wrong = expected.filter { known[$0.key]?.typeName != $0.value }.map(\.key)
        #expect(wrong.isEmpty, "\(wrong.count) barcodes differ from the backend, e.g. \(wrong.prefix(5))")
        #expect(original[210..<215].allSatisfy { known[$0.barcode]?.status == .cancelled })
        await rig.stop()
    }

    @Test func theFullLoadPagesByAHundred() async throws {
        let rig = try await AcmeRig.start(tickets: 250)
        let cursor = try await rig.sync(from: .initial)
        #expect(cursor.fullLoadComplete)
        #expect(rig.recorder.tickets.count == 250)
        #expect(Set(rig.recorder.tickets.map(\.barcode)).count == 250)
        #expect(rig.recorder.pageCount == 3)
        #expect(cursor.windowStart != nil)
        let cancelled = rig.recorder.tickets.first { $0.barcode == DemoEvent.barcode(7) }
        #expect(cancelled?.status == .cancelled)
        #expect(cancelled?.message == "refunded", "the deactivation message is shown")
        await rig.stop()
    }

    @Test func anInterruptedFullLoadResumesAtItsPage() async throws {
        let rig = try await AcmeRig.start(tickets: 250)
        var cursor = SyncCursor.initial
        cursor.resumeOffset = 2
        cursor.windowStart = rig.fake.now
        #expect(try await rig.sync(from: cursor).fullLoadComplete)
        #expect(rig.recorder.tickets.count == 50)
        await rig.stop()
    }

    @Test func deltasBringChangesInTheServersWindow() async throws {
        let rig = try await AcmeRig.start(tickets: 50)
        let cursor = try await rig.sync(from: .initial)
        rig.recorder.reset()
        rig.fake.advanceClock(milliseconds: 60_000)
        rig.fake.modify(barcode: DemoEvent.barcode(3)) { $0.status = "voided" }
        rig.fake.modify(barcode: DemoEvent.barcode(4)) {
            $0.active = false
            $0.deactivationMessage = "Order was cancelled. Call 555-555-5555."
        }
        rig.fake.advanceClock(milliseconds: 1000)
        let next = try await rig.sync(from: cursor)
        let changed = Dictionary(uniqueKeysWithValues: rig.recorder.tickets.map { ($0.barcode, $0) })
        #expect(changed.count == 2)
        #expect(changed[DemoEvent.barcode(3)]?.status == .cancelled)
        #expect(changed[DemoEvent.barcode(4)]?.message == "Order was cancelled. Call 555-555-5555.")
        #expect(next.windowStart! > cursor.windowStart!)
        await rig.stop()
    }

    @Test func aWrongKeyIsAnAuthorizationError() async throws {
        let rig = try await AcmeRig.start(tickets: 10, apiKey: "wrong")
        await #expect { try await rig.sync(from: .initial) } throws: { ($0 as? BackendError)?.kind == .unauthorized }
        await rig.stop()
    }

    @Test func garbageAndOutagesAreErrorsNotCrashes() async throws {
        let rig = try await AcmeRig.start(tickets: 10)
        for fault in [FakeFault.garbage, .truncated, .serverError, .unauthorized] {
            rig.fake.setFault(fault)
            await #expect(throws: BackendError.self) { try await rig.sync(from: .initial) }
        }
        rig.fake.setFault(nil)
        #expect(try await rig.sync(from: .initial).fullLoadComplete)
        // Down last: a freed port may be taken by a parallel suite, so it is not reused.
        rig.fake.setFault(.down)
        await #expect(throws: BackendError.self) { try await rig.sync(from: .initial) }
        await rig.stop()
    }

    @Test func onlyGrantedEntriesDeactivateAndNeverADenial() async throws {
        let rig = try await AcmeRig.start(tickets: 10)
        let scans = [
            rig.scan("s1", 1), rig.scan("s2", 2, outcome: .denied), rig.scan("s3", 3, direction: .out),
            ScanRecord(scanID: "s4", barcode: "NOPE", ticketID: nil, gate: "north-1", direction: .in, outcome: .denied,
                       reasonCode: "unknown_ticket", time: rig.fake.now, source: "x"),
        ]
        #expect(try await rig.backend.upload(scans) == [.accepted, .skipped, .skipped, .skipped])
        #expect(rig.fake.receivedDeactivations.map(\.barcode) == [DemoEvent.barcode(1)])
        #expect(rig.fake.barcode(DemoEvent.barcode(1))?.active == false)
        #expect(rig.fake.barcode(DemoEvent.barcode(2))?.active == true)
        let message = rig.fake.receivedDeactivations[0].message ?? ""
        #expect(message.hasPrefix("Barcode was used on ") && message.hasSuffix("(Admit scan s1)"))
        await rig.stop()
    }

    @Test func aLostReplyIsRetriedHarmlesslyAndTheSyncSeesTheUse() async throws {
        let rig = try await AcmeRig.start(tickets: 10)
        let cursor = try await rig.sync(from: .initial)
        rig.recorder.reset()
        rig.fake.setFault(.dropAfterProcessing)
        let scan = rig.scan("lost-1", 1)
        await #expect(throws: BackendError.self) { try await rig.backend.upload([scan]) }
        rig.fake.setFault(nil)
        #expect(try await rig.backend.upload([scan]) == [.accepted])
        let stored = rig.fake.barcode(DemoEvent.barcode(1))
        #expect(stored?.deactivationMessage?.hasSuffix("(Admit scan lost-1)") == true, "the first deactivation stays")
        rig.fake.advanceClock(milliseconds: 1000)
        _ = try await rig.sync(from: cursor)
        let ticket = rig.recorder.tickets.first { $0.barcode == DemoEvent.barcode(1) }
        #expect(ticket?.status == .valid, "a use is a redemption, not a cancellation")
        #expect(rig.recorder.redemptions.map(\.scanID) == ["lost-1"], "merges with the local record")
        #expect(rig.recorder.redemptions.first?.gate == "north-1")
        await rig.stop()
    }

    @Test func anUnknownBarcodeIsRejectedNotRetried() async throws {
        let rig = try await AcmeRig.start(tickets: 10)
        var scan = rig.scan("s9", 1)
        scan.barcode = "NOT-AT-ACME"
        #expect(try await rig.backend.upload([scan, rig.scan("s10", 2)]) == [.rejected("ACME does not know barcode NOT-AT-ACME"), .accepted])
        await rig.stop()
    }

    @Test func offersNoEventListButConfirmsTheConfiguredEvent() async throws {
        let rig = try await AcmeRig.start(tickets: 30)
        let listing = try await rig.backend.listEvents()
        #expect(!listing.listed, "ACME's b2b API lists no events")
        #expect(listing.configKey == "event" && listing.configured == DemoEvent.eventID)
        #expect(listing.events == [BackendEvent(id: DemoEvent.eventID, name: "", detail: "30 barcodes")])
        #expect(listing.note?.contains("[backend] event") == true)
        await rig.stop()
    }

    @Test func aBarcodeDeletedAtAcmeIsRejectedWithItsReason() async throws {
        let rig = try await AcmeRig.start(tickets: 10)
        #expect(rig.fake.delete(barcode: DemoEvent.barcode(3)))
        #expect(try await rig.backend.upload([rig.scan("d3", 3), rig.scan("d4", 4)])
            == [.rejected("ACME does not know barcode \(DemoEvent.barcode(3))"), .accepted])
        await rig.stop()
    }

    @Test func realtimeLooksUpWithinTheBudget() async throws {
        let rig = try await AcmeRig.start(tickets: 20)
        let verdict = try await rig.backend.check(barcode: DemoEvent.barcode(1), direction: .in, budgetMilliseconds: 2000)
        guard case .granted(let ticket) = verdict else { Issue.record("not granted: \(verdict)"); return }
        #expect(ticket?.barcode == DemoEvent.barcode(1))
        #expect(try await rig.backend.check(barcode: "NOPE", direction: .in, budgetMilliseconds: 2000) == .unknown)
        #expect(try await rig.backend.check(barcode: DemoEvent.barcode(7), direction: .in, budgetMilliseconds: 2000) == .denied("ACME: refunded"))
        // A slow answer is given up at the budget: a timeout, not an answer (the time a
        // visitor waits is asserted on the daemon's own clock in the end-to-end suites).
        rig.fake.setFault(.slow(milliseconds: 2000))
        let error = await #expect(throws: BackendError.self) {
            try await rig.backend.check(barcode: DemoEvent.barcode(2), direction: .in, budgetMilliseconds: 300)
        }
        #expect(error?.kind == .timeout && error?.message == "no answer within 300 ms", "\(String(describing: error))")
        await rig.stop()
    }
}
