#if canImport(Glibc)
    import Glibc
#endif

/// An LED under `/sys/class/leds/NAME` (the board's ACT or PWR LED, or an `gpio-leds` one).
///
/// At init its trigger is set to `none` so the kernel stops blinking it for disk activity;
/// `deinit` switches it off and puts the old trigger back.
public final class SysfsLED: SignalLine, @unchecked Sendable {
    // Fixed at init; writes are single `write(2)` calls, atomic for sysfs attributes.
    private let directory: String
    private let maxBrightness: String
    private let previousTrigger: String?
    public let label: String

    /// Takes over the LED `name` under `root` (tests point `root` at a temporary folder).
    public init(name: String, root: String = "/sys/class/leds") throws(LineError) {
        directory = "\(root)/\(name)"
        label = directory
        guard access(directory, F_OK) == 0 else {
            throw LineError("find the LED", directory, code: ENOENT, hint: "see ls /sys/class/leds")
        }
        maxBrightness = Self.read("\(directory)/max_brightness").map { $0.isEmpty ? "1" : $0 } ?? "1"
        // The trigger file lists all triggers with the current one in brackets: "none [mmc0] timer".
        previousTrigger = Self.read("\(directory)/trigger").flatMap(Self.currentTrigger)
        try Self.write("none", to: "\(directory)/trigger")
        try Self.write("0", to: "\(directory)/brightness")
    }

    public func drive(_ active: Bool) throws(LineError) {
        try Self.write(active ? maxBrightness : "0", to: "\(directory)/brightness")
    }

    deinit {
        try? Self.write("0", to: "\(directory)/brightness")
        if let previousTrigger { try? Self.write(previousTrigger, to: "\(directory)/trigger") }
    }

    /// The bracketed trigger in a sysfs trigger list.
    static func currentTrigger(_ list: String) -> String? {
        guard let open = list.firstIndex(of: "["), let close = list[open...].firstIndex(of: "]") else {
            return list.isEmpty ? nil : list
        }
        return String(list[list.index(after: open)..<close])
    }

    private static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = Glibc.read(fd, &buffer, buffer.count)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n], as: UTF8.self).trimmingWhitespace()
    }

    private static func write(_ text: String, to path: String) throws(LineError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC | O_TRUNC)
        guard fd >= 0 else { throw LineError("open", path, code: errno) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard n == bytes.count else { throw LineError("write \"\(text)\" to", path, code: n < 0 ? errno : EIO) }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
