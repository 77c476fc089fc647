import AdmitCore
import AdmitDevices
import Foundation

/// The device part of an `evdev` or `serial` `[[scanner]]` section, read from the
/// configuration with every problem naming its key and line.
///
///     [[scanner]]
///     kind = "evdev"
///     match = { vendor = "0c2e", product = "0b61" }   # or { name = "*Honeywell*" }, { path = "…" }, { serial = "…" }
///     keymap = "de"            # us | uk | de | fr
///     terminator = "enter"     # enter | tab | any (default) | none (an idle gap ends a barcode)
///     timeout_ms = 100
///     max_length = 256
///     aim = true               # strip and report ]C1, ]E0, ]Q1…
///     symbologies = "E0,Q1"    # with aim: accept only these
///     prefix = "" ; suffix = ""
///
///     [[scanner]]
///     kind = "serial"
///     path = "/dev/ttyACM0"
///     baud = 9600
///     terminator = "cr"        # cr | lf | crlf | etx | idle
public enum DeviceScannerSettings: Sendable {
    /// A keyboard-wedge scanner read through evdev.
    case evdev(EvdevScanner.Configuration)
    /// A serial scanner.
    case serial(SerialScanner.Configuration)

    /// Reads the keys of `kind`; nil for kinds that are not device scanners.
    static func read(_ s: inout ConfigSection, kind: ScannerConfig.Kind, name: String, direction: Direction?)
        throws(ConfigError) -> DeviceScannerSettings?
    {
        switch kind {
        case .stdin: return nil
        case .evdev: return .evdev(try evdev(&s, name: name, direction: direction))
        case .serial: return .serial(try serial(&s, name: name, direction: direction))
        }
    }

    private static func evdev(_ s: inout ConfigSection, name: String, direction: Direction?) throws(ConfigError)
        -> EvdevScanner.Configuration
    {
        var match = DeviceMatch(path: try s.string("path"))
        if var table = try s.table("match") {
            match.vendor = try hexID(&table, "vendor")
            match.product = try hexID(&table, "product")
            match.name = try table.string("name")
            match.path = try table.string("path") ?? match.path
            match.serial = try table.string("serial")
            try table.rejectUnknownKeys()
        }
        let keymapName = try s.string("keymap", default: "us")
        guard let keymap = Keymap.named(keymapName) else {
            throw s.error("keymap", "must be one of \"us\", \"uk\", \"de\", \"fr\", got \"\(keymapName)\"")
        }
        let terminators: Set<KeystrokeTerminator>
        switch try s.string("terminator", default: "any").lowercased() {
        case "any": terminators = [.enter, .tab]
        case "enter": terminators = [.enter]
        case "tab": terminators = [.tab]
        case "none": terminators = []
        case let other: throw s.error("terminator", "must be one of \"enter\", \"tab\", \"any\", \"none\", got \"\(other)\"")
        }
        let decoder = KeystrokeDecoder.Configuration(
            keymap: keymap, terminators: terminators,
            interKeyTimeoutMilliseconds: UInt64(try s.integer("timeout_ms", in: 5...5000) ?? 100),
            framing: try framing(&s))
        // An evdev scanner grabs what it matches: with nothing to match by it would take
        // every keyboard of the box, the kiosk's own included.
        if match.isEmpty {
            throw s.error("match", "is required: name the scanner by serial, a /dev/input/by-id or by-path link, vendor and product, or name (`admitctl devices --candidates` prints a match for each device)")
        }
        return EvdevScanner.Configuration(name: name, match: match, decoder: decoder, direction: direction)
    }

    private static func serial(_ s: inout ConfigSection, name: String, direction: Direction?) throws(ConfigError)
        -> SerialScanner.Configuration
    {
        let path = try s.requiredString("path")
        let baud = try s.integer("baud", in: 1200...230400) ?? 9600
        guard SerialScanner.supportedBauds.contains(baud) else {
            throw s.error("baud", "must be one of \(SerialScanner.supportedBauds.map(String.init).joined(separator: ", "))")
        }
        let framer = SerialFramer.Configuration(
            terminator: try s.choice("terminator", as: SerialTerminator.self) ?? .cr,
            interByteTimeoutMilliseconds: UInt64(try s.integer("timeout_ms", in: 5...5000) ?? 100),
            framing: try framing(&s))
        return SerialScanner.Configuration(name: name, path: path, baud: baud, framer: framer, direction: direction)
    }

    private static func framing(_ s: inout ConfigSection) throws(ConfigError) -> BarcodeFraming {
        let symbologies = try s.string("symbologies").map { text in
            Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        } ?? []
        let aim = try s.bool("aim") ?? false
        if !symbologies.isEmpty && !aim { throw s.error("symbologies", "needs aim = true") }
        return BarcodeFraming(
            prefix: try s.string("prefix") ?? "", suffix: try s.string("suffix") ?? "", aim: aim,
            allowedSymbologies: symbologies, maxLength: try s.integer("max_length", in: 1...4096) ?? 256)
    }

    /// A USB id written as hex text ("0c2e") or an integer.
    private static func hexID(_ s: inout ConfigSection, _ key: String) throws(ConfigError) -> UInt16? {
        if case .integer = s.values[key] { return UInt16(try s.integer(key, in: 0...0xFFFF)!) }
        guard let text = try s.string(key) else { return nil }
        let digits = text.lowercased().hasPrefix("0x") ? String(text.dropFirst(2)) : text
        guard let id = UInt16(digits, radix: 16) else { throw s.error(key, "must be a hex id like \"0c2e\", got \"\(text)\"") }
        return id
    }
}
