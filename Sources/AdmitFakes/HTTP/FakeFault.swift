/// A failure a fake backend plays instead of behaving, set with `setFault(_:)`.
///
/// Unless noted, a faulted request is not processed (nothing is stored or changed).
public enum FakeFault: Sendable, Equatable {
    /// The fake stops listening and closes open connections: new connections are refused.
    /// Clearing the fault listens again on the same port.
    case down
    /// Every request gets `500 Internal Server Error` with a JSON error body.
    case serverError
    /// Every request waits this long before it is processed and answered.
    case slow(milliseconds: Int)
    /// The request is processed (scans are stored, tickets marked used), then the
    /// connection is closed without a response: the client cannot know it succeeded.
    case dropAfterProcessing
    /// The request is processed, then answered `200` with a body that is not JSON.
    case garbage
    /// The request is processed, then answered `200` with the JSON body cut in half
    /// (`Content-Length` matches the cut body, so only the JSON is broken).
    case truncated
    /// Every request gets `401` as if the token had been revoked.
    case unauthorized
}
