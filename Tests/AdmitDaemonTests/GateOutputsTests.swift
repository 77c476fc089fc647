import AdmitCore
import AdmitDaemon
import AdmitDevices
import AdmitFakes
import AdmitStore
import Dispatch
import Foundation
import Logging
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The gate loop with an output rig on recording lines: a scan sequence with what the relay,
/// lamps and passage sensor do.
@Suite struct GateOutputsTests {
    let event = DemoEvent(count: 100, now: SystemClock().wall())

    final class Rig: Sendable {
        let lines: [SignalChannel: RecordingLine]
        let input = ManualEdgeSource()
        let rig: OutputRig
        let loop: GateLoop
        let journal: any ScanJournal

        init(event: DemoEvent, config: OutputConfig, journal: any ScanJournal = MemoryScanJournal()) throws {
            self.journal = journal
            let lines = Dictionary(uniqueKeysWithValues: SignalChannel.allCases.map { ($0, RecordingLine(label: "\($0)")) })
            self.lines = lines
            let input = input
            let gate = Gate(policy: GatePolicy(gateName: "north-1", direction: .in, area: "north"), index: TicketIndex(tickets: event.tickets))
            let box = LoopBox()
            rig = try OutputRig(
                config: config, logger: Logger(label: "test"), makeLine: { channel, _ in lines[channel] },
                makeInput: { _ in input },
                onPassage: { scanID, outcome in
                    if outcome == .notPassed { box.loop?.revokeNotPassed(scanID: scanID) }
                })
            loop = GateLoop(gate: gate, journal: journal, outputs: rig.outputs)
            box.loop = loop
        }

        func scan(_ barcode: String) -> Decision? {
            let done = DispatchSemaphore(value: 0)
            let result = ResultBox()
            loop.submit(barcode: barcode, source: "test") { decision, _ in
                result.decision = decision
                done.signal()
            }
            done.wait()
            return result.decision
        }
    }

    final class LoopBox: @unchecked Sendable { var loop: GateLoop? }
    final class ResultBox: @unchecked Sendable { var decision: Decision? }

    func config(passage: Bool = false) -> OutputConfig {
        var text = """
            [gate]
            name = "north-1"
            [output.relay]
            line = 17
            pulse_ms = 60
            [output.green]
            line = 27
            on_ms = 60
            [output.red]
            line = 22
            on_ms = 60
            [output.buzzer]
            line = 23
            pattern_denied = [20, 20, 20]
            """
        if passage { text += "\n[input.passage]\nline = 24\npassage_timeout_s = 1\n" }
        return try! AdmitConfig.parse(text).outputs
    }

    @Test func grantedPulsesTheRelayOnceAndRepeatsDoNot() throws {
        let rig = try Rig(event: event, config: config())
        let barcode = event.samples.valid[0]
        #expect(rig.scan(barcode)?.isGranted == true)
        #expect(rig.scan(barcode)?.isRepeat == true)
        // Green is on longest: once it is off, the pattern has played out.
        #expect(waitUntil { rig.lines[.green]!.history.last == false && rig.lines[.relay]!.history.last == false })
        #expect(rig.lines[.relay]!.history == [true, false])
        #expect(rig.lines[.green]!.history == [true, false])  // the repeat kept green lit, then it went off
        #expect(rig.lines[.red]!.history == [])
    }

    @Test func aRelayThatWillNotSwitchOffTurnsTheStatusRed() throws {
        var outputs = config()
        outputs.relay?.milliseconds = 500
        let rig = try Rig(event: event, config: outputs)
        let relay = rig.lines[.relay]!
        #expect(rig.scan(event.samples.valid[0])?.isGranted == true)
        #expect(waitUntil { relay.history == [true] })
        relay.fail(with: LineError("set the value of", "relay", code: 5))
        #expect(rig.rig.relayProblem == nil, "the pulse is still running")
        #expect(waitUntil { rig.rig.relayProblem != nil }, "the pulse ends and its off is refused")
        #expect(rig.rig.relayProblem?.hasPrefix("relay did not switch off") == true, "\(rig.rig.relayProblem ?? "nil")")
        relay.fail(with: nil)
        #expect(waitUntil { rig.rig.relayProblem == nil && relay.history == [true, false] }, "\(relay.history)")
    }

    @Test func deniedLightsRedAndBuzzesNeverTheRelay() throws {
        let rig = try Rig(event: event, config: config())
        #expect(rig.scan(event.samples.unknown)?.isGranted == false)
        #expect(waitUntil { rig.lines[.red]!.history.last == false && rig.lines[.buzzer]!.history.count >= 4 })
        #expect(rig.lines[.relay]!.history == [])
        #expect(rig.lines[.red]!.history == [true, false])
        #expect(rig.lines[.buzzer]!.history == [true, false, true, false])
    }

    @Test func aVisitorWhoDoesNotPassKeepsTheTicket() throws {
        let path = NSTemporaryDirectory() + "admit-passage-\(UUID().uuidString.prefix(8)).sqlite"
        let rig = try Rig(event: event, config: config(passage: true), journal: try ScanOutbox(path: path))
        let barcode = event.samples.valid[1]
        let first = try #require(rig.scan(barcode))
        #expect(first.isGranted)
        // Durable: a restart rebuilds the ledger from the journal, and once passage_timeout_s
        // (1 s) has passed without a passage the scan is no longer a redemption there; the
        // GRANTED scan itself stays recorded.
        let reopened = try ScanOutbox(path: path)
        #expect(try waitUntil { try !reopened.loadRedemptions().contains { $0.scanID == first.scanID } })
        #expect(try reopened.allScans().contains { $0.record.scanID == first.scanID })
        let second = try #require(rig.scan(barcode))
        #expect(second.isGranted && !second.isRepeat, "\(second)")
        // Now the visitor passes: the ticket is used.
        #expect(rig.rig.passage?.counts().waiting == 1)
        rig.input.fire(at: SystemClock().monotonic().nanoseconds)
        // The edge is queued on the monitor's queue ahead of the question.
        #expect(rig.rig.passage?.counts().waiting == 0)
    }
}
