import AdmitCore

/// Key events as a scanner (or anything posing as one on a kiosk's USB port) may send them:
/// any key code, down, up, repeat or lost events, with any pause. The first bytes choose
/// the keymap, the terminators, the timeout and the framing; then three bytes per step.
enum KeystrokeFuzzer {
    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let setup = input.byte()
        let keymap = [Keymap.us, Keymap.uk, Keymap.de, Keymap.fr][Int(setup & 3)]
        let terminators: [Set<KeystrokeTerminator>] = [[.enter, .tab], [.enter], [.tab], []]
        let checks = DecoderChecks(framing: DecoderChecks.framing(&input))
        let timeout = UInt64(input.byte()) + 1
        var decoder = KeystrokeDecoder(
            .init(keymap: keymap, terminators: terminators[Int(setup >> 2 & 3)], interKeyTimeoutMilliseconds: timeout,
                  framing: checks.framing))
        var now = MonotonicInstant(nanoseconds: 1_000_000_000)
        while !input.isEmpty {
            let op = input.byte(), code = input.byte(), pause = input.byte()
            now = now.adding(milliseconds: UInt64(pause & 0x7F) * (pause & 0x80 != 0 ? 10 : 1))
            let key = KeyCode(UInt16(code) | (op & 0x10 != 0 ? 0x100 : 0))
            let outputs: [DecoderOutput]
            switch op & 0x0F {
            case 0...5: outputs = decoder.receive(.key(key, .down, at: now))
            case 6...10: outputs = decoder.receive(.key(key, .up, at: now))
            case 11: outputs = decoder.receive(.key(key, .repeat, at: now))
            case 12: outputs = decoder.receive(.eventsDropped(at: now))
            default:
                // The shell's timer: it fires at the deadline, never before.
                guard let deadline = decoder.deadline else { continue }
                now = max(now, deadline)
                outputs = decoder.advance(to: now)
                expect(decoder.deadline == nil, "still waiting after the deadline passed")
            }
            checks.check(outputs, now: now)
        }
    }
}
