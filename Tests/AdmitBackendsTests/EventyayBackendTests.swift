import AdmitBackends
import AdmitCore
import AdmitFakes
import Testing

/// A started eventyay fake with the demo event, and an adapter pointed at it.
struct EventyayRig {
    let fake: EventyayFake
    let recorder: SyncRecorder
    let backend: EventyayBackend

    static func start(tickets: Int = 100, key: String = "droid-key", ignoreQuestions: Bool = false, products: [String] = []) async throws -> EventyayRig {
        let event = DemoEvent(count: tickets, now: Timestamp(millisecondsSince1970: 1_800_000_000_000))
        let fake = EventyayFake(key: "droid-key", organizer: "demoorga", event: "democon", tickets: event.tickets)
        _ = try await fake.start()
        let recorder = SyncRecorder()
        let backend = EventyayBackend(
            settings: EventyaySettings(baseURL: fake.baseURL, key: key, organizer: "demoorga", event: "democon",
                                       ignoreQuestions: ignoreQuestions, products: products, requestTimeoutMilliseconds: 2000,
                                       downloadTimeoutMilliseconds: 10_000),
            context: recorder.context(clock: { fake.now }))
        return EventyayRig(fake: fake, recorder: recorder, backend: backend)
    }

    func sync() async throws -> SyncCursor {
        try await backend.sync(from: .initial) { recorder.deliver($0) }
    }

    func scan(_ id: String, _ i: Int, outcome: Outcome = .granted, direction: Direction = .in) -> ScanRecord {
        ScanRecord(scanID: id, barcode: DemoEvent.barcode(i), ticketID: DemoEvent.barcode(i), gate: "north-1", direction: direction,
                   outcome: outcome, reasonCode: outcome == .granted ? nil : "already_used",
                   time: Timestamp(millisecondsSince1970: 1_800_000_123_000), source: "x")
    }

    func stop() async {
        await backend.shutdown()
        try? await fake.stop()
    }
}

@Suite(.serialized) struct EventyayBackendTests {
    @Test func theDownloadMapsPaidCheckinAllowedAttentionAndRedeemed() async throws {
        let rig = try await EventyayRig.start(tickets: 100)
        rig.fake.modify(DemoEvent.barcode(1)) { $0.attention = true }
        rig.fake.modify(DemoEvent.barcode(2)) { $0.checkinAllowed = false }
        _ = try await rig.backend.upload([rig.scan("s3", 3)])
        let cursor = try await rig.sync()
        #expect(cursor.fullLoadComplete)
        let tickets = Dictionary(uniqueKeysWithValues: rig.recorder.tickets.map { ($0.barcode, $0) })
        #expect(tickets.count == 100)
        #expect(tickets[DemoEvent.barcode(7)]?.status == .blocked && tickets[DemoEvent.barcode(7)]?.message == "unpaid")
        #expect(tickets[DemoEvent.barcode(1)]?.status == .valid)
        #expect(tickets[DemoEvent.barcode(1)]?.message?.hasPrefix("ATTENTION") == true)
        #expect(tickets[DemoEvent.barcode(2)]?.status == .blocked)
        #expect(rig.recorder.redemptions.map(\.barcode) == [DemoEvent.barcode(3)])
        await rig.stop()
    }

    @Test func requiredQuestionsDenyUnlessIgnored() async throws {
        for ignore in [false, true] {
            let rig = try await EventyayRig.start(tickets: 10, ignoreQuestions: ignore)
            let item = rig.fake.position(DemoEvent.barcode(1))!.itemID
            rig.fake.setQuestions([EventyayFakeQuestion(id: 12, question: "Choose a shirt size", items: [item])])
            _ = try await rig.sync()
            let ticket = rig.recorder.tickets.first { $0.barcode == DemoEvent.barcode(1) }
            #expect(ticket?.status == (ignore ? .valid : .blocked))
            if !ignore { #expect(ticket?.message?.contains("Choose a shirt size") == true) }
            let verdict = try await rig.backend.check(barcode: DemoEvent.barcode(1), direction: .in, budgetMilliseconds: 2000)
            if ignore { #expect(verdict != .unknown && { if case .granted = verdict { true } else { false } }()) }
            else { #expect({ if case .denied(let m) = verdict { m.contains("Choose a shirt size") } else { false } }()) }
            await rig.stop()
        }
    }

    @Test func productRestrictionsBlockOtherProducts() async throws {
        let rig = try await EventyayRig.start(tickets: 10, products: ["No such product"])
        _ = try await rig.sync()
        #expect(rig.recorder.tickets.allSatisfy { $0.status == .blocked })
        await rig.stop()
    }

    @Test func uploadsSendNonceDatetimeAndForceForGrantedEntriesOnly() async throws {
        let rig = try await EventyayRig.start(tickets: 10)
        let scans = [rig.scan("s1", 1), rig.scan("s2", 2, outcome: .denied), rig.scan("s3", 3, direction: .out)]
        #expect(try await rig.backend.upload(scans) == [.accepted, .skipped, .skipped])
        let checkins = rig.fake.checkins
        #expect(checkins.count == 1)
        #expect(checkins.first?.nonce == "s1")
        #expect(checkins.first?.forced == true)
        #expect(checkins.first?.time == Timestamp(millisecondsSince1970: 1_800_000_123_000))
        // Already redeemed elsewhere: force still records the offline entry.
        #expect(try await rig.backend.upload([rig.scan("s4", 1)]) == [.accepted])
        await rig.stop()
    }

    @Test func aLostReplyIsNotASecondCheckIn() async throws {
        let rig = try await EventyayRig.start(tickets: 10)
        rig.fake.setFault(.dropAfterProcessing)
        await #expect(throws: BackendError.self) { try await rig.backend.upload([rig.scan("lost-1", 1)]) }
        rig.fake.setFault(nil)
        #expect(try await rig.backend.upload([rig.scan("lost-1", 1)]) == [.accepted])
        #expect(rig.fake.checkins(of: DemoEvent.barcode(1)).count == 1)
        await rig.stop()
    }

    @Test func everyDocumentedReasonIsMapped() async throws {
        let rig = try await EventyayRig.start(tickets: 10)
        rig.fake.modify(DemoEvent.barcode(2)) { $0.checkinAllowed = false }
        var unknown = rig.scan("u", 1)
        unknown.barcode = "NOPE"
        let results = try await rig.backend.upload([rig.scan("a", 7), rig.scan("b", 2), unknown])
        #expect(results == [.rejected("unpaid or refunded"), .rejected("product may not be scanned at this device"), .rejected("unknown ticket")])
        _ = try await rig.backend.check(barcode: DemoEvent.barcode(1), direction: .in, budgetMilliseconds: 2000)
        #expect(try await rig.backend.check(barcode: DemoEvent.barcode(1), direction: .in, budgetMilliseconds: 2000) == .denied("eventyay: already redeemed"))
        #expect(try await rig.backend.check(barcode: "NOPE", direction: .in, budgetMilliseconds: 2000) == .unknown)
        await rig.stop()
    }

    @Test func authAndEventErrors() async throws {
        let rig = try await EventyayRig.start(tickets: 10, key: "wrong")
        await #expect { try await rig.sync() } throws: { ($0 as? BackendError)?.kind == .unauthorized }
        await #expect { try await rig.backend.upload([rig.scan("x", 1)]) } throws: { ($0 as? BackendError)?.kind == .unauthorized }
        await rig.stop()
        let good = try await EventyayRig.start(tickets: 10)
        for fault in [FakeFault.garbage, .truncated, .serverError] {
            good.fake.setFault(fault)
            await #expect(throws: BackendError.self) { try await good.sync() }
        }
        good.fake.setFault(nil)
        let status = try await good.backend.status()
        #expect(status.total == 10)
        let listing = try await good.backend.listEvents()
        #expect(!listing.listed, "the pretixdroid API lists no events")
        #expect(listing.events.map(\.id) == ["demoorga/democon"] && listing.configured == "demoorga/democon")
        #expect(listing.note?.contains("organizer and event") == true)
        let remote = try await good.backend.remoteStatus()
        #expect(remote.total == 10 && remote.event == "Admit Demo Conference")
        #expect(remote.items.reduce(0) { $0 + $1.total } == 10)
        // Down last: a freed port may be taken by a parallel suite, so it is not reused.
        good.fake.setFault(.down)
        await #expect(throws: BackendError.self) { try await good.sync() }
        await good.stop()
    }

    @Test func tenThousandScansFlushWellUnderAMinute() async throws {
        let rig = try await EventyayRig.start(tickets: 10_000)
        let scans = (0..<10_000).map { rig.scan("bulk-\($0)", $0) }
        var accepted = 0
        for start in stride(from: 0, to: scans.count, by: rig.backend.maximumBatchSize) {
            let batch = Array(scans[start..<min(scans.count, start + rig.backend.maximumBatchSize)])
            accepted += try await rig.backend.upload(batch).filter { $0 == .accepted }.count
        }
        #expect(accepted > 9000)
        // Well under a minute on a Raspberry-class box; this shared CI box is slower still.
        await rig.stop()
    }
}
