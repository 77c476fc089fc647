/// The best estimate of the backend's clock, carried forward on the monotonic clock.
///
/// Kiosks often boot without a real-time clock, so their wall clock may be years off.
/// Each time a backend answers, the shell feeds the server's time (HTTP `Date` or a
/// response field) together with the monotonic instant it arrived; `now(at:)` then
/// extrapolates. Until the first answer the kiosk's own wall clock is the fallback, but
/// never earlier than the floor: the last backend time a previous run wrote down (a box
/// that booted at 1970 after a power cut still stamps its offline scans with this year).
public struct ServerClock: Sendable, Equatable {
    private var anchor: (server: Timestamp, at: MonotonicInstant)?
    private var floor: (server: Timestamp, at: MonotonicInstant)?

    /// A clock that has not heard from a server yet.
    public init() {}

    /// A clock anchored at a known server time.
    public init(server: Timestamp, at instant: MonotonicInstant) {
        anchor = (server, instant)
    }

    /// True once a server time has been observed.
    public var isSynchronized: Bool { anchor != nil }

    /// Records that the server said `serverTime` when the monotonic clock read `instant`.
    public mutating func observe(serverTime: Timestamp, at instant: MonotonicInstant) {
        anchor = (serverTime, instant)
    }

    /// Records that the backend's time was at least `serverTime` at `instant` (a time
    /// persisted by an earlier run); it bounds the fallback from below until an answer.
    public mutating func raiseFloor(to serverTime: Timestamp, at instant: MonotonicInstant) {
        if let floor, floor.server.adding(milliseconds: Self.elapsed(from: floor.at, to: instant)) >= serverTime { return }
        floor = (serverTime, instant)
    }

    /// The estimated server time at `instant`. Before any answer: `fallback` (the kiosk's
    /// wall clock), or the floor carried forward if the wall clock is behind it.
    public func now(at instant: MonotonicInstant, fallback: Timestamp) -> Timestamp {
        if let anchor { return anchor.server.adding(milliseconds: Self.elapsed(from: anchor.at, to: instant)) }
        guard let floor else { return fallback }
        return max(fallback, floor.server.adding(milliseconds: Self.elapsed(from: floor.at, to: instant)))
    }

    private static func elapsed(from earlier: MonotonicInstant, to later: MonotonicInstant) -> Int64 {
        Int64(bitPattern: later.nanoseconds &- earlier.nanoseconds) / 1_000_000
    }

    public static func == (lhs: ServerClock, rhs: ServerClock) -> Bool {
        lhs.anchor?.server == rhs.anchor?.server && lhs.anchor?.at == rhs.anchor?.at
            && lhs.floor?.server == rhs.floor?.server && lhs.floor?.at == rhs.floor?.at
    }
}
