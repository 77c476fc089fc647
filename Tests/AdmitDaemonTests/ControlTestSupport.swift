import AdmitDaemon
import Foundation
import Logging
import Synchronization

/// A control connection driven byte by byte, for tests of the socket's rules and limits.
final class RawControlConnection {
    private let fd: OwnedDescriptor
    private var pending: [UInt8] = []

    init(path: String, timeoutSeconds: Int = 5) throws {
        fd = try UnixSocket.connect(path: path, timeoutSeconds: timeoutSeconds)
    }

    func send(_ text: String) throws { try UnixSocket.send(fd, Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws { try UnixSocket.send(fd, bytes) }

    /// The next line; nil at the end of the stream or after the receive timeout.
    func readLine() -> String? {
        while true {
            if let newline = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line
            }
            guard let chunk = try? UnixSocket.receive(fd, max: 65_536), !chunk.isEmpty else { return nil }
            pending += chunk
        }
    }

    /// True when the daemon has sent something (or closed) within `seconds`: a wait that
    /// ends as soon as there is an answer.
    func answers(within seconds: Double) -> Bool {
        if !pending.isEmpty { return true }
        var entry = pollfd(fd: fd.raw, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, Int32(seconds * 1000)) > 0
    }

    /// True when the daemon has closed its end (everything it sent has been read).
    func isClosedByPeer() -> Bool {
        while true {
            guard let chunk = try? UnixSocket.receive(fd, max: 65_536) else { return false }
            if chunk.isEmpty { return true }
            pending += chunk
        }
    }
}

/// Log lines kept for assertions.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    var logger: Logger { Logger(label: "test") { _ in RecordingHandler(recorder: self) } }

    var messages: [String] { lines.withLock { $0 } }

    fileprivate func record(_ message: String) { lines.withLock { $0.append(message) } }
}

private struct RecordingHandler: LogHandler {
    let recorder: LogRecorder
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    func log(event: LogEvent) { recorder.record("\(event.level): \(event.message)") }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}

/// A group id this process is not in, primary or supplementary.
func groupNotMine() -> UInt32 {
    let count = getgroups(0, nil)
    var groups = [gid_t](repeating: 0, count: Int(max(count, 1)))
    let n = getgroups(count, &groups)
    let mine = Set(groups.prefix(Int(max(n, 0)))).union([getgid(), getegid()])
    return (4242...65_000).first { !mine.contains($0) } ?? 65_534
}
