/// A point in wall-clock time, in milliseconds since 1970-01-01T00:00:00Z.
///
/// Admit never reads a clock in its core: the shell passes timestamps in. On a kiosk
/// without a real-time clock the shell estimates them from the backend's clock
/// (see `ServerClock`), so a `Timestamp` is "the best known time", not "the kiosk's time".
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch.
    public var millisecondsSince1970: Int64

    /// Creates a timestamp from milliseconds since the Unix epoch.
    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// Creates a timestamp from whole seconds since the Unix epoch.
    public init(secondsSince1970: Int64) {
        self.millisecondsSince1970 = secondsSince1970 * 1000
    }

    /// Whole seconds since the Unix epoch, rounded down.
    public var secondsSince1970: Int64 { ISO8601.floorDivide(millisecondsSince1970, 1000) }

    /// This timestamp moved by `milliseconds` (negative moves back), stopping at the ends of
    /// the range: a time from a backend may be anything, and must not trap.
    public func adding(milliseconds: Int64) -> Timestamp {
        let (sum, overflow) = millisecondsSince1970.addingReportingOverflow(milliseconds)
        return Timestamp(millisecondsSince1970: overflow ? (milliseconds < 0 ? .min : .max) : sum)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    public var description: String { ISO8601.format(self) }

    public init(from decoder: any Decoder) throws {
        millisecondsSince1970 = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(millisecondsSince1970)
    }
}

/// A reading of a monotonic clock, in nanoseconds since an arbitrary start (usually boot).
///
/// Used for every interval (debounce, timeouts, poll periods) because it never jumps when
/// the wall clock is set.
public struct MonotonicInstant: Hashable, Comparable, Sendable {
    /// Nanoseconds since the clock's origin.
    public var nanoseconds: UInt64

    /// Creates an instant from nanoseconds since the clock's origin.
    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    /// Creates an instant from milliseconds since the clock's origin.
    public init(milliseconds: UInt64) { self.nanoseconds = milliseconds * 1_000_000 }

    /// Milliseconds from `earlier` to this instant; 0 when `earlier` is later.
    public func milliseconds(since earlier: MonotonicInstant) -> UInt64 {
        nanoseconds >= earlier.nanoseconds ? (nanoseconds - earlier.nanoseconds) / 1_000_000 : 0
    }

    /// This instant moved forward by `milliseconds`.
    public func adding(milliseconds: UInt64) -> MonotonicInstant {
        MonotonicInstant(nanoseconds: nanoseconds + milliseconds * 1_000_000)
    }

    public static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }
}
