import AdmitBackends
import AdmitCore
import AdmitFakes
import Testing

@Suite(.serialized) struct AudienceViewBackendTests {
    @Test func theFullLoadDeliversEveryTicketInPages() async throws {
        let rig = try await AudienceViewRig.start(tickets: 2500, pageSize: 1000)
        rig.fake.markScanned(barcode: DemoEvent.barcode(3))
        let cursor = try await rig.sync()
        #expect(cursor.fullLoadComplete)
        #expect(rig.recorder.pageCount == 3)
        #expect(Set(rig.recorder.tickets.map(\.barcode)).count == 2500)
        let byBarcode = Dictionary(uniqueKeysWithValues: rig.recorder.tickets.map { ($0.barcode, $0) })
        #expect(byBarcode[DemoEvent.barcode(7)]?.status == .cancelled, "refundedOrVoided is cancelled")
        #expect(byBarcode[DemoEvent.barcode(1)]?.status == .valid)
        #expect(byBarcode[DemoEvent.barcode(1)]?.typeID == String(AudienceViewRig.performanceID))
        let scanned = rig.recorder.redemptions
        #expect(scanned.map(\.barcode) == [DemoEvent.barcode(3)], "alreadyScanned is a use learned from the backend")
        #expect(scanned.first?.origin == .backend)
        await rig.stop()
    }

    @Test func everyPassDownloadsAgainAndSeesChanges() async throws {
        let rig = try await AudienceViewRig.start(tickets: 50)
        rig.fake.markScanned(barcode: DemoEvent.barcode(2))
        _ = try await rig.sync()
        let firstRedemptions = rig.recorder.redemptions
        rig.recorder.reset()
        rig.fake.cancel(barcode: DemoEvent.barcode(1), as: .voided)
        rig.fake.upsert([AudienceViewFakeTicket(ticketId: 9_000_001, performanceId: AudienceViewRig.performanceID, productionId: 3622,
                                                productionName: "Admit Demo Show", performanceStart: 0, barcode: "LATE-1")])
        var next = SyncCursor.initial
        next.loadNumber = 2
        let cursor = try await rig.sync(from: next)
        #expect(cursor.fullLoadComplete && cursor.loadNumber == 2)
        #expect(rig.recorder.tickets.count == 51, "no delta: the whole set again")
        #expect(rig.recorder.tickets.first { $0.barcode == DemoEvent.barcode(1) }?.status == .cancelled)
        #expect(rig.recorder.redemptions.map(\.scanID) == firstRedemptions.map(\.scanID), "the same use under the same id")
        await rig.stop()
    }

    @Test func onlyGrantedEntriesAreUploadedWithTheScanTime() async throws {
        let rig = try await AudienceViewRig.start()
        let t = rig.fake.now.adding(milliseconds: -60_000)
        let scans = [
            rig.entry(1, id: "a", time: t),
            rig.entry(2, id: "b", outcome: .denied),
            rig.entry(4, id: "c", direction: .out),
            ScanRecord(scanID: "d", barcode: "NOPE", ticketID: nil, gate: "g", direction: .in, outcome: .denied, reasonCode: "unknown_ticket", time: t, source: "x"),
        ]
        #expect(try await rig.backend.upload(scans) == [.accepted, .skipped, .skipped, .skipped])
        #expect(rig.fake.receivedScans.map(\.barcode) == [DemoEvent.barcode(1)])
        #expect(rig.fake.receivedScans.first?.scanTime == t, "scanTime is the scan's time in epoch ms")
        #expect(rig.fake.isScanned(barcode: DemoEvent.barcode(1)))
        await rig.stop()
    }

    @Test func failedBarcodesAreRejectedPerScanAndTheRestAccepted() async throws {
        let rig = try await AudienceViewRig.start()
        var stranger = rig.entry(5, id: "x")
        stranger.ticketID = "12345"
        let results = try await rig.backend.upload([rig.entry(1), rig.entry(7, id: "refunded"), stranger, rig.entry(4, id: "ok")])
        #expect(results[0] == .accepted && results[3] == .accepted)
        guard case .rejected(let refunded) = results[1], case .rejected(let unknown) = results[2] else {
            Issue.record("not rejected: \(results)")
            return
        }
        #expect(refunded.contains("refunded or voided") && refunded.contains(DemoEvent.barcode(7)))
        #expect(unknown.contains("Ticket ID not found"))
        await rig.stop()
    }

    @Test func aLostReplyIsRetriedWithoutASecondEntry() async throws {
        let rig = try await AudienceViewRig.start()
        let scan = rig.entry(1, id: "lost-1")
        rig.fake.setFault(.dropAfterProcessing)
        await #expect(throws: BackendError.self) { try await rig.backend.upload([scan]) }
        rig.fake.setFault(nil)
        #expect(try await rig.backend.upload([scan]) == [.accepted])
        #expect(rig.fake.receivedScans.count == 1, "the same ticket and scanTime is the same scan")
        await rig.stop()
    }

    @Test func scansOlderThan48HoursAreReportedNotSent() async throws {
        let rig = try await AudienceViewRig.start()
        let old = rig.entry(1, id: "old", time: rig.fake.now.adding(milliseconds: -49 * 3_600_000))
        let results = try await rig.backend.upload([old, rig.entry(4, id: "fresh")])
        guard case .rejected(let reason) = results[0] else { Issue.record("not rejected: \(results)"); return }
        #expect(reason.contains("48 hours"))
        #expect(results[1] == .accepted)
        #expect(rig.fake.receivedScans.map(\.barcode) == [DemoEvent.barcode(4)])
        await rig.stop()
    }

    @Test func theBackendsOwn48HourRefusalIsAReasonToo() async throws {
        // Without the adapter's own check, AudienceView's refusal comes back in failedBarcodes.
        let rig = try await AudienceViewRig.start(maximumScanAgeMilliseconds: .max)
        let old = rig.entry(1, id: "old", time: rig.fake.now.adding(milliseconds: -49 * 3_600_000))
        let results = try await rig.backend.upload([old])
        guard case .rejected(let reason) = results[0] else { Issue.record("not rejected: \(results)"); return }
        #expect(reason.contains("more than 48 hours ago"))
        await rig.stop()
    }

    @Test func aScanAheadOfTheBackendsClockIsSentAtItsNow() async throws {
        let rig = try await AudienceViewRig.start()
        rig.fake.setClock(AudienceViewRig.start, running: false)
        let early = rig.entry(1, time: AudienceViewRig.start.adding(milliseconds: 5000))
        #expect(try await rig.backend.upload([early]) == [.accepted])
        #expect(rig.fake.receivedScans.first?.scanTime == AudienceViewRig.start)
        await rig.stop()
    }

    @Test func listsClientsProductionsAndPerformances() async throws {
        let rig = try await AudienceViewRig.start(tickets: 3)
        let listing = try await rig.backend.listEvents()
        #expect(listing.listed)
        #expect(listing.events.map(\.id) == ["284", "284/3622", "284/3622/49182"])
        #expect(listing.events[1].name == "Admit Demo Show")
        #expect(listing.events[2].detail?.hasPrefix("starts ") == true)
        #expect(listing.configured == "284", "the rig names the client only")
        await rig.stop()
    }

    @Test func shutdownLogsOut() async throws {
        let rig = try await AudienceViewRig.start(tickets: 3)
        _ = try await rig.sync()
        #expect(rig.fake.openSessionCount == 1)
        await rig.backend.shutdown()
        #expect(rig.fake.invalidationCount == 1)
        #expect(rig.fake.openSessionCount == 0)
        #expect(await rig.backend.isLoggedIn == false)
        try? await rig.fake.stop()
    }

    @Test func garbageAndOutagesAreErrorsNotCrashes() async throws {
        let rig = try await AudienceViewRig.start(tickets: 10)
        for fault in [FakeFault.garbage, .truncated, .serverError, .unauthorized] {
            rig.fake.setFault(fault)
            await #expect(throws: BackendError.self) { try await rig.sync() }
        }
        rig.fake.setFault(nil)
        #expect(try await rig.sync().fullLoadComplete)
        // Down last: a freed port may be taken by a parallel suite, so it is not reused.
        rig.fake.setFault(.down)
        await #expect(throws: BackendError.self) { try await rig.sync() }
        await rig.stop()
    }
}
