import AdmitDevices
import Testing

/// Scripts of cues and time steps against the pure sequencer: `at T: cue` or `at T` (advance),
/// each followed by the changes expected at that instant.
@Suite struct SignalSequencerTests {
    let timings = SignalTimings(relayPulse: 800, greenOn: 1500, redOn: 1500, deniedPattern: [100, 100, 100])

    /// Runs a script: each step is (time, cue or nil for "advance"), expected changes.
    func run(_ script: [(UInt64, SignalCue?, String)]) {
        var sequencer = SignalSequencer(timings: timings)
        for (time, cue, expected) in script {
            let changes = cue.map { sequencer.cue($0, at: time) } ?? sequencer.advance(to: time)
            #expect(changes.map(\.description).joined(separator: ", ") == expected, "at \(time) \(cue.map { "\($0)" } ?? "advance")")
        }
    }

    @Test func grantedPulsesTheRelayAndLightsGreen() {
        run([
            (0, .granted, "relay on, green on, led on"),
            (799, nil, ""),
            (800, nil, "relay off"),
            (1500, nil, "green off, led off"),
        ])
    }

    @Test func deniedLightsRedAndPlaysTheBuzzerPattern() {
        run([
            (0, .denied, "red on, buzzer on, led on"),
            (100, nil, "buzzer off, led off"),
            (200, nil, "buzzer on, led on"),
            (300, nil, "buzzer off, led off"),
            (1500, nil, "red off"),
        ])
    }

    @Test func repeatReadsNeverMoveTheRelay() {
        run([
            (0, .repeatGranted, "green on"),
            (100, .repeatDenied, "green off, red on"),
            (5000, nil, "red off"),
        ])
    }

    @Test func aNewDecisionCancelsThePreviousPattern() {
        run([
            (0, .denied, "red on, buzzer on, led on"),
            (50, .granted, "relay on, green on, red off, buzzer off"),  // the LED stays lit: now for green
            (200, nil, ""),  // the buzzer's second beep was cancelled
            (850, nil, "relay off"),
            (1550, nil, "green off, led off"),
        ])
    }

    @Test func aDeniedForTheNextPersonDoesNotCutARunningPulse() {
        run([
            (0, .granted, "relay on, green on, led on"),
            (300, .denied, "green off, red on, buzzer on"),
            (400, nil, "buzzer off, led off"),
            (800, nil, "relay off"),
        ])
    }

    @Test func aSecondGrantedRestartsThePulse() {
        run([
            (0, .granted, "relay on, green on, led on"),
            (700, .granted, ""),
            (800, nil, ""),
            (1500, nil, "relay off"),
        ])
    }

    @Test func theRelayIsNeverLeftEnergized() {
        var generator = SystemRandomNumberGenerator()
        let cues: [SignalCue] = [.granted, .denied, .repeatGranted, .repeatDenied]
        for _ in 0..<200 {
            var sequencer = SignalSequencer(timings: timings)
            var time: UInt64 = 0
            for _ in 0..<20 {
                time += UInt64.random(in: 0...1000, using: &generator)
                if Bool.random(using: &generator) {
                    _ = sequencer.cue(cues.randomElement(using: &generator)!, at: time)
                } else {
                    _ = sequencer.advance(to: time)
                }
            }
            _ = sequencer.advance(to: time + 60_000)
            #expect(!sequencer.isActive(.relay))
            #expect(sequencer.nextDeadline == nil)
            #expect(SignalChannel.allCases.allSatisfy { !sequencer.isActive($0) })
        }
    }

    @Test func allOffSwitchesEverythingAndForgetsTheSchedule() {
        var sequencer = SignalSequencer(timings: timings)
        _ = sequencer.cue(.granted, at: 0)
        #expect(sequencer.allOff().map(\.description) == ["relay off", "green off", "led off"])
        #expect(sequencer.nextDeadline == nil)
    }
}
