import Foundation
import NatsTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// admitd under systemd's notify protocol, with a socket of the test's own standing in for
/// systemd's: what the unit's start-up timeout hears.
@Suite(.serialized, .timeLimit(.minutes(2))) struct NotifyEndToEndTests {
    /// A first start whose backend never answers waits first_sync_timeout_s for the first
    /// full load, longer than systemd's default start timeout (90 s): the wait asks for the
    /// time it needs (EXTEND_TIMEOUT_USEC) before it begins, and READY=1 follows it.
    @Test func aLongFirstSyncAsksSystemdForTheTime() throws {
        let directory = NSTemporaryDirectory() + "admit-notify-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let listener = try NotifyListener(path: directory + "/notify.sock")
        let closedPort = try NatsServer.freePort()   // bound once to learn a free number, then closed
        // A backend that refuses every connection (nothing listens on the port), waited for
        // `wait` seconds on a first start.
        func write(_ name: String, wait: Int) throws -> String {
            let path = directory + "/" + name
            try """
                [gate]
                name = "g"

                [backend]
                kind = "vivenu"
                url = "http://127.0.0.1:\(closedPort)/api"
                event = "e"
                token = "t"
                first_sync_timeout_s = \(wait)
                """.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let config = try write("admit.toml", wait: 120)
        let shortConfig = try write("short.toml", wait: 1)

        let d = try DaemonProcess(arguments: ["--config", config], environment: ["NOTIFY_SOCKET": listener.path])
        #expect(waitUntil(seconds: 30, interval: 0.05) { listener.messages().contains { $0.contains("EXTEND_TIMEOUT_USEC=") } }, "\(d.stderr)")
        let extend = listener.received.first { $0.contains("EXTEND_TIMEOUT_USEC=") } ?? ""
        #expect(extend.contains("EXTEND_TIMEOUT_USEC=150000000"), "the wait plus 30 s: \(extend)")
        #expect(!listener.received.contains { $0.contains("READY=1") }, "not ready while it waits")
        d.kill()

        // With a short wait the same start is READY after it, having asked first.
        let listener2 = try NotifyListener(path: directory + "/notify2.sock")
        let short = try DaemonProcess(arguments: ["--config", shortConfig], environment: ["NOTIFY_SOCKET": listener2.path])
        #expect(waitUntil(seconds: 30, interval: 0.05) { listener2.messages().contains { $0.contains("READY=1") } }, "\(short.stderr)")
        let order = listener2.received.map { $0.contains("EXTEND_TIMEOUT_USEC=") ? "extend" : $0.contains("READY=1") ? "ready" : "other" }
        #expect(order.filter { $0 != "other" }.prefix(2) == ["extend", "ready"], "\(listener2.received)")
        #expect(short.terminate() == 0)
    }
}

/// A datagram socket bound at `path`, collecting what is sent to it.
final class NotifyListener: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private(set) var received: [String] = []

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw TestFailure("bind \(path): errno \(errno)") }
    }

    deinit { close(fd) }

    /// Every message so far (reads what is waiting first).
    func messages() -> [String] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            received.append(String(decoding: buffer[0..<n], as: UTF8.self))
        }
        return received
    }
}
