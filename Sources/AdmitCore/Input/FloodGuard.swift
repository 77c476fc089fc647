/// A token bucket that keeps one noisy scanner (a stuck key, a noise burst, a scanner in
/// a loop) from flooding the gate: `ratePerSecond` on average, `burst` at once.
///
/// Pure: the caller passes the instant of each event. The verdicts say when a flood
/// begins and ends, so the shell logs it twice, not once per suppressed event.
public struct FloodGuard: Sendable {
    /// What to do with one event.
    public enum Verdict: Sendable, Hashable {
        /// Within the limit.
        case pass
        /// Within the limit again after a flood that suppressed this many events.
        case passAfterFlood(suppressed: Int)
        /// The first event over the limit: log it, drop it.
        case floodBegan
        /// Over the limit, already reported: drop it quietly.
        case suppressed
    }

    /// Average events per second allowed.
    public let ratePerSecond: Double
    /// Events allowed at once after a quiet spell.
    public let burst: Double
    private var tokens: Double
    private var lastRefill: MonotonicInstant?
    private var suppressedCount = 0

    /// A guard that starts full.
    public init(ratePerSecond: Double, burst: Double) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        self.tokens = burst
    }

    /// True while events are being suppressed.
    public var isFlooding: Bool { suppressedCount > 0 }

    /// The verdict on one event at `instant`. Once flooding, every event still spends a
    /// token, so the flood ends only after the source has been quiet long enough for the
    /// bucket to fill again (`burst / ratePerSecond` seconds), not at the first spare token.
    public mutating func admit(at instant: MonotonicInstant) -> Verdict {
        if let lastRefill, instant > lastRefill {
            let seconds = Double(instant.nanoseconds - lastRefill.nanoseconds) / 1e9
            tokens = min(burst, tokens + seconds * ratePerSecond)
        }
        lastRefill = max(lastRefill ?? instant, instant)
        if suppressedCount > 0 {
            guard tokens >= burst else {
                tokens = max(0, tokens - 1)
                suppressedCount += 1
                return .suppressed
            }
            tokens -= 1
            defer { suppressedCount = 0 }
            return .passAfterFlood(suppressed: suppressedCount)
        }
        guard tokens >= 1 else {
            suppressedCount = 1
            return .floodBegan
        }
        tokens -= 1
        return .pass
    }
}
