import CNats
import Foundation

/// A failed NATS or JetStream call: what was being done, libnats' status and, for
/// JetStream requests, the server's error code.
public struct NatsError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, where callers must tell them apart.
    public enum Code: Sendable, Equatable {
        /// No answer in time (server unreachable, or slow).
        case timeout
        /// The connection is closed or not connected (yet).
        case notConnected
        /// The key exists already (a key-value create lost to an earlier writer).
        case keyExists
        /// The key changed since the revision given (a compare-and-set lost).
        case wrongRevision
        /// Anything else.
        case other
    }

    /// The kind of failure.
    public var code: Code
    /// What was being done, e.g. "publish to admit.e1.north-2".
    public var operation: String
    /// libnats' words for it, with the server's detail when there is one.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, operation: String, reason: String) {
        self.code = code
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "cannot \(operation): \(reason)" }
}

/// Turns a libnats status into nothing (NATS_OK) or a `NatsError` naming `operation`.
/// The thread-local last error text of libnats is read here, the only place that does.
func natsCheck(_ status: natsStatus, _ operation: @autoclosure () -> String, js: jsErrCode = jsErrCode(rawValue: 0)) throws(NatsError) {
    guard status != NATS_OK else { return }
    var detail = String(cString: natsStatus_GetText(status))
    var lastStatus = NATS_OK
    if let last = nats_GetLastError(&lastStatus), last.pointee != 0 {
        let text = String(cString: last)
        if !text.isEmpty, text != detail { detail += " (\(text))" }
    }
    if js.rawValue != 0 { detail += " [JetStream error \(js.rawValue)]" }
    let code: NatsError.Code
    switch status {
    case NATS_TIMEOUT: code = .timeout
    case NATS_CONNECTION_CLOSED, NATS_CONNECTION_DISCONNECTED, NATS_NOT_YET_CONNECTED, NATS_NO_SERVER, NATS_STALE_CONNECTION:
        code = .notConnected
    default:
        code = js == JSStreamWrongLastSequenceErr ? .wrongRevision : .other
    }
    throw NatsError(code, operation: operation(), reason: detail)
}

/// Runs `body` with C copies of `strings` that live for the call.
func withCStrings<T>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) throws(NatsError) -> T) throws(NatsError) -> T {
    let copies = strings.map { strdup($0) }
    defer { for copy in copies { free(copy) } }
    return try body(copies.map { UnsafePointer($0) })
}
