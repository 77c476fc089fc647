/// A token bucket for `scan` over the control socket: `perMinute` scans a minute on
/// average, at most `perMinute` at once. A value; time comes in as nanoseconds.
public struct ScanRateLimit: Sendable, Equatable {
    /// Scans allowed a minute (and the burst); 0 refuses every scan.
    public var perMinute: Int
    private var tokens: Double
    private var last: UInt64?

    /// A full bucket of `perMinute` tokens.
    public init(perMinute: Int) {
        self.perMinute = perMinute
        tokens = Double(perMinute)
    }

    /// Takes one token at `now`; false when the bucket is empty.
    public mutating func take(now: UInt64) -> Bool {
        if let last, now > last {
            tokens = min(Double(perMinute), tokens + Double(now - last) / 60e9 * Double(perMinute))
        }
        last = max(last ?? now, now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
