#if canImport(Glibc)
    import Glibc
#endif

/// TCP on the loopback address only: the one file that calls socket/bind/listen for
/// AF_INET. Accepting, reading and writing reuse `UnixSocket`'s calls, which work on any
/// stream socket.
public enum LoopbackSocket {
    /// A non-blocking listening socket on 127.0.0.1:`port`.
    public static func listen(port: Int, backlog: Int32 = 8) throws(SystemError) -> OwnedDescriptor {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw SystemError("create a TCP socket for", "127.0.0.1:\(port)") }
        let owned = OwnedDescriptor(fd)
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw SystemError("bind", "127.0.0.1:\(port)") }
        guard Glibc.listen(fd, backlog) == 0 else { throw SystemError("listen on", "127.0.0.1:\(port)") }
        return owned
    }
}
