/// What a scanner wraps around the data of a barcode, removed before the gate sees it:
/// an optional prefix, an optional AIM symbology identifier (`]` + code letter + modifier),
/// the data, an optional suffix. Shared by the keystroke decoder and the serial framer.
public struct BarcodeFraming: Sendable, Hashable {
    /// Text the scanner sends before every barcode; stripped when present.
    public var prefix: String
    /// Text the scanner sends after every barcode (before the terminator); stripped when present.
    public var suffix: String
    /// True when the scanner sends AIM identifiers: `]C1`, `]E0`, `]Q1`… are stripped and reported.
    public var aim: Bool
    /// When non-empty, only these AIM identifiers (e.g. `["E0", "Q1"]`) are accepted.
    public var allowedSymbologies: Set<String>
    /// The longest barcode accepted, framing included; longer input is discarded.
    public var maxLength: Int

    /// Framing with nothing to strip and a 256-character limit by default.
    public init(prefix: String = "", suffix: String = "", aim: Bool = false,
                allowedSymbologies: Set<String> = [], maxLength: Int = 256) {
        self.prefix = prefix
        self.suffix = suffix
        self.aim = aim
        self.allowedSymbologies = allowedSymbologies
        self.maxLength = maxLength
    }

    /// The barcode in `raw`, or why it was discarded; nil when nothing is left (a bare terminator).
    public func unwrap(_ raw: String, completedAt: MonotonicInstant) -> DecoderOutput? {
        var text = Substring(raw)
        if !prefix.isEmpty, text.hasPrefix(prefix) { text = text.dropFirst(prefix.count) }
        var symbology: String?
        if aim, text.count >= 3, text.first == "]" {
            let id = text.dropFirst().prefix(2)
            if id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                symbology = String(id)
                text = text.dropFirst(3)
            }
        }
        if !suffix.isEmpty, text.hasSuffix(suffix) { text = text.dropLast(suffix.count) }
        if !allowedSymbologies.isEmpty, !allowedSymbologies.contains(symbology ?? "") {
            return .discarded(.symbologyNotAllowed(symbology ?? "none"), partial: raw)
        }
        guard !text.isEmpty else { return nil }
        return .barcode(DecodedBarcode(text: String(text), symbology: symbology, completedAt: completedAt))
    }
}
