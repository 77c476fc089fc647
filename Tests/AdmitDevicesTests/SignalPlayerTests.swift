import AdmitDevices
import Dispatch
import Logging
import Synchronization
import Testing

/// The player and the passage monitor against recording lines, on a clock the test moves:
/// their timers wake on real time but act on the test's time, so what is on at a given
/// instant is exact, and the tests wait only for a timer to catch up.
@Suite struct SignalPlayerTests {
    let logger = Logger(label: "test")

    func lines() -> [SignalChannel: RecordingLine] {
        Dictionary(uniqueKeysWithValues: SignalChannel.allCases.map { ($0, RecordingLine(label: "\($0)")) })
    }

    @Test func aGrantedPulseEndsOnItsOwn() {
        let recorded = lines(), clock = ManualMilliseconds()
        let player = SignalPlayer(
            lines: recorded, timings: SignalTimings(relayPulse: 30, greenOn: 60, redOn: 60, deniedPattern: [10]), logger: logger,
            now: clock.now)
        player.play(.granted)
        player.sync {}  // the pattern starts at 0
        #expect(recorded[.relay]!.history == [true])
        #expect(recorded[.green]!.history == [true])
        clock.set(30)
        #expect(waitUntil { recorded[.relay]!.history == [true, false] }, "\(recorded[.relay]!.history)")
        #expect(recorded[.green]!.history == [true], "green stays on for 60 ms")
        clock.set(60)
        #expect(waitUntil { recorded[.green]!.history == [true, false] }, "\(recorded[.green]!.history)")
        #expect(recorded[.relay]!.history == [true, false])
    }

    @Test func stopDropsTheRelayAtOnce() {
        let recorded = lines()
        let player = SignalPlayer(lines: recorded, timings: SignalTimings(relayPulse: 5000), logger: logger, now: ManualMilliseconds().now)
        player.play(.granted)
        player.stop()
        #expect(recorded[.relay]!.history == [true, false])
    }

    @Test func aFailingLineDoesNotStopTheOthers() {
        let recorded = lines(), clock = ManualMilliseconds()
        recorded[.green]!.fail(with: LineError("set the value of", "green", code: EIO))
        let player = SignalPlayer(lines: recorded, timings: SignalTimings(relayPulse: 20), logger: logger, now: clock.now)
        player.play(.granted)
        player.sync {}  // the pattern starts at 0
        clock.set(20)
        #expect(waitUntil { recorded[.relay]!.history == [true, false] }, "\(recorded[.relay]!.history)")
        #expect(recorded[.green]!.history == [])
    }

    @Test func releasingThePlayerSwitchesTheLinesOff() {
        let relay = RecordingLine(label: "relay")
        do {
            // The clock stands still: the pulse cannot end on its own.
            let player = SignalPlayer(lines: [.relay: relay], timings: SignalTimings(relayPulse: 5000), logger: logger, now: ManualMilliseconds().now)
            player.play(.granted)
            player.sync {}
            #expect(relay.history == [true])
        }
        // The player goes once its queue lets go of it.
        #expect(waitUntil { relay.history == [true, false] }, "\(relay.history)")
    }

    @Test func passageMonitorReportsPassedAndNotPassed() throws {
        let input = ManualEdgeSource(), clock = ManualMilliseconds()
        let reports = Reports()
        let monitor = PassageMonitor(input: input, timeoutMilliseconds: 50, logger: logger, now: clock.now) { scanID, outcome in
            reports.add("\(scanID) \(outcome)")
        }
        try monitor.start()
        monitor.granted(scanID: "a")
        #expect(monitor.counts().waiting == 1)
        input.fire(at: 10 * 1_000_000)
        clock.set(10)
        monitor.granted(scanID: "b")
        #expect(monitor.counts().waiting == 1)
        #expect(reports.all == ["a passed"])
        clock.set(59)
        #expect(monitor.counts().waiting == 1, "b has until 60")
        clock.set(60)
        #expect(waitUntil { reports.all.count == 2 })
        #expect(reports.all == ["a passed", "b notPassed"])
        monitor.stop()
    }
}

final class Reports: @unchecked Sendable {
    private let lock = DispatchQueue(label: "reports")
    private var items: [String] = []
    func add(_ item: String) { lock.sync { items.append(item) } }
    var all: [String] { lock.sync { items } }
}

#if canImport(Glibc)
    import Glibc
#endif

/// The relay's "off" and its timer (issue 15, item 3).
@Suite struct RelayOffTests {
    let logger = Logger(label: "test")

    @Test func aRefusedOffIsRetriedUntilItTakesAndCounted() {
        let relay = RecordingLine(label: "relay"), clock = ManualMilliseconds()
        let player = SignalPlayer(
            lines: [.relay: relay], timings: SignalTimings(relayPulse: 20), logger: logger, now: clock.now,
            offRetryMilliseconds: 5)
        player.play(.granted)
        player.sync {}
        relay.fail(with: LineError("set the value of", "relay", code: EIO))
        clock.set(20)
        #expect(waitUntil { player.offProblems().failedOffs >= 2 }, "the off is tried again: \(player.offProblems())")
        #expect(player.offProblems().stuckOn == [.relay])
        relay.fail(with: nil)
        #expect(waitUntil { relay.history == [true, false] }, "\(relay.history)")
        #expect(waitUntil { player.offProblems().stuckOn.isEmpty })
        #expect(player.offProblems().failedOffs >= 2, "the failures stay counted")
    }

    @Test func aClockThatMovesBetweenReadsDoesNotTrapTheTimer() {
        // Every read moves the clock 5 ms on, so two reads in one expression straddle the
        // 6 ms deadline: `deadline - now()` would underflow and trap.
        let ticks = Mutex<UInt64>(0)
        let relay = RecordingLine(label: "relay")
        let player = SignalPlayer(
            lines: [.relay: relay], timings: SignalTimings(relayPulse: 6, greenOn: 60_000, redOn: 60_000), logger: logger,
            now: { ticks.withLock { t in defer { t += 5 }; return t } })
        player.play(.granted)
        #expect(waitUntil { relay.history == [true, false] }, "\(relay.history)")
    }
}
