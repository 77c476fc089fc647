/// Text from outside (a barcode, a backend's message, a ticket's name) made harmless for a
/// terminal, a log line or `admitctl`: every character that could move the cursor, change
/// colours, rewrite the title, hide text or reverse its direction is shown as a visible
/// escape instead, so a barcode `\u{1B}]2;pwned\u{07}` reads as `\x1b]2;pwned\x07`.
///
/// Replaced: the C0 controls (U+0000–U+001F, ESC and BEL among them), DEL (U+007F), the C1
/// controls (U+0080–U+009F, CSI as U+009B among them) and Unicode's bidirectional
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what follows them
/// on screen. A backslash is doubled, so an escape shown cannot be forged by typing one.
/// Everything else, spaces and non-Latin letters included, is kept as it is.
public enum TerminalSafe {
    /// `text` with every unsafe character written as `\xHH` (below U+0100) or `\u{HHHH}`.
    public static func text(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\\" {
                out.append(contentsOf: "\\\\".unicodeScalars)
            } else if isUnsafe(scalar) {
                out.append(contentsOf: escape(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// As `text(_:)`, but line breaks stay: for a screen of several lines built from
    /// outside strings (a field's own line break still starts a new line).
    public static func lines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { Self.text(String($0)) }.joined(separator: "\n")
    }

    /// True when `text` would be shown differently from what it holds.
    public static func isSafe(_ text: String) -> Bool { !text.unicodeScalars.contains(where: isUnsafe) }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool { isUnsafe(scalar) || scalar == "\\" }

    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        if scalar.value < 0x100 { return "\\x" + (hex.count < 2 ? "0" + hex : hex) }
        return "\\u{" + hex + "}"
    }
}
