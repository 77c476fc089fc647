import CGPIO
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Where a GPIO line is: a chip (`gpiochip0`, `/dev/gpiochip0`, or the chip's label such as
/// `pinctrl-bcm2711`) and a line (an offset, or the line's name such as `GPIO17`).
public struct GPIOLineAddress: Sendable, Hashable, CustomStringConvertible {
    /// How a line is chosen on its chip.
    public enum Line: Sendable, Hashable {
        /// The line's offset on the chip.
        case offset(UInt32)
        /// The line's name as the device tree gives it (see `gpioinfo`).
        case name(String)
    }

    /// The chip's name, path or label.
    public var chip: String
    /// The line on the chip.
    public var line: Line
    /// True when the wiring is active-low (many relay boards): the kernel inverts the level.
    public var activeLow: Bool

    /// Creates an address.
    public init(chip: String, line: Line, activeLow: Bool = false) {
        self.chip = chip
        self.line = line
        self.activeLow = activeLow
    }

    public var description: String {
        switch line {
        case .offset(let n): "\(chip):\(n)"
        case .name(let name): "\(chip):\(name)"
        }
    }
}

/// Which edges of an input are reported.
public enum GPIOEdge: String, Sendable, CaseIterable {
    case rising, falling, both

    var bits: Int32 {
        switch self {
        case .rising: 1
        case .falling: 2
        case .both: 3
        }
    }
}

/// The GPIO character device v2 uAPI, wrapped once: every ioctl on a gpiochip or a line
/// request goes through this file (via the CGPIO shim), and errno becomes a `LineError`
/// naming the operation and the device. No sysfs GPIO.
enum GPIOChardev {
    /// Opens a chip by name, path or label; the caller closes the fd.
    static func openChip(_ chip: String, devices: String = "/dev") throws(LineError) -> (fd: Int32, path: String) {
        let direct = chip.hasPrefix("/") ? chip : "\(devices)/\(chip)"
        if access(direct, F_OK) == 0 {
            let fd = open(direct, O_RDWR | O_CLOEXEC)
            guard fd >= 0 else { throw LineError("open the GPIO chip", direct, code: errno) }
            return (fd, direct)
        }
        // Not a device name: look for a chip with this label (`gpiodetect` shows them).
        for path in chipPaths(devices) {
            let fd = open(path, O_RDWR | O_CLOEXEC)
            guard fd >= 0 else { continue }
            if let info = try? chipInfo(fd, path: path), info.label == chip { return (fd, path) }
            close(fd)
        }
        throw LineError("find the GPIO chip", chip, code: ENOENT, hint: "no /dev/\(chip) and no chip with that label; see gpiodetect")
    }

    /// GPIO_GET_CHIPINFO_IOCTL: name, label and number of lines.
    static func chipInfo(_ fd: Int32, path: String) throws(LineError) -> (name: String, label: String, lines: UInt32) {
        var name = [CChar](repeating: 0, count: 32)
        var label = [CChar](repeating: 0, count: 32)
        var lines: UInt32 = 0
        guard cgpio_chip_info(fd, &name, &label, &lines) == 0 else {
            throw LineError("read the chip info of", path, code: errno)
        }
        return (string(name), string(label), lines)
    }

    /// The offset of a line, looking a name up with GPIO_V2_GET_LINEINFO_IOCTL.
    static func offset(of line: GPIOLineAddress.Line, chipFD fd: Int32, path: String) throws(LineError) -> UInt32 {
        switch line {
        case .offset(let n): return n
        case .name(let wanted):
            let count = try chipInfo(fd, path: path).lines
            var name = [CChar](repeating: 0, count: 32)
            var consumer = [CChar](repeating: 0, count: 32)
            var flags: UInt64 = 0
            for offset in 0..<count {
                guard cgpio_line_info(fd, offset, &name, &consumer, &flags) == 0 else {
                    throw LineError("read line \(offset) info of", path, code: errno)
                }
                if string(name) == wanted { return offset }
            }
            throw LineError("find a line named \(wanted) on", path, code: 0, hint: "see gpioinfo for the line names")
        }
    }

    /// GPIO_V2_GET_LINE_IOCTL for one line; returns the request fd, which owns the line.
    static func request(
        _ address: GPIOLineAddress, consumer: String, output: Bool, initial: Bool = false,
        edge: GPIOEdge? = nil, debounceMicroseconds: UInt32 = 0, devices: String = "/dev"
    ) throws(LineError) -> (fd: Int32, label: String) {
        let chip = try openChip(address.chip, devices: devices)
        defer { close(chip.fd) }
        let offset = try offset(of: address.line, chipFD: chip.fd, path: chip.path)
        let fd = cgpio_request_line(
            chip.fd, offset, consumer, output ? 1 : 0, address.activeLow ? 1 : 0, initial ? 1 : 0,
            edge?.bits ?? 0, debounceMicroseconds)
        guard fd >= 0 else {
            throw LineError("request \(output ? "output" : "input") line \(offset) of", chip.path, code: errno)
        }
        return (fd, "\(chip.path):\(offset)")
    }

    /// GPIO_V2_LINE_SET_VALUES_IOCTL (logical level).
    static func set(_ fd: Int32, _ active: Bool, label: String) throws(LineError) {
        guard cgpio_set_value(fd, active ? 1 : 0) == 0 else { throw LineError("set the value of", label, code: errno) }
    }

    /// GPIO_V2_LINE_GET_VALUES_IOCTL (logical level).
    static func get(_ fd: Int32, label: String) throws(LineError) -> Bool {
        let value = cgpio_get_value(fd)
        guard value >= 0 else { throw LineError("read the value of", label, code: errno) }
        return value == 1
    }

    /// Reads the edge events waiting on a non-blocking line fd: monotonic nanoseconds each.
    static func readEdges(_ fd: Int32, label: String) throws(LineError) -> [UInt64] {
        var stamps: [UInt64] = []
        var timestamp: UInt64 = 0
        var rising: Int32 = 0
        var seqno: UInt32 = 0
        while true {
            let n = cgpio_read_event(fd, &timestamp, &rising, &seqno)
            if n == 0 { return stamps }
            guard n > 0 else { throw LineError("read edge events of", label, code: errno) }
            stamps.append(timestamp)
        }
    }

    static func chipPaths(_ devices: String) -> [String] {
        guard let dir = opendir(devices) else { return [] }
        defer { closedir(dir) }
        var paths: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasPrefix("gpiochip") { paths.append("\(devices)/\(name)") }
        }
        return paths.sorted()
    }

    private static func string(_ chars: [CChar]) -> String {
        String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An output line requested from the kernel (relay, lamp, buzzer). Requested inactive; the
/// request fd is closed in `deinit`, and the kernel releases the line with it, so a crash
/// or a stop never leaves the relay energized by us.
public final class GPIOOutputLine: SignalLine, @unchecked Sendable {
    // `fd` is fixed at init; the kernel serializes concurrent ioctls on it.
    private let fd: Int32
    public let label: String

    /// Requests `address` as an output, driven inactive, under the consumer name shown by gpioinfo.
    public init(_ address: GPIOLineAddress, consumer: String = "admitd", devices: String = "/dev") throws(LineError) {
        (fd, label) = try GPIOChardev.request(address, consumer: consumer, output: true, initial: false, devices: devices)
    }

    public func drive(_ active: Bool) throws(LineError) { try GPIOChardev.set(fd, active, label: label) }

    /// The level the kernel holds the line at (logical).
    public func read() throws(LineError) -> Bool { try GPIOChardev.get(fd, label: label) }

    deinit {
        _ = cgpio_set_value(fd, 0)
        close(fd)
    }
}

/// An input line with edge detection: the turnstile's passage contact. Edges are read from
/// the request fd on a dispatch read source; the kernel stamps them on CLOCK_MONOTONIC.
public final class GPIOEdgeInput: EdgeSource, @unchecked Sendable {
    // `fd` is fixed at init; `source` and `started` change on the caller's start/stop only.
    // Once started, the read source's cancel handler closes the fd, so dispatch never
    // watches a closed (or reused) descriptor.
    private let fd: Int32
    private var source: (any DispatchSourceRead)?
    private var started = false
    public let label: String

    /// Requests `address` as an input reporting `edge` edges, debounced in the kernel.
    public init(
        _ address: GPIOLineAddress, edge: GPIOEdge, debounceMicroseconds: UInt32 = 5000,
        consumer: String = "admitd-passage", devices: String = "/dev"
    ) throws(LineError) {
        (fd, label) = try GPIOChardev.request(
            address, consumer: consumer, output: false, edge: edge, debounceMicroseconds: debounceMicroseconds,
            devices: devices)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    public func start(queue: DispatchQueue, onEdge: @escaping @Sendable (UInt64) -> Void) throws(LineError) {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        let fd = fd
        let label = label
        source.setEventHandler {
            // A read error on a requested line means the chip went away; stop listening.
            guard let stamps = try? GPIOChardev.readEdges(fd, label: label) else { return source.cancel() }
            for stamp in stamps { onEdge(stamp) }
        }
        source.setCancelHandler { close(fd) }
        source.resume()
        self.source = source
        started = true
    }

    public func stop() {
        guard let source else { return }
        self.source = nil
        source.cancel()
    }

    deinit {
        if let source {
            source.cancel()
        } else if !started {
            close(fd)
        }
    }
}
