#if canImport(Glibc)
    import Glibc
#endif

/// An owned file descriptor: closed exactly once, when its owner is released.
public final class OwnedDescriptor: @unchecked Sendable {
    /// The raw descriptor; valid while this object lives.
    public let raw: Int32

    /// Takes ownership of `raw`.
    public init(_ raw: Int32) { self.raw = raw }

    deinit { _ = Glibc.close(raw) }
}

/// Unix stream sockets: the one file that calls socket, bind, listen, accept, connect,
/// getsockopt(SO_PEERCRED), recv and send for Admit's control channel.
public enum UnixSocket {
    /// Credentials of the process on the other end of a connection.
    public struct PeerCredentials: Sendable, Equatable {
        public var pid: Int32
        public var uid: UInt32
        public var gid: UInt32
    }

    /// Creates a listening socket at `path` (replacing a stale one) with permissions `mode`.
    public static func listen(path: String, mode: mode_t = 0o660, backlog: Int32 = 16) throws(SystemError) -> OwnedDescriptor {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw SystemError("create a socket for", path) }
        let owned = OwnedDescriptor(fd)
        unlink(path)
        let bound = try withAddress(path) { bind(fd, $0, $1) }
        guard bound == 0 else { throw SystemError("bind the control socket", path) }
        guard chmod(path, mode) == 0 else { throw SystemError("set the mode of", path) }
        guard Glibc.listen(fd, backlog) == 0 else { throw SystemError("listen on", path) }
        return owned
    }

    /// Accepts one pending connection (non-blocking, close-on-exec), or nil when none waits.
    public static func accept(_ listener: OwnedDescriptor) throws(SystemError) -> OwnedDescriptor? {
        while true {
            let fd = Glibc.accept(listener.raw, nil, nil)
            if fd >= 0 {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                return OwnedDescriptor(fd)
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, ECONNABORTED: return nil
            default: throw SystemError("accept a connection on", "the control socket")
            }
        }
    }

    /// Connects to the socket at `path` (blocking), with send/receive timeouts.
    public static func connect(path: String, timeoutSeconds: Int = 10) throws(SystemError) -> OwnedDescriptor {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError("create a socket for", path) }
        let owned = OwnedDescriptor(fd)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = try withAddress(path) { Glibc.connect(fd, $0, $1) }
        guard result == 0 else { throw SystemError("connect to", path) }
        return owned
    }

    /// The group that owns the file at `path` (stat).
    public static func group(of path: String) throws(SystemError) -> UInt32 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw SystemError("read the owner of", path) }
        return info.st_gid
    }

    /// The credentials of the connected peer (SO_PEERCRED).
    public static func peerCredentials(_ connection: OwnedDescriptor) throws(SystemError) -> PeerCredentials {
        // struct ucred needs _GNU_SOURCE in Glibc's headers; PeerCredentials has its layout.
        var cred = PeerCredentials(pid: 0, uid: 0, gid: 0)
        var length = socklen_t(MemoryLayout<PeerCredentials>.size)
        guard getsockopt(connection.raw, SOL_SOCKET, SO_PEERCRED, &cred, &length) == 0 else {
            throw SystemError("read the peer credentials of", "a control connection")
        }
        return cred
    }

    /// Reads what is available: bytes, `[]` at end of stream, nil when it would block.
    public static func receive(_ connection: OwnedDescriptor, max: Int = 4096) throws(SystemError) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: max)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(connection.raw, $0.baseAddress, max, 0) }
            if n >= 0 { return Array(buffer[0..<n]) }
            switch errno {
            case EINTR: continue
            case EAGAIN: return nil
            default: throw SystemError("read from", "a control connection")
            }
        }
    }

    /// Writes all of `bytes`, waiting up to `waitMilliseconds` at a time for room when the
    /// socket is non-blocking and full.
    public static func send(_ connection: OwnedDescriptor, _ bytes: [UInt8], waitMilliseconds: Int32 = 2000) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(connection.raw, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                offset += n
                continue
            }
            switch errno {
            case EINTR: continue
            case EAGAIN:
                var pfd = pollfd(fd: connection.raw, events: Int16(POLLOUT), revents: 0)
                guard poll(&pfd, 1, waitMilliseconds) > 0 else { throw SystemError("write to", "a control connection (timed out)") }
            default: throw SystemError("write to", "a control connection")
            }
        }
    }

    private static func withAddress(
        _ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32
    ) throws(SystemError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { throw SystemError("use socket path", path, code: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }
}
