/// Turns what a scanner delivered into the barcode the index is keyed by.
///
/// Trims white space and control characters (CR, LF, TAB, NUL…) at both ends, then strips
/// a configured prefix and suffix (scanners can be set to add them). The middle of a
/// barcode is never touched: some ticket systems use spaces inside.
public struct BarcodeNormalizer: Sendable, Equatable {
    /// Text the scanner adds before every barcode, removed when present.
    public var prefix: String
    /// Text the scanner adds after every barcode, removed when present.
    public var suffix: String

    /// Creates a normalizer; empty prefix and suffix only trim.
    public init(prefix: String = "", suffix: String = "") {
        self.prefix = prefix
        self.suffix = suffix
    }

    /// The normalized barcode, or nil when nothing is left.
    public func normalize(_ raw: String) -> String? {
        var text = Substring(raw)
        text = text.drop(while: Self.isTrimmed)
        while let last = text.last, Self.isTrimmed(last) { text = text.dropLast() }
        if !prefix.isEmpty, text.hasPrefix(prefix) { text = text.dropFirst(prefix.count) }
        if !suffix.isEmpty, text.hasSuffix(suffix) { text = text.dropLast(suffix.count) }
        return text.isEmpty ? nil : String(text)
    }

    private static func isTrimmed(_ c: Character) -> Bool {
        c.isWhitespace || c.unicodeScalars.allSatisfy { $0.value < 0x20 || $0.value == 0x7F }
    }
}
