/// Splits the bytes of one control connection into request lines: a pure state machine.
///
/// Bytes go in as they arrive, in whatever chunks; complete lines come out, without the
/// newline. A line longer than `maximumLength` is reported once as `.tooLong` and the rest
/// of it, up to its newline, is dropped, so the connection resynchronizes on the next
/// line. The reader never holds more than `maximumLength` bytes.
public struct ControlLineReader: Sendable {
    /// What the bytes completed.
    public enum Event: Sendable, Equatable {
        /// A whole line, without its newline.
        case line([UInt8])
        /// A line longer than the limit (its bytes are dropped up to the next newline).
        case tooLong
    }

    /// The longest line accepted, newline not counted.
    public let maximumLength: Int
    private var buffer: [UInt8] = []
    private var discarding = false

    /// A reader with nothing received, accepting lines of at most `maximumLength` bytes.
    public init(maximumLength: Int) {
        self.maximumLength = max(1, maximumLength)
    }

    /// True while a line has begun and not ended (the connection owes a newline).
    public var hasPartialLine: Bool { !buffer.isEmpty || discarding }

    /// Bytes of the unfinished line held now (never more than `maximumLength`).
    public var bufferedCount: Int { buffer.count }

    /// Feeds bytes; returns the lines they completed, in order.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [Event] {
        var events: [Event] = []
        for byte in bytes {
            if byte == 10 {
                if discarding {
                    discarding = false
                } else {
                    events.append(.line(buffer))
                }
                buffer.removeAll(keepingCapacity: true)
            } else if !discarding {
                if buffer.count == maximumLength {
                    buffer.removeAll()
                    discarding = true
                    events.append(.tooLong)
                } else {
                    buffer.append(byte)
                }
            }
        }
        return events
    }

    /// At end of stream: the last line if it was not terminated (and not too long).
    public mutating func finish() -> [Event] {
        defer {
            buffer.removeAll()
            discarding = false
        }
        return buffer.isEmpty || discarding ? [] : [.line(buffer)]
    }
}

extension ControlRequest {
    /// What a request line holds: nothing (a blank line, skipped), a request, or the
    /// error answer for a line that is not one JSON object with a string `cmd`. A carriage
    /// return before the newline is ignored.
    public enum Parsed: Sendable, Equatable {
        /// A blank line.
        case blank
        /// A request to answer.
        case request(ControlRequest)
        /// Not a request: the error to answer with.
        case malformed(String)
    }

    /// Reads one line of the control protocol.
    public static func parse(line: some Collection<UInt8>) -> Parsed {
        var bytes = Array(line)
        if bytes.last == 13 { bytes.removeLast() }
        if bytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { return .blank }
        do {
            return .request(try ControlJSON.decode(ControlRequest.self, from: bytes))
        } catch {
            return .malformed("malformed request: expected one JSON object with \"cmd\" per line")
        }
    }
}
