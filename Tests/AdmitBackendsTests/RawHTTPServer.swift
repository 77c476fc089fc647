import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback HTTP server written on bare sockets, for the rules of `BackendHTTP` that a
/// well-behaved fake cannot break: it answers each request with the pieces `answer`
/// returns (bytes, then a pause in milliseconds before the next piece) and remembers
/// every request head it read.
final class RawHTTPServer: Sendable {
    let port: Int
    private let listener: Int32
    private final class Heads: Sendable { let list = Mutex<[String]>([]) }
    private let heads = Heads()

    /// Listens on 127.0.0.1 at a free port.
    init(answer: @escaping @Sendable (String) -> [(String, Int)]) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(listener, sa, length) == 0 && listen(listener, 8) == 0 && getsockname(listener, sa, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        port = Int(UInt16(bigEndian: address.sin_port))
        let heads = heads
        Thread.detachNewThread {
            while true {
                let fd = accept(listener, nil, nil)
                guard fd >= 0 else { return }
                Thread.detachNewThread {
                    defer { close(fd) }
                    var head = [UInt8]()
                    var byte: UInt8 = 0
                    while !head.suffix(4).elementsEqual("\r\n\r\n".utf8), read(fd, &byte, 1) == 1 { head.append(byte) }
                    let text = String(decoding: head, as: UTF8.self)
                    heads.list.withLock { $0.append(text) }
                    for (piece, pause) in answer(text) {
                        guard write(fd, piece, piece.utf8.count) == piece.utf8.count else { return }
                        if pause > 0 { usleep(UInt32(pause) * 1000) }
                    }
                }
            }
        }
    }

    /// The request heads read so far.
    var requests: [String] { heads.list.withLock { $0 } }

    /// `http://127.0.0.1:port`.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}
