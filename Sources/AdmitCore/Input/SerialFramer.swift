/// How a serial scanner ends a frame.
public enum SerialTerminator: String, Sendable, Hashable, CaseIterable {
    /// Carriage return (0x0D); a line feed is ignored.
    case cr
    /// Line feed (0x0A); a carriage return is ignored.
    case lf
    /// CR LF: the CR ends the frame, the LF is ignored.
    case crlf
    /// End of text (0x03), often after an STX (0x02); CR and LF are ignored.
    case etx
    /// No terminator: a pause of the inter-byte timeout ends the frame.
    case idle
}

/// Splits the bytes of one serial scanner into barcodes: a pure state machine.
///
/// Bytes go in with the instant they were read, in whatever chunks the tty delivered;
/// barcodes and discards come out. An STX (0x02) starts a fresh frame. A partial frame
/// older than the inter-byte timeout is discarded (or, with `idle`, completed) when the
/// shell calls `advance(to:)` at `deadline`. Control bytes other than GS, RS and EOT
/// (used inside GS1 and ISO 15434 data) are garbage: between frames they are reported and
/// skipped, inside a frame they discard it up to the next terminator or pause.
public struct SerialFramer: Sendable {
    /// How a serial scanner frames its barcodes.
    public struct Configuration: Sendable, Hashable {
        /// What ends a frame.
        public var terminator: SerialTerminator
        /// The longest pause within a frame, in milliseconds.
        public var interByteTimeoutMilliseconds: UInt64
        /// Prefix, suffix, AIM identifier and maximum length.
        public var framing: BarcodeFraming

        /// CR-terminated frames, 100 ms between bytes, no framing.
        public init(terminator: SerialTerminator = .cr, interByteTimeoutMilliseconds: UInt64 = 100,
                    framing: BarcodeFraming = BarcodeFraming()) {
            self.terminator = terminator
            self.interByteTimeoutMilliseconds = interByteTimeoutMilliseconds
            self.framing = framing
        }
    }

    private static let stx: UInt8 = 0x02, etx: UInt8 = 0x03, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
    private static let allowedControlBytes: Set<UInt8> = [0x04, 0x1D, 0x1E]

    /// The configuration in force.
    public let configuration: Configuration
    private var frame: [UInt8] = []
    private var discarding = false
    private var lastByteAt: MonotonicInstant?

    /// A framer with nothing received yet.
    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// When `advance(to:)` must be called if no byte arrives; nil when idle.
    public var deadline: MonotonicInstant? {
        guard let lastByteAt, !frame.isEmpty || discarding else { return nil }
        return lastByteAt.adding(milliseconds: configuration.interByteTimeoutMilliseconds)
    }

    /// Ends a partial frame whose deadline is at or before `now`.
    public mutating func advance(to now: MonotonicInstant) -> [DecoderOutput] {
        guard let deadline, now >= deadline else { return [] }
        defer { reset() }
        if discarding { return [] }
        if configuration.terminator == .idle { return complete(at: lastByteAt ?? now) }
        return [.discarded(.timedOut, partial: String(decoding: frame, as: UTF8.self))]
    }

    /// Feeds bytes read together at `instant`; returns the frames they completed or discarded.
    public mutating func receive(_ bytes: some Sequence<UInt8>, at instant: MonotonicInstant) -> [DecoderOutput] {
        var outputs = advance(to: instant)
        lastByteAt = instant
        for byte in bytes { outputs += received(byte, at: instant) }
        return outputs
    }

    private mutating func received(_ byte: UInt8, at instant: MonotonicInstant) -> [DecoderOutput] {
        if byte == Self.stx {
            let stale = frame
            reset()
            return stale.isEmpty ? [] : [.discarded(.garbage(stale[0]), partial: String(decoding: stale, as: UTF8.self))]
        }
        if isTerminator(byte) {
            defer { reset() }
            return discarding ? [] : complete(at: instant)
        }
        if byte == Self.cr || byte == Self.lf || byte == Self.etx {
            return []
        }
        if byte < 0x20 && !Self.allowedControlBytes.contains(byte) || byte == 0x7F || byte == 0xFF {
            if frame.isEmpty && !discarding { return [.discarded(.garbage(byte), partial: "")] }
            return discard(.garbage(byte))
        }
        guard !discarding else { return [] }
        frame.append(byte)
        return frame.count > configuration.framing.maxLength ? discard(.tooLong) : []
    }

    private func isTerminator(_ byte: UInt8) -> Bool {
        switch configuration.terminator {
        case .cr, .crlf: byte == Self.cr
        case .lf: byte == Self.lf
        case .etx: byte == Self.etx
        case .idle: false
        }
    }

    private func complete(at instant: MonotonicInstant) -> [DecoderOutput] {
        guard let text = String(validating: frame, as: UTF8.self) else {
            return [.discarded(.garbage(frame.first { $0 >= 0x80 } ?? 0), partial: String(decoding: frame, as: UTF8.self))]
        }
        return configuration.framing.unwrap(text, completedAt: instant).map { [$0] } ?? []
    }

    private mutating func discard(_ reason: DiscardReason) -> [DecoderOutput] {
        let partial = String(decoding: frame, as: UTF8.self)
        frame = []
        discarding = true
        return [.discarded(reason, partial: partial)]
    }

    private mutating func reset() {
        frame = []
        discarding = false
    }
}
