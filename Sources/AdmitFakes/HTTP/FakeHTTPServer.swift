import AdmitCore
import NIOCore
import NIOPosix
import Synchronization

/// A loopback HTTP/1.1 server for one fake backend: binds 127.0.0.1, hands complete requests
/// to the fake's routes, plays the configured `FakeFault`, stamps every response with the
/// fake's clock in `Date`, limits body sizes and counts requests per path.
final class FakeHTTPServer: Sendable {
    /// Requests with a larger body are refused with `413`.
    let maxBodyBytes: Int
    let routes: any FakeRoutes
    let clock: FakeClock

    private struct State {
        var listener: (any Channel)?
        var port: Int?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var fault: FakeFault?
        var requestCounts: [String: Int] = [:]
        /// The number given to the last accepted connection.
        var lastConnection = 0
    }

    private let state = Mutex(State())

    init(routes: any FakeRoutes, clock: FakeClock, maxBodyBytes: Int = 5 * 1024 * 1024) {
        self.routes = routes
        self.clock = clock
        self.maxBodyBytes = maxBodyBytes
    }

    /// The bound port once started.
    var port: Int? { state.withLock { $0.port } }

    /// Binds 127.0.0.1:`port` (0 picks a free port) and returns the bound port.
    func start(port: Int) async throws -> Int {
        let channel = try await bind(port: port).get()
        guard let bound = channel.localAddress?.port else {
            try await channel.close()
            throw FakeServerError(message: "the listening socket has no local port")
        }
        let stayDown = state.withLock { state in
            state.listener = channel
            state.port = bound
            return state.fault == .down
        }
        if stayDown { closeListener() }
        return bound
    }

    /// Stops listening and closes every open connection.
    func stop() async throws {
        let channels = state.withLock { state in
            let channels = [state.listener].compactMap { $0 } + Array(state.connections.values)
            state.listener = nil
            state.port = nil
            state.connections = [:]
            return channels
        }
        for channel in channels {
            try? await channel.close()
        }
    }

    /// Sets or clears the fault. `.down` closes the listener and all connections before it
    /// returns; clearing it listens again on the same port before it returns.
    func setFault(_ fault: FakeFault?) {
        let (wasDown, port) = state.withLock { state in
            let wasDown = state.fault == .down
            state.fault = fault
            return (wasDown, state.port)
        }
        if fault == .down, !wasDown {
            closeListener()
        } else if fault != .down, wasDown, let port {
            // Blocking on purpose: the caller's next request must find the port open.
            do {
                let channel = try bind(port: port).wait()
                state.withLock { $0.listener = channel }
            } catch {
                preconditionFailure("fake backend could not listen again on port \(port): \(error)")
            }
        }
    }

    /// The fault in force.
    var fault: FakeFault? { state.withLock { $0.fault } }

    /// Counts a request to `path` (relative to the routes' base path).
    func count(path: String) {
        let relative = relativePath(path)
        state.withLock { $0.requestCounts[relative, default: 0] += 1 }
    }

    /// How many requests arrived for `path`, given relative to the base path
    /// (`/scans`) or in full (`/api/accessusers/scans`); faulted requests count too.
    func requestCount(path: String) -> Int {
        let relative = relativePath(path)
        return state.withLock { $0.requestCounts[relative] ?? 0 }
    }

    /// Connections accepted and not yet closed.
    var openConnections: Int { state.withLock { $0.connections.count } }

    /// Requests received on every path, faulted ones included.
    var totalRequests: Int { state.withLock { $0.requestCounts.values.reduce(0, +) } }

    private func relativePath(_ path: String) -> String {
        let base = routes.basePath
        let bare = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        if bare.hasPrefix(base + "/") || bare == base { return String(bare.dropFirst(base.count)) }
        return bare
    }

    private func closeListener() {
        let channels = state.withLock { state in
            let channels = [state.listener].compactMap { $0 } + Array(state.connections.values)
            state.listener = nil
            state.connections = [:]
            return channels
        }
        // Blocking on purpose: once `setFault(.down)` returns, connecting must fail.
        for channel in channels {
            try? channel.close().wait()
        }
    }

    private func bind(port: Int) -> EventLoopFuture<any Channel> {
        ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                let connection = track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(FakeHTTPHandler(server: self, connection: connection))
                }
            }
            .bind(host: "127.0.0.1", port: port)
    }

    /// Keeps `channel` until it closes and returns its number (`FakeHTTPRequest.connection`).
    private func track(_ channel: any Channel) -> Int {
        let id = ObjectIdentifier(channel)
        let (accepted, number) = state.withLock { state in
            state.lastConnection += 1
            guard state.listener != nil else { return (false, state.lastConnection) }
            state.connections[id] = channel
            return (true, state.lastConnection)
        }
        guard accepted else {
            channel.close(promise: nil)
            return number
        }
        channel.closeFuture.whenComplete { [self] _ in
            // The routes first: once `openConnections` reads 0 they have seen every close.
            routes.connectionClosed(number)
            _ = state.withLock { $0.connections.removeValue(forKey: id) }
        }
        return number
    }
}

/// A fake server could not start.
struct FakeServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { "fake backend: \(message)" }
}
