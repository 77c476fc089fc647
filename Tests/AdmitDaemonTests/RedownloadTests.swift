import AdmitBackends
import AdmitCore
@testable import AdmitDaemon
import AdmitFakes
import AdmitStore
import Foundation
import Logging
import Testing

/// The eventyay re-download diff (`Syncer+Redownload`): the real syncer, snapshot and
/// journal on temporary SQLite files, the real adapter against the eventyay fake on loopback.
@Suite(.serialized, .timeLimit(.minutes(2))) struct RedownloadTests {
    /// A syncer and gate on an eventyay fake of 40 tickets.
    struct Rig {
        let fake: EventyayFake
        let directory: String
        let snapshot: TicketSnapshot
        let outbox: ScanOutbox
        let gate: GateLoop
        let activity: BackendActivity
        let syncer: Syncer

        static func start() async throws -> Rig {
            let event = DemoEvent(count: 40, now: Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000)))
            let fake = EventyayFake(key: "k", organizer: "org", event: "ev", tickets: event.tickets)
            _ = try await fake.start()
            let directory = NSTemporaryDirectory() + "admit-redownload-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let snapshot = try TicketSnapshot(path: directory + "/tickets.sqlite")
            let outbox = try ScanOutbox(path: directory + "/journal.sqlite")
            let serverClock = SharedServerClock()
            let backend = EventyayBackend(
                settings: EventyaySettings(baseURL: fake.baseURL, key: "k", organizer: "org", event: "ev", requestTimeoutMilliseconds: 5000),
                context: serverClock.backendContext)
            let gate = GateLoop(
                gate: Gate(policy: GatePolicy(gateName: "north-1", debounceMilliseconds: 0), index: TicketIndex(tickets: [])),
                journal: outbox, outputs: [], serverClock: serverClock)
            let activity = BackendActivity()
            let syncer = Syncer(
                backend: backend, snapshot: snapshot, outbox: outbox, gate: gate, activity: activity,
                serverClock: serverClock, intervalSeconds: 3600, logger: Logger(label: "redownload-test"))
            return Rig(fake: fake, directory: directory, snapshot: snapshot, outbox: outbox, gate: gate, activity: activity, syncer: syncer)
        }

        var index: TicketIndex { gate.inspectNow { $0.gate.index } }

        func presence(_ barcode: String) -> Presence? { gate.inspectNow { $0.gate.ledger.presence(of: barcode) } }

        /// Decides a read at the gate and waits until it is recorded.
        func scan(_ barcode: String) async -> Decision? {
            await withCheckedContinuation { done in
                gate.submit(barcode: barcode, source: "test") { decision, _ in done.resume(returning: decision) }
            }
        }

        /// One sync pass, which must succeed.
        func pass() async {
            await syncer.pass()
            #expect(activity.current.lastSyncError == nil, "\(activity.current.lastSyncError ?? "")")
        }

        func stop() async throws {
            try await fake.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    static func barcode(_ i: Int) -> String { DemoEvent.barcode(i) }

    @Test func changedRemovedAndAddedTicketsReachTheNextGenerationAndLocalRedemptionsSurvive() async throws {
        let rig = try await Rig.start()
        await rig.pass()
        let loaded = rig.index
        #expect(loaded.count == 40)
        #expect(rig.activity.current.fullLoadPending == false)

        // This gate admits two tickets; eventyay has not heard of them (nothing is uploaded).
        #expect(await rig.scan(Self.barcode(0))?.outcome == .granted)
        #expect(await rig.scan(Self.barcode(1))?.outcome == .granted)

        // Between two downloads: one ticket refunded, one deleted, one sold, one checked in
        // by another device.
        rig.fake.modify(Self.barcode(1)) { $0.paid = false }
        #expect(rig.fake.remove(secret: Self.barcode(2)))
        var sold = EventyayFakePosition(Ticket(id: "new", barcode: "NEW-0001", typeName: "Walk-up"), index: 99)
        sold.attendeeName = "Late Comer"
        rig.fake.put(sold)
        rig.fake.checkIn(secret: Self.barcode(3))

        await rig.pass()
        let next = rig.index
        #expect(next.generation == loaded.generation + 1)
        #expect(next.count == 40, "one removed, one added")
        #expect(next.lookup(Self.barcode(1))?.status == .blocked && next.lookup(Self.barcode(1))?.message == "unpaid")
        #expect(next.lookup(Self.barcode(2)) == nil)
        #expect(next.lookup("NEW-0001")?.typeName == "Walk-up")
        #expect(next.lookup(Self.barcode(5)) == loaded.lookup(Self.barcode(5)), "unchanged tickets stay as they were")
        #expect(rig.presence(Self.barcode(3))?.entries == 1, "eventyay's redeemed becomes a redemption")

        // The local redemptions survived the new generation, also of the changed ticket.
        #expect(rig.presence(Self.barcode(0))?.lastEntry?.gate == "north-1")
        #expect(rig.presence(Self.barcode(1))?.entries == 1)
        let again = await rig.scan(Self.barcode(0))
        if case .alreadyUsed(_, let gate)? = again?.denial {
            #expect(gate == "north-1")
        } else {
            Issue.record("a ticket admitted before the re-download is admitted again: \(String(describing: again))")
        }
        #expect(await rig.scan("NEW-0001")?.outcome == .granted)
        #expect(await rig.scan(Self.barcode(2))?.denial == .unknownTicket)

        // The snapshot on disk holds the same generation (what a restart would load).
        let stored = Dictionary(uniqueKeysWithValues: try rig.snapshot.loadAll().map { ($0.barcode, $0) })
        #expect(stored.count == 40)
        #expect(stored[Self.barcode(2)] == nil && stored["NEW-0001"] != nil && stored[Self.barcode(1)]?.status == .blocked)

        // A download that changes nothing makes no new generation.
        await rig.pass()
        #expect(rig.index.generation == next.generation)
        try await rig.stop()
    }
}
