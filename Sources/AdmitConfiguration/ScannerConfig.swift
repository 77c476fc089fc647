import AdmitCore

/// `[[scanner]]`: one barcode reader.
public struct ScannerConfig: Sendable {
    /// The kinds of scanner Admit can read.
    public enum Kind: String, Sendable, CaseIterable {
        /// One barcode per line on standard input (demo, tests, a terminal).
        case stdin
        /// A USB keyboard-wedge scanner read through evdev (see `DeviceScannerSettings`).
        case evdev
        /// A serial scanner (RS-232, USB CDC-ACM).
        case serial
    }

    /// What kind of reader.
    public var kind: Kind
    /// The name decisions are attributed to (defaults to the kind and position).
    public var name: String
    /// This scanner's direction, overriding the gate's.
    public var direction: Direction?
    /// Device matching, keymap and framing of `evdev` and `serial` scanners.
    public var device: DeviceScannerSettings?

    /// Creates a scanner configuration.
    public init(kind: Kind, name: String, direction: Direction? = nil) {
        self.kind = kind
        self.name = name
        self.direction = direction
    }

    init(_ s: inout ConfigSection, number: Int) throws(ConfigError) {
        guard let kind = try s.choice("kind", as: Kind.self) else { throw s.error("kind", "is required") }
        self.kind = kind
        name = try s.string("name") ?? (number == 0 ? kind.rawValue : "\(kind.rawValue)-\(number)")
        direction = try s.choice("direction", as: Direction.self)
        device = try DeviceScannerSettings.read(&s, kind: kind, name: name, direction: direction)
    }
}
