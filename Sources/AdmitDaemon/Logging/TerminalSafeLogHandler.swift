import AdmitCore
import Logging

/// A log handler that passes every message and metadata value through `TerminalSafe`
/// before the handler it wraps writes them, so a barcode or a backend's answer quoted in a
/// log line can neither drive the terminal of whoever reads the log nor break the journal's
/// line structure (journald stores a line holding control characters as binary data).
public struct TerminalSafeLogHandler: LogHandler {
    private var wrapped: any LogHandler

    /// Wraps `handler`; its level and metadata are this handler's.
    public init(wrapping handler: any LogHandler) { wrapped = handler }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        var safe = event
        safe.message = "\(TerminalSafe.text(event.message.description))"
        safe.metadata = event.metadata?.mapValues(Self.safe)
        wrapped.log(event: safe)
    }

    static func safe(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(TerminalSafe.text(text))
        case .stringConvertible(let value): .string(TerminalSafe.text(value.description))
        case .array(let values): .array(values.map(safe))
        case .dictionary(let values): .dictionary(values.mapValues(safe))
        }
    }
}
