import AdmitCore
import AdmitDaemon
import AdmitFakes
import AdmitStore
import Foundation
import Testing

/// The crash loop: its own suite, because its length follows `ADMIT_CRASH_ROUNDS` (12 in
/// `make test`, 1000 in `make soak`, about 11 minutes).
@Suite(.serialized, .timeLimit(.minutes(120))) struct CrashLoopEndToEndTests {
    /// SIGKILL at random instants while scans and uploads run, many times over: every GRANTED
    /// printed is in the journal and reaches the backend, and no ticket is admitted twice.
    @Test func crashesLoseNoScanAndAdmitNoTicketTwice() async throws {
        let rounds = Int(ProcessInfo.processInfo.environment["ADMIT_CRASH_ROUNDS"] ?? "") ?? 12
        let gate = try await VivenuGate.start(tickets: 2000)
        let valid = gate.validBarcodes
        var next = 0
        // New tickets, tickets admitted in earlier rounds (must be refused), and unknowns.
        let printedGranted = try Self.killRepeatedly(rounds: rounds, launch: gate.launch) { round, granted, generator in
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<6: next += 1; return valid[(next - 1) % valid.count]
            case 6..<9: return granted.randomElement(using: &generator) ?? valid[0]
            default: return "UNKNOWN-\(round)"
            }
        }
        // One last clean run lets the outbox drain.
        let last = try gate.launch()
        #expect(last.waitUntilReady())
        #expect(last.wait(seconds: 30) { (try? VivenuEndToEndTests.status(last))?.pendingScans == 0 }, "outbox drains")
        #expect(last.terminate() == 0)

        #expect(Set(printedGranted).count == printedGranted.count, "a ticket was admitted twice: \(printedGranted.count - Set(printedGranted).count)")
        let journal = try ScanOutbox(path: gate.directory + "/journal.sqlite")
        let recordedGranted = try journal.allScans().filter { $0.record.outcome == .granted }
        let recordedBarcodes = Set(recordedGranted.map(\.record.barcode))
        for barcode in printedGranted { #expect(recordedBarcodes.contains(barcode), "printed GRANTED \(barcode) is not in the journal") }
        #expect(recordedGranted.count == recordedBarcodes.count, "the journal holds a ticket admitted twice")
        let uploadedOK = gate.fake.receivedScans.filter { $0.type == "OK" }
        let uploadedIDs = uploadedOK.compactMap { $0.extra["scanId"]?.stringValue }
        let distinct = Set(uploadedIDs)
        for scan in recordedGranted { #expect(distinct.contains(scan.record.scanID), "GRANTED \(scan.record.barcode) never reached the backend") }
        print("crash test: \(rounds) rounds, \(printedGranted.count) admitted, \(recordedGranted.count) recorded, \(distinct.count) uploaded, \(uploadedIDs.count - distinct.count) re-sent after a lost reply")
        try await gate.fake.stop()
    }

    /// The same against eventyay, whose check-in takes a nonce (the scan id): a re-send
    /// after a lost answer replays the first answer, so here every GRANTED reaches the
    /// backend exactly once, with no re-send stored twice.
    @Test func crashesAgainstEventyayUploadEveryGrantedExactlyOnce() async throws {
        let rounds = Int(ProcessInfo.processInfo.environment["ADMIT_CRASH_ROUNDS"] ?? "") ?? 12
        let event = DemoEvent(count: 2000, now: Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000)))
        let fake = EventyayFake(key: "droid-crash", organizer: "demoorga", event: "democon", tickets: event.tickets)
        _ = try await fake.start()
        let gate = try EventyayEndToEndTests.gate(on: fake, key: "droid-crash")
        var next = 0
        let printedGranted = try Self.killRepeatedly(rounds: rounds, launch: gate.launch) { _, granted, generator in
            if Int.random(in: 0..<10, using: &generator) < 3, let again = granted.randomElement(using: &generator) { return again }
            next += 1
            return DemoEvent.barcode((next - 1) % 2000)
        }
        let last = try gate.launch()
        #expect(last.waitUntilReady())
        #expect(last.wait(seconds: 60) { (try? last.status())?.pendingScans == 0 }, "outbox drains")
        #expect(last.terminate() == 0)

        #expect(Set(printedGranted).count == printedGranted.count, "a ticket was admitted twice")
        let journal = try ScanOutbox(path: gate.directory + "/journal.sqlite")
        let recorded = try journal.allScans().filter { $0.record.outcome == .granted }.map(\.record.barcode)
        #expect(Set(recorded) == Set(printedGranted), "every printed GRANTED is in the journal, nothing else")
        let doubled = recorded.filter { fake.checkins(of: $0).count != 1 }
        #expect(doubled.isEmpty, "checked in other than once at eventyay: \(doubled.prefix(5))")
        print("crash test (eventyay): \(rounds) rounds, \(printedGranted.count) admitted, \(recorded.count) recorded, \(recorded.count - doubled.count) checked in exactly once")
        try await fake.stop()
    }

    /// `rounds` rounds of: start admitd, type 30 reads (`nextRead` picks each, knowing the
    /// barcodes printed GRANTED in earlier rounds), kill it with SIGKILL at a random instant
    /// while scans are recorded and uploaded. Returns the barcodes printed GRANTED.
    static func killRepeatedly(
        rounds: Int, launch: () throws -> DaemonProcess,
        nextRead: (_ round: Int, _ granted: [String], _ generator: inout SystemRandomNumberGenerator) -> String
    ) throws -> [String] {
        var printedGranted: [String] = []
        var generator = SystemRandomNumberGenerator()
        for round in 0..<rounds {
            let d = try launch()
            #expect(d.waitUntilReady(), "round \(round): \(d.stderr)")
            for _ in 0..<30 {
                d.type(nextRead(round, printedGranted, &generator))
                usleep(UInt32.random(in: 1_000...15_000, using: &generator))
            }
            usleep(UInt32.random(in: 0...300_000, using: &generator))
            d.kill()
            printedGranted += d.consoleLines.filter { $0.contains(" GRANTED ") && !$0.contains("repeat read") }
                .map { VivenuEndToEndTests.barcode(in: $0) }
        }
        return printedGranted
    }
}
