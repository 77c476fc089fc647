import Dispatch

/// One client of the control socket: splits its bytes into lines, answers them one at a
/// time in order, and closes on end of stream or an endless line.
final class ControlConnection: @unchecked Sendable {
    // Touched only on `queue`.
    private let fd: OwnedDescriptor
    private let peer: UnixSocket.PeerCredentials
    private let queue: DispatchQueue
    private let handler: ControlServer.Handler
    private let onClose: (ControlConnection) -> Void
    private var source: (any DispatchSourceRead)?
    private var buffer: [UInt8] = []
    private var pendingLines: [[UInt8]] = []
    private var busy = false
    private var closed = false
    private var discardingLongLine = false

    init(
        fd: OwnedDescriptor, peer: UnixSocket.PeerCredentials, queue: DispatchQueue,
        handler: @escaping ControlServer.Handler, onClose: @escaping (ControlConnection) -> Void
    ) {
        self.fd = fd
        self.peer = peer
        self.queue = queue
        self.handler = handler
        self.onClose = onClose
    }

    func start() {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd.raw, queue: queue)
        source.setEventHandler { [weak self] in self?.readAvailable() }
        self.source = source
        source.resume()
    }

    func close() {
        guard !closed else { return }
        closed = true
        source?.cancel()
        source = nil
        onClose(self)
    }

    private func readAvailable() {
        guard !closed else { return }
        let bytes: [UInt8]?
        do {
            bytes = try UnixSocket.receive(fd, max: 16 * 1024)
        } catch {
            close()
            return
        }
        guard let bytes else { return }
        if bytes.isEmpty {
            // End of stream: answer what was asked, then close.
            if !buffer.isEmpty && !discardingLongLine { pendingLines.append(buffer) }
            buffer.removeAll()
            source?.cancel()
            source = nil
            if !busy { nextRequest(closing: true) }
            return
        }
        for byte in bytes {
            if byte == 10 {
                if discardingLongLine {
                    discardingLongLine = false
                } else {
                    pendingLines.append(buffer)
                }
                buffer.removeAll(keepingCapacity: true)
            } else if !discardingLongLine {
                buffer.append(byte)
                if buffer.count > ControlServer.maximumLineLength {
                    buffer.removeAll()
                    discardingLongLine = true
                    pendingLines.append(Array("\u{0}oversized".utf8))
                }
            }
        }
        if !busy { nextRequest(closing: false) }
    }

    private func nextRequest(closing: Bool) {
        guard !closed else { return }
        while !pendingLines.isEmpty {
            let line = pendingLines.removeFirst()
            let trimmed = line.filter { $0 != 13 }
            if trimmed.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            if trimmed.first == 0 {
                respond(ControlJSON.encode(ErrorResponse(error: "request longer than \(ControlServer.maximumLineLength) bytes")))
                continue
            }
            let request: ControlRequest
            do {
                request = try ControlJSON.decode(ControlRequest.self, from: trimmed)
            } catch {
                respond(ControlJSON.encode(ErrorResponse(error: "malformed request: expected one JSON object with \"cmd\" per line")))
                continue
            }
            busy = true
            handler(request, peer) { [weak self] response in
                guard let self else { return }
                self.queue.async {
                    self.busy = false
                    self.respond(response)
                    self.nextRequest(closing: self.source == nil)
                }
            }
            return
        }
        if closing || source == nil { close() }
    }

    private func respond(_ bytes: [UInt8]) {
        do {
            try UnixSocket.send(fd, bytes + [10])
        } catch {
            close()
        }
    }
}
