import AdmitControl
import Dispatch
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Serves newline-delimited JSON on a Unix stream socket: one request object per line,
/// one response object per line, in order. Only peers the access rule admits are served
/// (`SO_PEERCRED`); others read one error line and are closed. A malformed or oversized
/// request gets an error object and the connection stays usable; a line that does not end
/// in time, too many requests in flight or too many connections end with an error line.
public final class ControlServer: @unchecked Sendable {
    /// Answers one request; must call `reply` exactly once, on any queue.
    public typealias Handler = @Sendable (
        _ request: ControlRequest, _ peer: UnixSocket.PeerCredentials,
        _ reply: @escaping @Sendable ([UInt8]) -> Void
    ) -> Void

    /// What one peer may make the server hold.
    public struct Limits: Sendable {
        /// The longest request line accepted, in bytes.
        public var maximumLineLength = 64 * 1024
        /// A request line must end this many seconds after its first byte.
        public var lineTimeoutSeconds = 10.0
        /// Connections open at once; more are refused with an error line.
        public var maximumConnections = 32
        /// Requests read ahead of their answers on one connection.
        public var maximumPendingRequests = 16

        /// The defaults: 64 KiB lines, 10 s to finish a line, 32 connections, 16 requests ahead.
        public init() {}
    }

    // Touched only on `queue`.
    private let queue = DispatchQueue(label: "admit.control")
    private let listener: OwnedDescriptor
    private let acceptSource: any DispatchSourceRead
    private var connections: [ObjectIdentifier: ControlConnection] = [:]
    private let handler: Handler
    private let access: @Sendable () -> ControlAccess
    private let logger: Logger
    private var refusalLog = RefusalLog()
    /// The limits in force.
    public let limits: Limits
    /// The path the server listens on.
    public let path: String
    /// The group of the socket file: the group admitted when the rule names none.
    public let socketGroup: UInt32

    /// Binds `path` (mode 0660) and starts accepting. `access` is asked for every new
    /// connection, so a reloaded rule applies to the next one.
    public init(
        path: String, limits: Limits = Limits(), logger: Logger,
        access: @escaping @Sendable () -> ControlAccess = { ControlAccess() }, handler: @escaping Handler
    ) throws(SystemError) {
        self.path = path
        self.limits = limits
        self.handler = handler
        self.access = access
        self.logger = logger
        listener = try UnixSocket.listen(path: path)
        socketGroup = try UnixSocket.group(of: path)
        acceptSource = DispatchSource.makeReadSource(fileDescriptor: listener.raw, queue: queue)
        acceptSource.setEventHandler { [weak self] in self?.acceptPending() }
        acceptSource.setCancelHandler { [listener] in withExtendedLifetime(listener) {} }  // see ControlConnection.start
        acceptSource.resume()
    }

    /// Stops accepting, closes every connection and removes the socket file.
    public func stop() {
        queue.sync {
            acceptSource.cancel()
            for connection in connections.values { connection.close() }
            connections.removeAll()
        }
        unlinkSocket(path)
    }

    private func acceptPending() {
        while true {
            let accepted: OwnedDescriptor?
            do {
                accepted = try UnixSocket.accept(listener)
            } catch {
                logger.warning("\(error)")
                return
            }
            guard let fd = accepted else { return }
            guard let peer = try? UnixSocket.peerCredentials(fd) else {
                refuse(fd, "cannot read the credentials of this connection", log: "credentials unreadable")
                continue
            }
            let rule = access()
            let ownUser = getuid()
            let admitted = rule.admits(
                ControlAccess.Peer(pid: peer.pid, uid: peer.uid, gid: peer.gid), ownUser: ownUser,
                socketGroup: socketGroup, supplementaryGroups: { UserDatabase.supplementaryGroups(pid: peer.pid, uid: peer.uid) })
            guard admitted else {
                let message = rule.refusal(
                    ControlAccess.Peer(pid: peer.pid, uid: peer.uid, gid: peer.gid), ownUser: ownUser,
                    socketGroup: socketGroup, groupName: UserDatabase.groupName)
                refuse(fd, message, log: "uid \(peer.uid) gid \(peer.gid) pid \(peer.pid) is not an allowed user or group member")
                continue
            }
            guard connections.count < limits.maximumConnections else {
                refuse(fd, "too many control connections (\(limits.maximumConnections)); try again", log: "pid \(peer.pid): too many connections")
                continue
            }
            let connection = ControlConnection(fd: fd, peer: peer, queue: queue, limits: limits, handler: handler) {
                [weak self] closed in
                self?.connections[ObjectIdentifier(closed)] = nil
            }
            connections[ObjectIdentifier(connection)] = connection
            connection.start()
        }
    }

    /// Answers a connection that is not served with one error line, and closes it.
    private func refuse(_ fd: OwnedDescriptor, _ message: String, log reason: String) {
        if let line = refusalLog.note(reason, now: DispatchTime.now().uptimeNanoseconds) {
            logger.warning("control socket: refused a connection: \(line)")
        }
        try? UnixSocket.send(fd, ControlJSON.encode(ErrorResponse(error: message)) + [10], waitMilliseconds: 100)
        // Read what the peer sent, so closing does not reset the connection before it reads the line.
        _ = try? UnixSocket.receive(fd, max: 64 * 1024)
    }
}

/// Logs refused connections at most once a second, counting the ones left out, so a
/// client refused in a loop cannot flood the journal.
struct RefusalLog {
    private var lastLogged: UInt64?
    private var suppressed = 0

    /// The line to log for a refusal at `now` (nanoseconds), nil to stay quiet.
    mutating func note(_ reason: String, now: UInt64) -> String? {
        if let lastLogged, now &- lastLogged < 1_000_000_000 {
            suppressed += 1
            return nil
        }
        lastLogged = now
        defer { suppressed = 0 }
        return suppressed == 0 ? reason : "\(reason) (and \(suppressed) more refused in the last second)"
    }
}

func unlinkSocket(_ path: String) { _ = unlink(path) }
