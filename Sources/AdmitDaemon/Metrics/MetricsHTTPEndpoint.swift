import Dispatch
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// `GET /metrics` on 127.0.0.1:`port` for a local Prometheus or node-exporter textfile
/// relay. One small request per connection, answered and closed; anything else gets 404.
/// Loopback only: the numbers say how busy the gate is, which is nobody else's business.
public final class MetricsHTTPEndpoint: @unchecked Sendable {
    // `listener` and `source` are fixed after init; connections live on `queue`.
    private let queue = DispatchQueue(label: "admit.metrics-http")
    private let listener: OwnedDescriptor
    private let source: any DispatchSourceRead
    private let logger: Logger

    /// Listens on 127.0.0.1:`port`; `exposition` produces the body on any queue.
    public init(port: Int, logger: Logger, exposition: @escaping @Sendable (@escaping @Sendable (String) -> Void) -> Void) throws(SystemError) {
        listener = try LoopbackSocket.listen(port: port)
        self.logger = logger
        source = DispatchSource.makeReadSource(fileDescriptor: listener.raw, queue: queue)
        let listener = listener
        let queue = queue
        source.setEventHandler {
            while let connection = try? UnixSocket.accept(listener) {
                Self.serve(connection, queue: queue, exposition: exposition)
            }
        }
        source.resume()
    }

    /// Stops accepting connections.
    public func stop() { source.cancel() }

    deinit { source.cancel() }

    private static func serve(
        _ connection: OwnedDescriptor, queue: DispatchQueue,
        exposition: @escaping @Sendable (@escaping @Sendable (String) -> Void) -> Void
    ) {
        // The request is small; wait up to a second for its head, then answer.
        var request: [UInt8] = []
        for _ in 0..<20 where !request.containsHeadEnd {
            var pfd = pollfd(fd: connection.raw, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 50) >= 0 else { break }
            guard let bytes = try? UnixSocket.receive(connection) else { continue }
            if bytes.isEmpty { break }
            request += bytes
            if request.count > 8192 { break }
        }
        let line = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        guard line.hasPrefix("GET /metrics ") || line == "GET /metrics" else {
            try? UnixSocket.send(connection, Array(Self.response(status: "404 Not Found", body: "try /metrics\n").utf8))
            return
        }
        exposition { body in
            queue.async {
                try? UnixSocket.send(
                    connection, Array(Self.response(status: "200 OK", body: body, type: "text/plain; version=0.0.4").utf8))
            }
        }
    }

    static func response(status: String, body: String, type: String = "text/plain") -> String {
        "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
    }
}

extension [UInt8] {
    fileprivate var containsHeadEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 {
            return true
        }
        return false
    }
}
