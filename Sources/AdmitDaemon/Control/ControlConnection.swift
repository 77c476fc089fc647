import AdmitControl
import Dispatch

/// One client of the control socket: splits its bytes into lines, answers them one at a
/// time in order, and closes on end of stream. A line that has not ended `lineTimeoutSeconds`
/// after it began (a client trickling bytes, or one that never sends the newline) and more
/// than `maximumPendingRequests` requests ahead of their answers end the connection with an
/// error line.
final class ControlConnection: @unchecked Sendable {
    // Touched only on `queue`.
    private let fd: OwnedDescriptor
    private let peer: UnixSocket.PeerCredentials
    private let queue: DispatchQueue
    private let limits: ControlServer.Limits
    private let handler: ControlServer.Handler
    private let onClose: (ControlConnection) -> Void
    private var source: (any DispatchSourceRead)?
    private var reader: ControlLineReader
    private var pendingLines: [ControlLineReader.Event] = []
    private var busy = false
    private var closed = false
    /// Counts lines begun, so a deadline knows whether its line is still the one unfinished.
    private var linesBegun = 0

    init(
        fd: OwnedDescriptor, peer: UnixSocket.PeerCredentials, queue: DispatchQueue, limits: ControlServer.Limits,
        handler: @escaping ControlServer.Handler, onClose: @escaping (ControlConnection) -> Void
    ) {
        self.fd = fd
        self.peer = peer
        self.queue = queue
        self.limits = limits
        self.handler = handler
        self.onClose = onClose
        reader = ControlLineReader(maximumLength: limits.maximumLineLength)
    }

    func start() {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd.raw, queue: queue)
        source.setEventHandler { [weak self] in self?.readAvailable() }
        // The descriptor may close only after the source has left epoll: closing it while a
        // cancel is still in flight crashed libdispatch (seen under load, after a `status`).
        source.setCancelHandler { [fd] in withExtendedLifetime(fd) {} }
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
            pendingLines += reader.finish()
            source?.cancel()
            source = nil
            if !busy { nextRequest() }
            return
        }
        let wasPartial = reader.hasPartialLine
        let events = reader.receive(bytes)
        pendingLines += events
        if reader.hasPartialLine && (!wasPartial || !events.isEmpty) { armLineDeadline() }
        if pendingLines.count > limits.maximumPendingRequests {
            return fail("more than \(limits.maximumPendingRequests) requests waiting for an answer; send one at a time")
        }
        if !busy { nextRequest() }
    }

    /// Cuts the connection off if the line now begun has not ended in time.
    private func armLineDeadline() {
        linesBegun += 1
        let line = linesBegun
        queue.asyncAfter(deadline: .now() + limits.lineTimeoutSeconds) { [weak self] in
            guard let self, !self.closed, self.linesBegun == line, self.reader.hasPartialLine else { return }
            self.fail("request line not finished within \(Self.seconds(self.limits.lineTimeoutSeconds)) s")
        }
    }

    private func nextRequest() {
        guard !closed else { return }
        while !pendingLines.isEmpty {
            let request: ControlRequest
            switch pendingLines.removeFirst() {
            case .tooLong:
                respond(ControlJSON.encode(ErrorResponse(error: "request longer than \(limits.maximumLineLength) bytes")))
                continue
            case .line(let line):
                switch ControlRequest.parse(line: line) {
                case .blank: continue
                case .malformed(let message):
                    respond(ControlJSON.encode(ErrorResponse(error: message)))
                    continue
                case .request(let parsed): request = parsed
                }
            }
            busy = true
            handler(request, peer) { [weak self] response in
                guard let self else { return }
                self.queue.async {
                    self.busy = false
                    self.respond(response)
                    self.nextRequest()
                }
            }
            return
        }
        if source == nil { close() }
    }

    /// Answers with an error line and closes.
    private func fail(_ message: String) {
        respond(ControlJSON.encode(ErrorResponse(error: message)))
        close()
    }

    private func respond(_ bytes: [UInt8]) {
        guard !closed else { return }
        do {
            try UnixSocket.send(fd, bytes + [10])
        } catch {
            close()
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
