import Foundation
import Testing

/// A barcode full of terminal escapes (a serial scanner, a socket peer or a hostile QR code
/// can deliver one) reaches the console, admitd's log and admitctl only as visible text.
@Suite(.serialized, .timeLimit(.minutes(2))) struct TerminalEscapeEndToEndTests {
    static let hostile = "\u{1B}]2;owned\u{07}\u{1B}[2J\u{9B}31m4006381000000\u{202E}"
    /// (The normalizer trims control characters at either end: the first ESC goes.)
    static let shown = "]2;owned\\x07\\x1b[2J\\x9b31m4006381000000\\u{202e}"

    @Test func escapesInABarcodeAreShownNotObeyed() throws {
        let d = try DaemonProcess(arguments: ["--demo", "--demo-backend", "none"])
        #expect(d.waitUntilReady())
        let (status, answer) = try d.ctl("scan", Self.hostile)
        #expect(status == 1, "an unknown ticket: \(answer)")
        #expect(d.wait { d.consoleLines.count == 1 })
        let console = d.consoleLines.first ?? ""
        #expect(console.contains("DENIED   \(Self.shown)  unknown ticket"), "\(console)")
        let (_, recent) = try d.ctl("recent", "--limit", "1")
        #expect(recent.contains(Self.shown), "\(recent)")
        #expect(d.terminate() == 0)
        for (name, text) in [("console", d.stdout), ("log", d.stderr), ("scan answer", answer), ("recent", recent)] {
            #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{9B}" || $0 == "\u{07}" || $0 == "\u{202E}" },
                "\(name) holds a raw control character: \(text.debugDescription)")
        }
    }
}
