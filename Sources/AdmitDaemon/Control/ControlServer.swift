import Dispatch
import Logging

/// Serves newline-delimited JSON on a Unix stream socket: one request object per line,
/// one response object per line, in order. A malformed or oversized request gets an error
/// object; the connection stays usable unless the line never ends.
public final class ControlServer: @unchecked Sendable {
    /// Answers one request; must call `reply` exactly once, on any queue.
    public typealias Handler = @Sendable (
        _ request: ControlRequest, _ peer: UnixSocket.PeerCredentials,
        _ reply: @escaping @Sendable ([UInt8]) -> Void
    ) -> Void

    /// The longest request line accepted.
    public static let maximumLineLength = 64 * 1024

    // Touched only on `queue`.
    private let queue = DispatchQueue(label: "admit.control")
    private let listener: OwnedDescriptor
    private let acceptSource: any DispatchSourceRead
    private var connections: [ObjectIdentifier: ControlConnection] = [:]
    private let handler: Handler
    private let logger: Logger
    /// The path the server listens on.
    public let path: String

    /// Binds `path` (mode 0660) and starts accepting.
    public init(path: String, logger: Logger, handler: @escaping Handler) throws(SystemError) {
        self.path = path
        self.handler = handler
        self.logger = logger
        listener = try UnixSocket.listen(path: path)
        acceptSource = DispatchSource.makeReadSource(fileDescriptor: listener.raw, queue: queue)
        acceptSource.setEventHandler { [weak self] in self?.acceptPending() }
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
            let peer = (try? UnixSocket.peerCredentials(fd)) ?? UnixSocket.PeerCredentials(pid: 0, uid: 0, gid: 0)
            let connection = ControlConnection(fd: fd, peer: peer, queue: queue, handler: handler) { [weak self] closed in
                self?.connections[ObjectIdentifier(closed)] = nil
            }
            connections[ObjectIdentifier(connection)] = connection
            connection.start()
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif

func unlinkSocket(_ path: String) { _ = unlink(path) }
