/// What is plugged in that looks like a barcode scanner, with the configuration lines that
/// would read it: the answer to `admitctl devices --candidates` during installation.
///
/// Input devices count when udev marked them (`ADMIT_SCANNER`, `ADMIT_SCANNER_CANDIDATE`,
/// from Admit's rules) or, without the rules, when udev calls them a USB keyboard: a
/// keyboard-wedge scanner is one. Serial candidates are USB ttys (`ttyACM*`, `ttyUSB*`).
public enum ScannerCandidates {
    /// One device that may be a scanner.
    public struct Candidate: Sendable, Hashable, Codable {
        /// `evdev` or `serial`.
        public var kind: String
        /// The device node.
        public var node: String
        /// What the device calls itself, if anything.
        public var name: String
        /// True when Admit's udev rule knows the vendor as a scanner maker.
        public var knownScannerVendor: Bool
        /// The `[[scanner]]` section that would match it.
        public var configuration: String
    }

    /// The candidates among `inputs` (subsystem `input`) and `ttys` (subsystem `tty`).
    public static func find(inputs: [DeviceNode], ttys: [DeviceNode]) -> [Candidate] {
        inputs.compactMap(inputCandidate) + ttys.compactMap(serialCandidate)
    }

    private static func inputCandidate(_ device: DeviceNode) -> Candidate? {
        let p = device.properties
        let marked = p["ADMIT_SCANNER"] == "1" || p["ADMIT_SCANNER_CANDIDATE"] == "1"
        let usbKeyboard = p["ID_INPUT_KEYBOARD"] == "1" && p["ID_BUS"] == "usb"
        guard device.node.contains("/event"), marked || usbKeyboard else { return nil }
        let vendor = device.identity.map { hex($0.vendor) } ?? p["ID_VENDOR_ID"] ?? "????"
        let product = device.identity.map { hex($0.product) } ?? p["ID_MODEL_ID"] ?? "????"
        let name = device.identity?.name ?? p["ID_MODEL"] ?? ""
        // Two scanners of one model differ only by serial number: name it when there is one.
        let serial = (device.identity?.serial ?? p["ID_SERIAL_SHORT"]).flatMap { $0.isEmpty ? nil : $0 }
        let serialMatch = serial.map { ", serial = \"\($0)\"" } ?? ""
        return Candidate(
            kind: "evdev", node: device.node, name: name, knownScannerVendor: p["ADMIT_SCANNER"] == "1",
            configuration: """
                [[scanner]]
                kind = "evdev"
                match = { vendor = "\(vendor)", product = "\(product)"\(serialMatch) }   # \(name.isEmpty ? device.node : name)
                keymap = "us"                                    # the layout the scanner is set to
                """)
    }

    private static func serialCandidate(_ device: DeviceNode) -> Candidate? {
        let base = device.node.split(separator: "/").last.map(String.init) ?? device.node
        guard base.hasPrefix("ttyACM") || base.hasPrefix("ttyUSB") else { return nil }
        // A by-id link survives re-plugging into another port; the bare node may not.
        let path = device.links.first { $0.hasPrefix("/dev/serial/by-id/") } ?? device.node
        let name = device.properties["ID_MODEL"] ?? ""
        return Candidate(
            kind: "serial", node: device.node, name: name, knownScannerVendor: device.properties["ADMIT_SCANNER"] == "1",
            configuration: """
                [[scanner]]
                kind = "serial"
                path = "\(path)"
                baud = 9600                                      # as the scanner is set
                terminator = "cr"
                """)
    }

    private static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

extension DeviceNode {
    /// The udev properties `properties` carries.
    static let propertyNames = [
        "ID_INPUT_KEYBOARD", "ID_BUS", "ID_VENDOR_ID", "ID_MODEL_ID", "ID_MODEL", "ADMIT_SCANNER", "ADMIT_SCANNER_CANDIDATE",
    ]
}
