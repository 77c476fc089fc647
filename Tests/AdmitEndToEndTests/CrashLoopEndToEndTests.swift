import AdmitCore
import AdmitFakes
import AdmitStore
import Foundation
import Testing

/// The crash loop: its own suite, because its length follows `ADMIT_CRASH_ROUNDS` (20 in
/// `make test`, 1000 in `make soak`). `ADMIT_CRASH_SEED` replays a run's script (see
/// `CrashLoopRandom`); each test prints its seed and its tally (see `CrashLoopTally` for
/// how a kill's phase is told).
@Suite(.serialized, .timeLimit(.minutes(180))) struct CrashLoopEndToEndTests {
    /// Against vivenu access control, with portier copies. Every printed decision is in the
    /// journal with its outcome, every GRANTED reaches vivenu and portier, and no ticket is
    /// admitted twice. vivenu has no idempotency key, so a batch whose answer was lost is
    /// stored again: re-sends may not exceed the answers lost (both as the journal tells it
    /// and as the fake counts it). Portier is read back before a re-send: nothing twice.
    @Test func crashesAgainstVivenuLoseNoScanAndAdmitNoTicketTwice() async throws {
        let rounds = CrashLoop.rounds
        let salt: UInt64 = 0x7669_7665_6E75  // "vivenu"
        var random = CrashLoopRandom.fromEnvironment(salt: salt)
        print("crash loop (vivenu): ADMIT_CRASH_SEED=\(random.replaySeed(salt: salt))")
        let needed = CrashLoop.freshTicketsNeeded(rounds: rounds)
        let portier = PortierFake(token: "e2e-token", eventID: DemoEvent.eventID)
        _ = try await portier.start()
        // About 70 % of the demo event's tickets are valid at the north gate.
        let gate = try await VivenuGate.start(tickets: needed * 3 / 2 + 300, portierURL: portier.baseURL)
        let fresh = CrashLoop.validBarcodes(of: gate.event, area: "north")
        guard fresh.count >= needed else {
            Issue.record("the event holds \(fresh.count) fresh tickets, \(needed) needed")
            return
        }
        let fake = gate.fake
        // Answers on a slow line back, as over a venue's uplink: the batch is stored at once,
        // its answer is on its way for 80 ms, so kills inside that window are not rare.
        fake.setScanReplyDelay(milliseconds: 80)
        let loop = CrashLoop(
            directory: gate.directory, launch: gate.launch,
            backend: CrashLoop.Backend(
                mark: { fake.receivedScans.count },
                unsettled: { since, settled in
                    fake.receivedScans.dropFirst(since).filter { !settled.contains($0.extra["scanId"]?.stringValue ?? "") }.count
                },
                connectionsClosed: { fake.openConnections == 0 },
                copiesArrived: {
                    let journal = (try? ScanOutbox(path: gate.directory + "/journal.sqlite").allScans()) ?? []
                    let atPortier = Set(portier.receivedScans.filter { $0.scanResult == "approved" }.map(\.barcode))
                    return journal.filter { $0.record.outcome == .granted }.allSatisfy { atPortier.contains($0.record.barcode) }
                }),
            fresh: fresh)
        let tally = try loop.run(rounds: rounds, random: &random)

        let journal = try ScanOutbox(path: gate.directory + "/journal.sqlite").allScans()
        let uploaded = fake.receivedScans.compactMap { $0.extra["scanId"]?.stringValue }
        let distinct = Set(uploaded)
        let granted = journal.filter { $0.record.outcome == .granted }
        let missing = granted.filter { !distinct.contains($0.record.scanID) }.map(\.record.barcode)
        #expect(missing.isEmpty, "GRANTED never reached vivenu: \(missing.prefix(10))")
        let resent = uploaded.count - distinct.count
        let unconfirmed = fake.unconfirmedScans
        #expect(resent <= tally.lostReplies, "vivenu got \(resent) re-sends, but only \(tally.lostReplies) answers were lost")
        #expect(resent <= unconfirmed, "vivenu got \(resent) re-sends, more than the \(unconfirmed) scans the fake counts unconfirmed")

        // Portier: a scan is its ticket, time, type and device; each journal scan once.
        let copies = portier.receivedScans.map { "\($0.barcode) \($0.time.millisecondsSince1970) \($0.type) \($0.deviceId ?? "")" }
        let twice = copies.count - Set(copies).count
        #expect(twice == 0, "portier holds \(twice) scans twice: \(CrashLoop.repeated(copies).prefix(5))")
        let atPortier = Set(portier.receivedScans.filter { $0.scanResult == "approved" }.map(\.barcode))
        let notCopied = granted.map(\.record.barcode).filter { !atPortier.contains($0) }
        #expect(notCopied.isEmpty, "GRANTED never copied to portier: \(notCopied.prefix(10))")

        print(tally.report(
            backend: "vivenu + portier", seed: random.replaySeed(salt: salt),
            resends: "vivenu: \(resent) scans re-sent, \(tally.lostReplies) answers lost (journal), \(unconfirmed) unconfirmed (fake); portier: \(twice) stored twice"))
        try await fake.stop()
        try await portier.stop()
    }

    /// Against eventyay, whose redeem carries the scan id as its nonce: a re-send after a
    /// lost answer is answered from the first, so every GRANTED is checked in exactly once.
    @Test func crashesAgainstEventyayCheckEveryGrantedInExactlyOnce() async throws {
        let rounds = CrashLoop.rounds
        let salt: UInt64 = 0x6576_656E_7479  // "eventy"
        var random = CrashLoopRandom.fromEnvironment(salt: salt)
        print("crash loop (eventyay): ADMIT_CRASH_SEED=\(random.replaySeed(salt: salt))")
        let needed = CrashLoop.freshTicketsNeeded(rounds: rounds)
        let event = DemoEvent(count: needed * 3 / 2 + 300, now: Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000)))
        let fresh = CrashLoop.validBarcodes(of: event)
        guard fresh.count >= needed else {
            Issue.record("the event holds \(fresh.count) fresh tickets, \(needed) needed")
            return
        }
        let fake = EventyayFake(key: "droid-crash", organizer: "demoorga", event: "democon", tickets: event.tickets)
        _ = try await fake.start()
        let gate = try EventyayEndToEndTests.gate(on: fake, key: "droid-crash")
        let loop = CrashLoop(
            directory: gate.directory, launch: gate.launch,
            backend: CrashLoop.Backend(
                mark: { fake.checkins.count },
                unsettled: { since, settled in fake.checkins.dropFirst(since).filter { !settled.contains($0.nonce ?? "") }.count },
                connectionsClosed: { fake.openConnections == 0 }),
            fresh: fresh)
        let tally = try loop.run(rounds: rounds, random: &random)

        let journal = try ScanOutbox(path: gate.directory + "/journal.sqlite").allScans()
        let granted = journal.filter { $0.record.outcome == .granted }.map(\.record.barcode)
        let notOnce = granted.filter { fake.checkins(of: $0).count != 1 }
        #expect(notOnce.isEmpty, "checked in other than once at eventyay: \(notOnce.prefix(5))")
        // Replays can outnumber the check-ins whose answer was lost: a replay's own answer can
        // be lost again, and refusals are answered from the nonce too. Nothing is asserted on
        // them; a nonce checked in twice is the failure.
        let nonces = fake.checkins.compactMap(\.nonce)
        let twice = nonces.count - Set(nonces).count
        #expect(twice == 0, "eventyay checked \(twice) nonces in twice: \(CrashLoop.repeated(nonces).prefix(5))")
        print(tally.report(
            backend: "eventyay", seed: random.replaySeed(salt: salt),
            resends: "eventyay: \(fake.replayedNonces) re-sends answered by nonce, \(tally.lostReplies) check-ins whose answer was lost (journal), \(twice) stored twice"))
        try await fake.stop()
    }
}
