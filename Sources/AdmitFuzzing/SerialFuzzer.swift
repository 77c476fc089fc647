import AdmitCore

/// Bytes as a serial scanner (or line noise) may deliver them, in chunks of any size and
/// with any pause. The first bytes choose the terminator, timeout and framing; then each
/// chunk is a length byte, a pause byte and the chunk.
enum SerialFuzzer {
    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let terminator = SerialTerminator.allCases[Int(input.byte()) % SerialTerminator.allCases.count]
        let checks = DecoderChecks(framing: DecoderChecks.framing(&input))
        let timeout = UInt64(input.byte()) + 1
        var framer = SerialFramer(.init(terminator: terminator, interByteTimeoutMilliseconds: timeout, framing: checks.framing))
        var now = MonotonicInstant(nanoseconds: 1_000_000_000)
        while !input.isEmpty {
            let length = Int(input.byte() % 32), pause = input.byte()
            now = now.adding(milliseconds: UInt64(pause & 0x7F) * (pause & 0x80 != 0 ? 10 : 1))
            if let deadline = framer.deadline, deadline <= now {
                checks.check(framer.advance(to: deadline), now: now)
                expect(framer.deadline == nil, "still waiting after the deadline passed")
            }
            let chunk = input.take(length)
            let outputs = framer.receive(chunk, at: now)
            checks.check(outputs, now: now)
            for case .barcode(let barcode) in outputs {
                let terminators: [UInt8] = [0x0D, 0x0A, 0x03, 0x02]
                expect(!barcode.text.utf8.contains { terminators.contains($0) }, "a frame byte inside a barcode")
            }
        }
    }
}
