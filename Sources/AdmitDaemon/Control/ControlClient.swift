/// A blocking client of the control socket, for `admitctl` and tests.
public struct ControlClient: Sendable {
    /// The socket path.
    public var path: String
    /// Seconds to wait for the daemon.
    public var timeoutSeconds: Int

    /// A client of the daemon listening at `path`.
    public init(path: String, timeoutSeconds: Int = 10) {
        self.path = path
        self.timeoutSeconds = timeoutSeconds
    }

    /// Sends one request and returns the one-line JSON response (without the newline).
    public func send(_ request: ControlRequest) throws(SystemError) -> [UInt8] {
        try sendRaw(ControlJSON.encode(request))
    }

    /// Sends raw bytes as one request line and returns the response line.
    public func sendRaw(_ line: [UInt8]) throws(SystemError) -> [UInt8] {
        let fd = try UnixSocket.connect(path: path, timeoutSeconds: timeoutSeconds)
        do {
            try UnixSocket.send(fd, line + [10])
        } catch {
            // A daemon that refuses this client answers one line and closes, perhaps before
            // the request was written: that line says why.
            if let answer = try? readLine(fd), !answer.isEmpty { return answer }
            throw error
        }
        return try readLine(fd)
    }

    /// Reads up to the first newline (or the end of the stream).
    private func readLine(_ fd: OwnedDescriptor) throws(SystemError) -> [UInt8] {
        var response: [UInt8] = []
        while true {
            guard let chunk = try UnixSocket.receive(fd, max: 64 * 1024) else {
                throw SystemError("read the answer from", path, code: 110)  // ETIMEDOUT
            }
            if chunk.isEmpty { break }
            response += chunk
            if let newline = response.firstIndex(of: 10) { return Array(response[..<newline]) }
        }
        return response
    }
}
