#if canImport(Glibc)
    import Glibc
#endif

/// Speaks systemd's notify protocol natively: datagrams to `$NOTIFY_SOCKET`
/// (READY=1, STATUS=…, WATCHDOG=1, STOPPING=1). Does nothing when not run by systemd.
public struct SystemdNotifier: Sendable {
    private let socketPath: String?
    /// Microseconds of `WatchdogSec=`, when the watchdog is on for this process.
    public let watchdogMicroseconds: UInt64?

    /// Reads `$NOTIFY_SOCKET` and `$WATCHDOG_USEC`/`$WATCHDOG_PID` from the environment.
    public init(environment: [String: String]) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        if let usec = environment["WATCHDOG_USEC"].flatMap(UInt64.init),
            environment["WATCHDOG_PID"].flatMap(Int32.init).map({ $0 == getpid() }) ?? true
        {
            watchdogMicroseconds = usec
        } else {
            watchdogMicroseconds = nil
        }
    }

    /// True when running under systemd with a notify socket.
    public var isActive: Bool { socketPath != nil }

    /// Sends a notification such as "READY=1\nSTATUS=…"; failures are ignored (best effort).
    public func notify(_ message: String) {
        guard let socketPath else { return }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }  // abstract namespace
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count)
        let bytes = Array(message.utf8)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { addr in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), addr, length) }
            }
        }
    }
}
