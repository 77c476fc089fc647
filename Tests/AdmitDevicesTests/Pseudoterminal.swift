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
        // posix_openpt and friends are hidden from the Glibc module (XSI): look them up.
        let fd = PtyFunctions.openController(O_RDWR | O_NOCTTY | O_CLOEXEC)
        var name = [CChar](repeating: 0, count: 128)
        guard fd >= 0, PtyFunctions.grant(fd) == 0, PtyFunctions.unlock(fd) == 0,
              PtyFunctions.name(fd, &name, name.count) == 0
        else {
            throw DeviceError("open", "a pseudoterminal", errno: errno)
        }
        controller = DeviceDescriptor(fd, path: "pty controller")
        devicePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
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

private enum PtyFunctions {
    static func lookup<T>(_ symbol: String, as type: T.Type) -> T {
        unsafeBitCast(dlsym(dlopen(nil, RTLD_NOW), symbol)!, to: type)
    }
    static let openController = lookup("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
    static let grant = lookup("grantpt", as: (@convention(c) (Int32) -> Int32).self)
    static let unlock = lookup("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
    static let name = lookup("ptsname_r", as: (@convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32).self)
}
