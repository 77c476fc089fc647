import AdmitDevices
import Dispatch
import Logging
import Testing

/// The player and the passage monitor against recording lines, in real (short) time.
@Suite struct SignalPlayerTests {
    let logger = Logger(label: "test")

    func lines() -> [SignalChannel: RecordingLine] {
        Dictionary(uniqueKeysWithValues: SignalChannel.allCases.map { ($0, RecordingLine(label: "\($0)")) })
    }

    func wait(_ milliseconds: Int) { usleep(UInt32(milliseconds * 1000)) }

    @Test func aGrantedPulseEndsOnItsOwn() {
        let recorded = lines()
        let player = SignalPlayer(
            lines: recorded, timings: SignalTimings(relayPulse: 30, greenOn: 60, redOn: 60, deniedPattern: [10]), logger: logger)
        player.play(.granted)
        wait(10)
        #expect(recorded[.relay]!.isActive)
        wait(140)
        #expect(recorded[.relay]!.history == [true, false])
        #expect(recorded[.green]!.history == [true, false])
    }

    @Test func stopDropsTheRelayAtOnce() {
        let recorded = lines()
        let player = SignalPlayer(lines: recorded, timings: SignalTimings(relayPulse: 5000), logger: logger)
        player.play(.granted)
        player.stop()
        #expect(recorded[.relay]!.history == [true, false])
    }

    @Test func aFailingLineDoesNotStopTheOthers() {
        let recorded = lines()
        recorded[.green]!.fail(with: LineError("set the value of", "green", code: EIO))
        let player = SignalPlayer(lines: recorded, timings: SignalTimings(relayPulse: 20), logger: logger)
        player.play(.granted)
        wait(80)
        #expect(recorded[.relay]!.history == [true, false])
        #expect(recorded[.green]!.history == [])
    }

    @Test func releasingThePlayerSwitchesTheLinesOff() {
        let relay = RecordingLine(label: "relay")
        do {
            let player = SignalPlayer(lines: [.relay: relay], timings: SignalTimings(relayPulse: 5000), logger: logger)
            player.play(.granted)
            player.sync {}
        }
        wait(20)
        #expect(relay.history.last == false)
    }

    @Test func passageMonitorReportsPassedAndNotPassed() throws {
        let input = ManualEdgeSource()
        let reports = Reports()
        let monitor = PassageMonitor(input: input, timeoutMilliseconds: 50, logger: logger) { scanID, outcome in
            reports.add("\(scanID) \(outcome)")
        }
        try monitor.start()
        monitor.granted(scanID: "a")
        wait(10)
        input.fire(at: SignalPlayer.monotonicMilliseconds() * 1_000_000)
        monitor.granted(scanID: "b")
        wait(150)
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
