#if canImport(Glibc)
    import Glibc
#endif

/// A device operation that failed: what was being done, on which device, and why, with
/// the fix when there is an obvious one (permissions). Made where the call failed.
public struct DeviceError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, for callers that react differently (retry, wait, give up).
    public enum Code: Sendable, Hashable {
        /// EACCES/EPERM: the daemon's user may not open the device.
        case permissionDenied
        /// ENOENT/ENODEV/ENXIO/EIO: the device is not there (any more).
        case vanished
        /// EBUSY: another program holds the device (an exclusive grab, a lock).
        case busy
        /// The device exists but is not what was asked for (not a keyboard, not a tty).
        case unsuitable
        /// Anything else; see `errno`.
        case other
    }

    /// What was being done, e.g. "open", "grab", "set the baud rate of".
    public var operation: String
    /// The device node or name concerned.
    public var device: String
    /// The errno value, or 0 when the failure was not a system call.
    public var errno: Int32
    /// A note for people, e.g. the fix for a permission problem.
    public var detail: String?

    /// An error from an errno value.
    public init(_ operation: String, _ device: String, errno: Int32, detail: String? = nil) {
        self.operation = operation
        self.device = device
        self.errno = errno
        self.detail = detail ?? Self.fix(for: errno, device: device)
    }

    /// An error that is not a system call's (`code` is `.unsuitable`).
    public static func unsuitable(_ operation: String, _ device: String, _ detail: String) -> DeviceError {
        DeviceError(operation, device, errno: 0, detail: detail)
    }

    /// The kind of failure.
    public var code: Code {
        switch errno {
        case 0: .unsuitable
        case EACCES, EPERM: .permissionDenied
        case ENOENT, ENODEV, ENXIO, EIO: .vanished
        case EBUSY: .busy
        default: .other
        }
    }

    public var description: String {
        let reason = errno == 0 ? "" : ": " + String(cString: strerror(errno))
        return "cannot \(operation) \(device)\(reason)" + (detail.map { " (\($0))" } ?? "")
    }

    private static func fix(for errno: Int32, device: String) -> String? {
        switch errno {
        case EACCES, EPERM:
            if device.hasPrefix("/dev/input") {
                return "add the daemon's user to group 'input' or install udev/70-admit.rules, "
                    + "then re-plug the scanner (udevadm trigger)"
            }
            return "add the daemon's user to group 'dialout' or install udev/70-admit.rules"
        case EBUSY where device.hasPrefix("/dev/input"):
            return "another program has grabbed it exclusively"
        default:
            return nil
        }
    }
}
