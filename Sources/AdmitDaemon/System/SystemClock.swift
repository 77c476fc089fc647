import AdmitCore

#if canImport(Glibc)
    import Glibc
#endif

/// The shell's clocks: the monotonic clock for intervals, the wall clock as a fallback
/// until a backend has told the time. The only place Admit reads a clock.
public struct SystemClock: Sendable {
    /// Creates the system clock.
    public init() {}

    /// Now on CLOCK_MONOTONIC (never jumps when the wall clock is set).
    public func monotonic() -> MonotonicInstant {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return MonotonicInstant(nanoseconds: UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec))
    }

    /// Now on CLOCK_REALTIME, the kiosk's own idea of the date (may be years off without RTC).
    public func wall() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(millisecondsSince1970: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }
}

/// Formats timestamps in the kiosk's local time zone for people.
public enum LocalTime {
    /// `HH:MM:SS.mmm` in local time.
    public static func clock(_ t: Timestamp, millis: Bool = true) -> String {
        var seconds = time_t(t.secondsSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        let base = "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        guard millis else { return base }
        let ms = Int(t.millisecondsSince1970 - t.secondsSince1970 * 1000)
        return base + "." + String(String(ms + 1000).dropFirst())
    }

    /// `YYYY-MM-DD HH:MM` in local time.
    public static func dateTime(_ t: Timestamp) -> String {
        var seconds = time_t(t.secondsSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min))"
    }

    private static func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
