import AdmitCore
import Testing

/// Runs a scan script against a gate, like a steward's log read top to bottom:
///
///     at 0      scan VALID          GRANTED
///     at 500    scan VALID          GRANTED repeat
///     at 4000   scan VALID          DENIED already_used
///     at 5000   scan VALID out      GRANTED
///
/// `at` is milliseconds on both the monotonic and the wall clock (the wall clock starts at
/// `wallStart`); `out`/`in` overrides the gate's direction; `repeat` expects a repeat read.
struct GateScript {
    var gate: Gate
    var wallStart = Timestamp(millisecondsSince1970: 1_800_000_000_000)

    mutating func run(_ script: String, sourceLocation: SourceLocation = #_sourceLocation) {
        var number = 0
        for rawLine in script.split(separator: "\n") {
            let words = rawLine.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard !words.isEmpty, !words[0].hasPrefix("#") else { continue }
            number += 1
            guard words.count >= 5, words[0] == "at", words[2] == "scan", let ms = UInt64(words[1]) else {
                Issue.record("unreadable script line: \(rawLine)", sourceLocation: sourceLocation)
                return
            }
            var rest = Array(words[3...])
            let barcode = rest.removeFirst()
            var direction: Direction?
            if let d = Direction(rawValue: rest.first ?? "") {
                direction = d
                rest.removeFirst()
            }
            let expectedOutcome = rest.removeFirst()
            let expectRepeat = rest.contains("repeat")
            let expectedReason = rest.first { $0 != "repeat" }
            let read = Read(
                scanID: "scan-\(number)", rawBarcode: barcode, source: "test", direction: direction,
                instant: MonotonicInstant(milliseconds: ms),
                time: wallStart.adding(milliseconds: Int64(ms)))
            guard let decision = gate.decide(read) else {
                Issue.record("no decision for \(rawLine)", sourceLocation: sourceLocation)
                continue
            }
            let line = rawLine.trimmingPrefix(" ")
            #expect(decision.outcome.rawValue == expectedOutcome, "\(line)", sourceLocation: sourceLocation)
            #expect(decision.isRepeat == expectRepeat, "\(line): repeat", sourceLocation: sourceLocation)
            #expect(decision.denial?.code == expectedReason, "\(line): reason", sourceLocation: sourceLocation)
        }
    }
}
