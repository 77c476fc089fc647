/// A failed exchange with a ticketing backend: which backend, which request, what happened.
public struct BackendError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of failure, which decides whether retrying can help.
    public enum Kind: String, Sendable {
        /// No connection (refused, reset, DNS, TLS).
        case unreachable
        /// No complete answer within the time budget.
        case timeout
        /// The credentials were refused (401/403, or the backend's own auth error).
        case unauthorized
        /// The backend refused the request itself (4xx): retrying the same request will not help.
        case rejected
        /// The backend failed (5xx).
        case serverError
        /// The answer could not be understood (garbage, truncated, wrong shape).
        case malformed
    }

    /// What kind of failure.
    public var kind: Kind
    /// The backend, e.g. "vivenu".
    public var backend: String
    /// The request, e.g. "GET tickets/v2/EVENT (skip 3000)". Never contains secrets.
    public var request: String
    /// Details: the HTTP status, the backend's message, the decoding error.
    public var message: String

    /// Creates a backend error.
    public init(_ kind: Kind, backend: String, request: String, message: String) {
        self.kind = kind
        self.backend = backend
        self.request = request
        self.message = message
    }

    /// True when trying again later may succeed (everything but a rejected request).
    public var isTransient: Bool { kind != .rejected }

    public var description: String { "\(backend): \(request): \(kind.rawValue): \(message)" }
}
