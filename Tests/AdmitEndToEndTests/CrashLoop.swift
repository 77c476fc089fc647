import AdmitCore
import AdmitFakes
import AdmitStore
import Foundation
import Testing

/// The crash loop over one gate: `rounds` lives of admitd, each killed with SIGKILL at an
/// instant drawn uniformly over the whole round, each checked against the journal it left.
struct CrashLoop {
    /// What the loop asks of the fake behind the gate.
    struct Backend {
        /// A mark in the fake's log of stored uploads (its length now).
        var mark: () -> Int
        /// How many uploads stored since `mark` carry a scan id not in `settled`: the fake
        /// stored them and the killed daemon had not recorded the answer.
        var unsettled: (_ since: Int, _ settled: Set<String>) -> Int
        /// True once the fake has seen every connection of the killed daemon close.
        var connectionsClosed: () -> Bool
        /// True once every copy beyond the upload has arrived (portier's, which follows the
        /// access-control upload with a cursor of its own); asked of the last, clean life.
        var copiesArrived: () -> Bool = { true }
    }

    /// Reads typed per round; a fresh ticket is used at most once, so the event needs
    /// `readsPerRound` tickets a round (`freshTicketsNeeded`).
    static let readsPerRound = 30
    /// After the last read, the round runs on this long: commits, uploads, a sync.
    static let tail = Duration.milliseconds(700)

    /// Rounds from `ADMIT_CRASH_ROUNDS` (20 when unset: `make test`; `make soak` runs 1000).
    static var rounds: Int { Int(ProcessInfo.processInfo.environment["ADMIT_CRASH_ROUNDS"] ?? "") ?? 20 }

    /// Fresh tickets a run of `rounds` may use: every read of every round.
    static func freshTicketsNeeded(rounds: Int) -> Int { rounds * readsPerRound }

    let directory: String
    let launch: () throws -> DaemonProcess
    let backend: Backend
    /// Valid tickets never scanned, in the order the loop takes them.
    let fresh: [String]

    /// Runs the rounds, then one clean life that drains the outbox. Failures are recorded
    /// as expectations naming the round; the tally says what was counted.
    func run(rounds: Int, random: inout CrashLoopRandom) throws -> CrashLoopTally {
        var tally = CrashLoopTally()
        var nextFresh = 0
        var admitted: [String] = []
        var printedGranted: [String] = []
        var journalLength = 0
        // Launch-to-ready, warm (tickets stored) and cold (a full load first), refined as
        // the loop goes, so a round's length follows this machine's speed.
        var warmStart = Duration.milliseconds(500), coldStart = Duration.milliseconds(1500)
        for round in 0..<rounds {
            let dropCache = round > 0 && random.next() % 8 == 0
            if dropCache { Self.removeTicketCache(in: directory) }
            let cold = round == 0 || dropCache
            var reads: [(barcode: String, gapMicroseconds: UInt32)] = []
            var freshHere: Set<String> = []
            // The script (digested for replays) is what the seed decides; which ticket a
            // re-read lands on also depends on which were admitted, which the timing decides.
            var script: [String] = ["\(dropCache)"]
            for i in 0..<Self.readsPerRound {
                let pick = Double.random(in: 0..<1, using: &random)
                let which = Int(random.next() % UInt64(Int.max))
                let barcode: String
                if pick < 0.3 {
                    // Admitted in an earlier life: must be refused.
                    barcode = admitted.isEmpty ? "NOT-YET-ADMITTED-\(round)-\(i)" : admitted[which % admitted.count]
                    script.append("again \(which)")
                } else if pick < 0.4 {
                    barcode = "UNKNOWN-\(round)-\(i)"
                    script.append(barcode)
                } else {
                    barcode = fresh[nextFresh]
                    freshHere.insert(barcode)
                    nextFresh += 1
                    script.append(barcode)
                }
                reads.append((barcode, UInt32.random(in: 2_000...40_000, using: &random)))
                script.append("\(reads[i].gapMicroseconds)")
            }
            let typing = Duration.microseconds(reads.reduce(0) { $0 + Int64($1.gapMicroseconds) })
            let length = (cold ? coldStart : warmStart) + typing + Self.tail
            let fraction = Double.random(in: 0..<1, using: &random)
            let killAfter = length * fraction
            tally.script.add(script + ["\(fraction)"])
            let mark = backend.mark()

            let life = try CrashLoopLife.run(launch: launch, reads: reads, killAfter: killAfter)
            if let ready = life.readyAfter {
                if cold { coldStart = (coldStart * 3 + ready) / 4 } else { warmStart = (warmStart * 3 + ready) / 4 }
            }
            #expect(life.kill.endedBySIGKILL, "round \(round): admitd was not alive at the kill (\(life.kill.termination)): \(life.stderr.suffix(3000))")
            #expect(CrashLoop.waitUntil(seconds: 30, backend.connectionsClosed), "round \(round): the fake still holds connections of the killed daemon")

            let journal = try ScanOutbox(path: directory + "/journal.sqlite").allScans()
            #expect(journal.count >= journalLength, "round \(round): the journal shrank from \(journalLength) to \(journal.count)")
            let added = journal.dropFirst(journalLength)
            journalLength = journal.count
            // Every printed line, GRANTED and DENIED, is this life's next journal entry, with
            // the same outcome; the journal may end with decisions the kill kept off the console.
            let recorded = added.map { CrashLoopLife.Line(barcode: $0.record.barcode, granted: $0.record.outcome == .granted) }
            let inOrder = recorded.starts(with: life.lines)
            #expect(inOrder, "round \(round): printed \(life.lines) but the journal got \(recorded)")
            if inOrder { tally.linesChecked += life.lines.count } else { tally.roundsOutOfStep += 1 }
            let settled = Set(journal.filter { $0.state != .pending }.map(\.record.scanID))
            let lostReplies = backend.unsettled(mark, settled)
            tally.lostReplies += lostReplies

            tally.rounds += 1
            let inHand = life.kill.typedBefore > life.printedCount
            let notPrinted = inOrder && recorded.count > life.lines.count
            if !life.wasReady { tally.startUp += 1 }
            if !life.wasReady, cold, !life.completedFullLoad { tally.startUpInFullLoad += 1 }
            if life.kill.duringTyping { tally.typing += 1 }
            if inHand || notPrinted { tally.readInHand += 1 }
            if notPrinted { tally.recordedNotPrinted += 1 }
            if lostReplies > 0 { tally.upload += 1 }
            if life.wasReady, !life.kill.duringTyping, !inHand, !notPrinted, lostReplies == 0 { tally.quiet += 1 }
            // A valid ticket never scanned before is admitted: the loop is not just refusing.
            let refusedFresh = life.lines.filter { freshHere.contains($0.barcode) && !$0.granted }
            #expect(refusedFresh.isEmpty, "round \(round): fresh tickets refused: \(refusedFresh)")
            let grantedHere = life.lines.filter(\.granted).map(\.barcode)
            if !grantedHere.isEmpty { tally.roundsWithGranted += 1 }
            printedGranted += grantedHere
            admitted += added.filter { $0.record.outcome == .granted }.map(\.record.barcode)
        }

        // One clean life: the outbox drains, and what it decides nothing more.
        let last = try launch()
        #expect(last.waitUntilReady(seconds: 120), "the last start: \(last.stderr.suffix(3000))")
        #expect(last.waitForUploads(seconds: 120), "the outbox drains")
        #expect(CrashLoop.waitUntil(seconds: 120, backend.copiesArrived), "the copies arrive")
        #expect(last.terminate() == 0)

        let journal = try ScanOutbox(path: directory + "/journal.sqlite").allScans()
        let granted = journal.filter { $0.record.outcome == .granted }.map(\.record.barcode)
        let grantedSet = Set(granted)
        tally.admitted = grantedSet.count
        tally.doubled = (granted.count - grantedSet.count) + (printedGranted.count - Set(printedGranted).count)
        tally.lost = Set(printedGranted).subtracting(grantedSet).count
        #expect(tally.doubled == 0, "admitted twice: \(Self.repeated(granted + printedGranted).prefix(10))")
        #expect(tally.lost == 0, "printed GRANTED, not in the journal: \(Set(printedGranted).subtracting(grantedSet).prefix(10))")
        return tally
    }

    /// Removes the ticket snapshot (a cache: the next start loads every ticket again) and
    /// nothing else: the journal and its redemptions stay.
    static func removeTicketCache(in directory: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: directory + "/tickets.sqlite" + suffix) }
    }

    /// Polls `condition` every 2 ms until it holds, or `seconds` pass.
    static func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            usleep(2_000)
        }
        return condition()
    }

    /// Elements that occur more than once.
    static func repeated(_ items: [String]) -> [String] {
        var seen: Set<String> = [], twice: Set<String> = []
        for item in items where !seen.insert(item).inserted { twice.insert(item) }
        return twice.sorted()
    }

    /// Valid tickets of `event` (in `area` when given), in the event's order.
    static func validBarcodes(of event: DemoEvent, area: String? = nil) -> [String] {
        let now = Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000))
        return (0..<event.count).map(event.ticket).filter {
            $0.status == .valid && (area.map { [$0] } ?? $0.areas) == $0.areas && $0.entriesAllowed == 1
                && ($0.validFrom.map { $0 < now } ?? true) && ($0.validUntil.map { $0 > now } ?? true)
        }.map(\.barcode)
    }
}
