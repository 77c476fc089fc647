import AdmitCore
import AdmitDaemon
import Benchmark
import Dispatch

/// The key events of `text` typed on `keymap` plus Enter, 1 ms apart, as a scanner sends them.
func keystrokes(typing text: String, keymap: Keymap = .us, startingAt start: UInt64 = 1_000_000_000) -> [KeyInput] {
    var inputs: [KeyInput] = [], time = start
    func key(_ code: KeyCode, _ action: KeyAction) { inputs.append(.key(code, action, at: MonotonicInstant(nanoseconds: time))) }
    for character in text {
        guard let stroke = keymap.keystroke(for: character) else { continue }
        if stroke.shift { key(.leftShift, .down) }
        key(stroke.key, .down)
        key(stroke.key, .up)
        if stroke.shift { key(.leftShift, .up) }
        time += 1_000_000
    }
    key(.enter, .down)
    key(.enter, .up)
    return inputs
}

let benchmarks: @Sendable () -> Void = {
    // 1000 barcodes of 20 characters (mixed case, so Shift is exercised): about 50 000 events.
    let stream = (0..<1000).flatMap { i in
        keystrokes(typing: "AdmitTicket-\(String(100_000 + i))x", startingAt: UInt64(i) * 100_000_000)
    }

    Benchmark(
        "Keystroke decoder throughput (events)",
        configuration: .init(metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .kilo)
    ) { benchmark in
        // One key event per iteration, so throughput reads as events per second.
        var decoder = KeystrokeDecoder(.init(keymap: .us))
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(decoder.receive(stream[index]))
            index = index + 1 == stream.count ? 0 : index + 1
        }
    }

    // The time from the scanner's last key event (Enter) to the gate's recorded decision:
    // decoding the Enter, the hop onto the gate queue, deciding, journalling, replying.
    let tickets = (0..<10_000).map { Ticket(id: "t\($0)", barcode: "ADMIT\(100_000 + $0)", entriesAllowed: 1_000_000) }
    let loop = GateLoop(
        gate: Gate(policy: GatePolicy(gateName: "bench", debounceMilliseconds: 0), index: TicketIndex(tickets: tickets)),
        journal: MemoryScanJournal(), outputs: [])
    // A different ticket each read, as at a gate (one ticket read thousands of times would
    // measure its growing list of entries instead).
    let barcodes = (0..<10_000).map { keystrokes(typing: "ADMIT\(100_000 + $0)") }
    nonisolated(unsafe) var nextBarcode = 0

    Benchmark(
        "Last key to decision (added latency)",
        configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(3))
    ) { benchmark in
        let barcode = barcodes[nextBarcode]
        nextBarcode = (nextBarcode + 1) % barcodes.count
        var decoder = KeystrokeDecoder(.init(keymap: .us))
        for input in barcode.dropLast(2) { _ = decoder.receive(input) }
        let done = DispatchSemaphore(value: 0)
        benchmark.startMeasurement()
        for output in decoder.receive(barcode[barcode.count - 2]) {
            if case .barcode(let read) = output {
                loop.submit(barcode: read.text, source: "bench") { _, _ in done.signal() }
            }
        }
        done.wait()
        benchmark.stopMeasurement()
    }
}
