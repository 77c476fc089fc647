import AdmitCore

#if canImport(Glibc)
    import Glibc
#endif

/// CLOCK_MONOTONIC, the clock evdev timestamps are switched to and deadlines are kept on.
public struct MonotonicClock: Sendable {
    /// The system's monotonic clock.
    public init() {}

    /// Now.
    public func now() -> MonotonicInstant {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return MonotonicInstant(nanoseconds: UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec))
    }
}
