/// Who a device says it is: the kernel's input ids and name (evdev `EVIOCGID`/`EVIOCGNAME`,
/// or udev's view of the same), and the paths that lead to its node.
public struct InputDeviceIdentity: Sendable, Hashable {
    /// The device node, e.g. `/dev/input/event5`.
    public var node: String
    /// Symlinks to the node (`/dev/input/by-id/…`, `/dev/input/by-path/…`).
    public var links: [String]
    /// The device's name, e.g. `Honeywell Imaging & Mobility 1900`.
    public var name: String
    /// USB (or other bus) vendor id.
    public var vendor: UInt16
    /// Product id.
    public var product: UInt16
    /// The device's serial number as the kernel reports it (evdev's `uniq`, a USB device's
    /// iSerialNumber), when it has one.
    public var serial: String?

    /// Creates an identity.
    public init(node: String, links: [String] = [], name: String, vendor: UInt16, product: UInt16, serial: String? = nil) {
        self.node = node
        self.links = links
        self.name = name
        self.vendor = vendor
        self.product = product
        self.serial = serial
    }
}

/// Which devices a `[[scanner]]` section means: every given criterion must hold.
///
/// `vendor`/`product` compare the input ids (so virtual devices without a USB parent
/// match too), `name` is a glob (`*`, `?`, case-insensitive), `serial` the device's serial
/// number, `path` is the node or one of its symlinks. The stable identities are `serial`
/// and a `/dev/input/by-id/…` or `/dev/input/by-path/…` link: two scanners of one model
/// differ only there. A match with no criterion at all is refused by the configuration, so
/// a gate never grabs every keyboard of the box.
public struct DeviceMatch: Sendable, Hashable, CustomStringConvertible {
    /// Vendor id, e.g. 0x0c2e.
    public var vendor: UInt16?
    /// Product id, e.g. 0x0b61.
    public var product: UInt16?
    /// A glob over the device name, e.g. `*Honeywell*`.
    public var name: String?
    /// A device node or symlink, e.g. `/dev/input/by-id/usb-…-event-kbd`.
    public var path: String?
    /// The device's serial number, compared exactly.
    public var serial: String?

    /// A match; with no criteria it would match every keyboard-like device (see `isEmpty`).
    public init(vendor: UInt16? = nil, product: UInt16? = nil, name: String? = nil, path: String? = nil, serial: String? = nil) {
        self.vendor = vendor
        self.product = product
        self.name = name
        self.path = path
        self.serial = serial
    }

    /// True when no criterion is given.
    public var isEmpty: Bool { vendor == nil && product == nil && name == nil && path == nil && serial == nil }

    /// True when `device` meets every criterion.
    public func matches(_ device: InputDeviceIdentity) -> Bool {
        if let vendor, vendor != device.vendor { return false }
        if let product, product != device.product { return false }
        if let name, !Self.glob(name, matches: device.name) { return false }
        if let path, path != device.node, !device.links.contains(path) { return false }
        if let serial, serial != device.serial { return false }
        return true
    }

    public var description: String {
        var parts: [String] = []
        if let vendor { parts.append("vendor \(Self.hex(vendor))") }
        if let product { parts.append("product \(Self.hex(product))") }
        if let name { parts.append("name \"\(name)\"") }
        if let path { parts.append("path \(path)") }
        if let serial { parts.append("serial \"\(serial)\"") }
        return parts.isEmpty ? "any keyboard-like device" : parts.joined(separator: ", ")
    }

    /// Four lower-case hex digits, as lsusb prints ids.
    public static func hex(_ id: UInt16) -> String {
        let digits = String(id, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Shell-style glob with `*` and `?`, case-insensitive.
    public static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern.lowercased()), t = Array(text.lowercased())
        var pi = 0, ti = 0, starAt = -1, resumeAt = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == "*" {
                starAt = pi; resumeAt = ti; pi += 1
            } else if starAt >= 0 {
                pi = starAt + 1; resumeAt += 1; ti = resumeAt
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
