#if canImport(Glibc)
    import Glibc
#endif

/// A GPIO line or LED that could not be opened, requested, driven or read: what was being
/// done, to which device, and the errno.
public struct LineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operation in words, e.g. "request output line 17 of".
    public var operation: String
    /// The device concerned, e.g. `/dev/gpiochip0` or `/sys/class/leds/ACT`.
    public var device: String
    /// The errno value, 0 when the problem is not a system call's (no such line name).
    public var code: Int32
    /// A hint for the operator, when the cause is a usual one.
    public var hint: String?

    /// Creates an error from an operation, its device and an errno value.
    public init(_ operation: String, _ device: String, code: Int32, hint: String? = nil) {
        self.operation = operation
        self.device = device
        self.code = code
        self.hint = hint ?? Self.usualHint(code)
    }

    public var description: String {
        let reason = code == 0 ? "" : ": \(String(cString: strerror(code)))"
        return "cannot \(operation) \(device)\(reason)" + (hint.map { " (\($0))" } ?? "")
    }

    private static func usualHint(_ code: Int32) -> String? {
        switch code {
        case EACCES, EPERM: "is the admit user in the admit group, and are the udev rules installed?"
        case EBUSY: "another program holds this line; see gpioinfo"
        default: nil
        }
    }
}
