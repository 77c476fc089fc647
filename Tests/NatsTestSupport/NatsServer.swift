import Foundation
import Synchronization

/// A real `nats-server` with JetStream on loopback for tests: a free port, its own temporary
/// storage folder, stopped (and the folder kept only while it lives) when the value goes
/// away. `stop()` and `start()` again keep port and storage, as a restarted venue box would.
public final class NatsServer: Sendable {
    /// The client port.
    public let port: Int
    /// The cluster (route) port, when part of a cluster.
    public let clusterPort: Int?
    /// The storage folder.
    public let directory: String
    private let routes: [Int]
    private let name: String
    private let process = Mutex<Process?>(nil)
    private let logPath: String

    /// The URL clients connect to.
    public var url: String { "nats://127.0.0.1:\(port)" }

    /// Prepares (does not start) a server; `clusterPort` and `routes` make it a node of a
    /// cluster whose other nodes listen for routes on `routes`.
    public init(name: String = "n1", clusterPort: Int? = nil, routes: [Int] = []) throws {
        self.name = name
        port = try Self.freePort()
        self.clusterPort = clusterPort
        self.routes = routes
        directory = NSTemporaryDirectory() + "admit-nats-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        logPath = directory + "/server.log"
    }

    /// Starts a single server and waits until it is ready.
    public static func started() throws -> NatsServer {
        let server = try NatsServer()
        try server.start()
        return server
    }

    /// Starts the process; waits (up to `seconds`) until it says it is ready.
    public func start(seconds: Double = 20) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.executable)
        var arguments = ["-js", "-a", "127.0.0.1", "-p", "\(port)", "-sd", directory + "/js", "-n", name, "-l", logPath]
        if let clusterPort {
            arguments += ["--cluster_name", "admit", "--cluster", "nats://127.0.0.1:\(clusterPort)"]
            let others = routes.map { "nats://127.0.0.1:\($0)" }.joined(separator: ",")
            if !others.isEmpty { arguments += ["--routes", others] }
        }
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        let before = (try? String(contentsOfFile: logPath, encoding: .utf8))?.components(separatedBy: "Server is ready").count ?? 1
        try p.run()
        process.withLock { $0 = p }
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if log.components(separatedBy: "Server is ready").count > before { return }
            if !p.isRunning { throw NatsServerError(message: "nats-server exited: \(log.suffix(2000))") }
            usleep(20_000)
        }
        throw NatsServerError(message: "nats-server on \(port) not ready within \(seconds) s")
    }

    /// Stops the process (SIGTERM, then waits); storage stays.
    public func stop() {
        guard let p = process.withLock({ p -> Process? in defer { p = nil }; return p }) else { return }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
        }
    }

    /// The server's log so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Where nats-server is (Debian puts it in /usr/sbin).
    public static var executable: String {
        for path in ["/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"]
        where FileManager.default.isExecutableFile(atPath: path) { return path }
        return "nats-server"
    }

    /// A TCP port on loopback free right now (bound to port 0, then released).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw NatsServerError(message: "socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw NatsServerError(message: "bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Three `NatsServer`s routed to each other: a JetStream cluster on loopback.
public final class NatsCluster: Sendable {
    /// The nodes.
    public let nodes: [NatsServer]

    /// Prepares and starts three nodes; waits until each is ready.
    public init() throws {
        let clusterPorts = try (0..<3).map { _ in try NatsServer.freePort() }
        nodes = try (0..<3).map { i in
            try NatsServer(name: "n\(i + 1)", clusterPort: clusterPorts[i], routes: clusterPorts.enumerated().filter { $0.offset != i }.map(\.element))
        }
        for node in nodes { try node.start() }
    }

    /// Every node's client URL.
    public var urls: [String] { nodes.map(\.url) }
}

/// A server that would not start.
public struct NatsServerError: Error, CustomStringConvertible {
    /// What happened.
    public var message: String
    public var description: String { message }
}

/// Waits until `condition` holds (polling every 10 ms), or returns false after `seconds`.
@discardableResult
public func waitUntil(seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}
