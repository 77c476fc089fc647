/// The best estimate of the backend's clock, carried forward on the monotonic clock.
///
/// Kiosks often boot without a real-time clock, so their wall clock may be years off.
/// Each time a backend answers, the shell feeds the server's time (HTTP `Date` or a
/// response field) together with the monotonic instant it arrived; `now(at:)` then
/// extrapolates. Until the first observation, the kiosk's own wall clock is the fallback.
public struct ServerClock: Sendable, Equatable {
    private var anchor: (server: Timestamp, at: MonotonicInstant)?

    /// A clock that has not heard from a server yet.
    public init() {}

    /// A clock anchored at a known server time (e.g. the last one persisted before a restart).
    public init(server: Timestamp, at instant: MonotonicInstant) {
        anchor = (server, instant)
    }

    /// True once a server time has been observed.
    public var isSynchronized: Bool { anchor != nil }

    /// Records that the server said `serverTime` when the monotonic clock read `instant`.
    public mutating func observe(serverTime: Timestamp, at instant: MonotonicInstant) {
        anchor = (serverTime, instant)
    }

    /// The estimated server time at `instant`, or `fallback` (the kiosk's wall clock) when
    /// no server time has been observed yet.
    public func now(at instant: MonotonicInstant, fallback: Timestamp) -> Timestamp {
        guard let anchor else { return fallback }
        let elapsedNanos = Int64(bitPattern: instant.nanoseconds &- anchor.at.nanoseconds)
        return anchor.server.adding(milliseconds: elapsedNanos / 1_000_000)
    }

    public static func == (lhs: ServerClock, rhs: ServerClock) -> Bool {
        lhs.anchor?.server == rhs.anchor?.server && lhs.anchor?.at == rhs.anchor?.at
    }
}
