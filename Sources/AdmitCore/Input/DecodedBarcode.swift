/// A complete barcode out of a decoder, framing removed.
public struct DecodedBarcode: Sendable, Hashable {
    /// The barcode's text, without prefix, AIM identifier, suffix or terminator.
    public var text: String
    /// The AIM symbology identifier the scanner sent (`C1`, `E0`, `Q1`…), when enabled and present.
    public var symbology: String?
    /// When the last key or byte of the barcode arrived (the terminator, or the last
    /// character when the barcode ended on an idle gap).
    public var completedAt: MonotonicInstant

    /// Creates a decoded barcode.
    public init(text: String, symbology: String? = nil, completedAt: MonotonicInstant) {
        self.text = text
        self.symbology = symbology
        self.completedAt = completedAt
    }
}

/// Why a decoder threw away what it had: the barcode would have been wrong.
public enum DiscardReason: Sendable, Hashable, CustomStringConvertible {
    /// The next key or byte came later than the inter-key timeout allows.
    case timedOut
    /// Longer than the configured maximum length.
    case tooLong
    /// The kernel dropped input events (`SYN_DROPPED`) while it was being typed.
    case eventsDropped
    /// A key that types nothing in this keymap (a function key, a wrong layout).
    case unmappedKey(KeyCode)
    /// A byte that no barcode contains (noise on a serial line).
    case garbage(UInt8)
    /// Its AIM symbology is not among those allowed.
    case symbologyNotAllowed(String)
    /// A flood of input beyond the rate limit.
    case flood

    public var description: String {
        switch self {
        case .timedOut: "inter-key timeout"
        case .tooLong: "longer than the maximum length"
        case .eventsDropped: "the kernel dropped input events"
        case .unmappedKey(let key): "key \(key) types nothing in this keymap"
        case .garbage(let byte): "garbage byte 0x\(String(byte, radix: 16))"
        case .symbologyNotAllowed(let id): "symbology ]\(id) not allowed"
        case .flood: "input flood"
        }
    }
}

/// What a decoder produces for the shell to act on.
public enum DecoderOutput: Sendable, Hashable {
    /// A complete, trustworthy barcode: submit it to the gate.
    case barcode(DecodedBarcode)
    /// A partial or invalid barcode was thrown away: log it, never submit it.
    case discarded(DiscardReason, partial: String)
}
