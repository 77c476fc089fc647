import AdmitCore
import Testing

/// What reaches a terminal from outside is shown, never obeyed.
@Suite struct TerminalSafeTests {
    @Test(arguments: [
        ("\u{1B}]2;pwned\u{07}", "\\x1b]2;pwned\\x07"),             // set the window title
        ("\u{1B}[2J\u{1B}[H4006381000000", "\\x1b[2J\\x1b[H4006381000000"),  // clear the screen
        ("\u{9B}31m", "\\x9b31m"),                                   // CSI as one C1 character
        ("abc\u{202E}fed", "abc\\u{202e}fed"),                       // right-to-left override
        ("a\u{2066}b", "a\\u{2066}b"),                               // an isolate
        ("line\nnext\rback\u{0}", "line\\x0anext\\x0dback\\x00"),
        ("del\u{7F}", "del\\x7f"),
        ("\\x1b typed by hand", "\\\\x1b typed by hand"),           // a shown escape cannot be forged
    ])
    func escapesAreShownNotObeyed(raw: String, shown: String) {
        #expect(TerminalSafe.text(raw) == shown)
        #expect(TerminalSafe.isSafe(TerminalSafe.text(raw)))
        #expect(!TerminalSafe.isSafe(raw) || raw.contains("\\"))
    }

    @Test func ordinaryTextStaysAsItIs() {
        for text in ["4006381000000", "ZY-2024-yz", "Müller Straße", "売り切れ", "ticket · north-1 IN", ""] {
            #expect(TerminalSafe.text(text) == text)
            #expect(TerminalSafe.isSafe(text))
        }
    }

    @Test func linesKeepTheirBreaks() {
        #expect(TerminalSafe.lines("one \u{1B}[1m\ntwo") == "one \\x1b[1m\ntwo")
    }
}
