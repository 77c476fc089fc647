import AdmitBackends
import AdmitCore
import AdmitFakes
import Testing

/// A started eventyay fake with the demo event, and an adapter pointed at it.
struct EventyayRig {
    let fake: EventyayFake
    let recorder: SyncRecorder
    let backend: EventyayBackend

    static func start(tickets: Int = 100, key: String = "droid-key", questions: EventyayQuestions = .ignore, products: [String] = []) async throws -> EventyayRig {
        let event = DemoEvent(count: tickets, now: Timestamp(millisecondsSince1970: 1_800_000_000_000))
        let fake = EventyayFake(key: "droid-key", organizer: "demoorga", event: "democon", tickets: event.tickets)
        _ = try await fake.start()
        let recorder = SyncRecorder()
        let backend = EventyayBackend(
            settings: EventyaySettings(baseURL: fake.baseURL, key: key, organizer: "demoorga", event: "democon",
                                       questions: questions, products: products, requestTimeoutMilliseconds: 2000,
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

    /// By default a required check-in question changes nothing: the ticket is valid, and
    /// both the realtime and the offline redeem go without `questions_supported`, so eventyay
    /// ignores the question and checks the ticket in. `questions = "refuse"` refuses it.
    @Test func requiredQuestionsAreIgnoredByDefaultAndRefusedOnRequest() async throws {
        for policy in EventyayQuestions.allCases {
            let rig = try await EventyayRig.start(tickets: 10, questions: policy)
            let item = rig.fake.position(DemoEvent.barcode(1))!.itemID
            rig.fake.setQuestions([EventyayFakeQuestion(id: 12, question: "Choose a shirt size", items: [item])])
            _ = try await rig.sync()
            let ticket = rig.recorder.tickets.first { $0.barcode == DemoEvent.barcode(1) }
            let verdict = try await rig.backend.check(barcode: DemoEvent.barcode(1), direction: .in, budgetMilliseconds: 2000)
            switch policy {
            case .ignore:
                #expect(ticket?.status == .valid && ticket?.message == nil, "\(String(describing: ticket))")
                #expect({ if case .granted = verdict { true } else { false } }(), "\(verdict)")
                #expect(rig.fake.checkins(of: DemoEvent.barcode(1)).count == 1, "realtime redeem checked it in")
                #expect(try await rig.backend.upload([rig.scan("q2", 2)]) == [.accepted])
                #expect(rig.fake.checkins(of: DemoEvent.barcode(2)).count == 1)
            case .refuse:
                #expect(ticket?.status == .blocked && ticket?.message?.contains("Choose a shirt size") == true)
                #expect({ if case .denied(let m) = verdict { m.contains("Choose a shirt size") } else { false } }(), "\(verdict)")
                #expect(rig.fake.checkins(of: DemoEvent.barcode(1)).isEmpty)
            }
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

    /// Every one of 10 k GRANTED entries gets exactly its answer, and each admitted one is
    /// checked in once (how long a flush takes is measured in Benchmarks/AcmeEventyay).
    @Test func tenThousandScansAreEachRedeemedOnce() async throws {
        let rig = try await EventyayRig.start(tickets: 10_000)
        let scans = (0..<10_000).map { rig.scan("bulk-\($0)", $0) }
        var results: [UploadResult] = []
        for start in stride(from: 0, to: scans.count, by: rig.backend.maximumBatchSize) {
            let batch = Array(scans[start..<min(scans.count, start + rig.backend.maximumBatchSize)])
            results += try await rig.backend.upload(batch)
        }
        // DemoEvent has cancelled (unpaid at eventyay) and blocked (check-in not allowed)
        // tickets: eventyay refuses those, with their reasons, and admits every other.
        let expected: [UploadResult] = (0..<10_000).map { i in
            let p = rig.fake.position(DemoEvent.barcode(i))!
            return !p.paid ? .rejected("unpaid or refunded")
                : !p.checkinAllowed ? .rejected("product may not be scanned at this device") : .accepted
        }
        let admitted = expected.filter { $0 == .accepted }.count
        #expect(admitted > 9000, "the demo event is mostly valid tickets: \(admitted)")
        #expect(results == expected)
        let checkins = rig.fake.checkins
        #expect(checkins.count == admitted)
        #expect(Set(checkins.compactMap(\.nonce)) == Set((0..<10_000).filter { expected[$0] == .accepted }.map { "bulk-\($0)" }))
        await rig.stop()
    }
}
