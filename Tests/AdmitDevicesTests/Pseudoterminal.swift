@testable import AdmitDevices
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real pty pair standing in for a serial scanner: the test writes to the controller
/// side, the scanner opens the device side by path. Closing the controller makes the
/// device side read EIO, as when a USB serial adapter is unplugged.
final class Pseudoterminal {
    private(set) var controller: DeviceDescriptor?
    /// The device side, `/dev/pts/N`.
    let devicePath: String

    init() throws {
        let fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0, grantpt(fd) == 0, unlockpt(fd) == 0, let name = ptsname(fd) else {
            throw DeviceError("open", "a pseudoterminal", errno: errno)
        }
        controller = DeviceDescriptor(fd, path: "pty controller")
        devicePath = String(cString: name)
    }

    /// Writes bytes as the scanner would send them.
    func send(_ bytes: [UInt8]) throws {
        guard let controller else { return }
        try Posix.write(controller, bytes)
    }

    /// Writes text as UTF-8.
    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// The scanner is unplugged: the controller closes.
    func unplug() { controller = nil }
}
