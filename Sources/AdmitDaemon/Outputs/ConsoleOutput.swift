import AdmitCore
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// One line per decision on a terminal or the journal:
/// `19:55:01.123 GRANTED  4006381333931  Adult Standing · north-1 IN   (0.01 ms)`.
/// Green and red on a terminal, plain otherwise. Writes on its own queue so a slow
/// terminal never holds the gate.
public final class ConsoleOutput: DecisionOutput {
    private let queue = DispatchQueue(label: "admit.console")
    private let fd: Int32
    private let color: Bool

    /// Writes to `fd` (standard output by default); colours only when it is a terminal.
    public init(fd: Int32 = 1) {
        self.fd = fd
        self.color = isatty(fd) == 1
    }

    public func signal(_ decision: Decision, latencyNanoseconds: UInt64) {
        say(Self.line(for: decision, latencyNanoseconds: latencyNanoseconds, color: color))
    }

    /// Writes one line that is not a decision (a visitor who did not pass, a reload).
    public func say(_ line: String) {
        let fd = fd
        queue.async {
            var bytes = Array((line + "\n").utf8)
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// The console line for a decision.
    public static func line(for d: Decision, latencyNanoseconds: UInt64, color: Bool) -> String {
        let word = d.outcome.rawValue.padding(to: 8)
        let painted = color ? (d.isGranted ? "\u{1B}[1;32m\(word)\u{1B}[0m" : "\u{1B}[1;31m\(word)\u{1B}[0m") : word
        // The barcode comes from a scanner or a socket peer, and may hold terminal escapes.
        var line = "\(LocalTime.clock(d.time)) \(painted) \(TerminalSafe.text(d.barcode))  \(DecisionText.detail(d))"
        if d.isGranted && !d.isRepeat {
            let ms = Double(latencyNanoseconds) / 1_000_000
            line += "   (\(ms < 0.01 ? "<0.01" : String(format2: ms)) ms)"
        }
        return line
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// A number with two decimals, without Foundation's formatters.
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        self = "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
