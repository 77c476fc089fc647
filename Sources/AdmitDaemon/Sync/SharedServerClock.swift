import AdmitBackends
import AdmitCore
import Synchronization

/// The backend's clock as the daemon knows it, shared by the gate loop (scan times), the
/// syncer (delta windows) and the adapters (which feed it every HTTP `Date`).
public final class SharedServerClock: Sendable {
    private let clock = Mutex(ServerClock())
    private let system: SystemClock

    /// A clock that has not heard from a server yet.
    public init(system: SystemClock = SystemClock()) { self.system = system }

    /// Records a server time observed now.
    public func observe(_ serverTime: Timestamp) {
        let instant = system.monotonic()
        clock.withLock { $0.observe(serverTime: serverTime, at: instant) }
    }

    /// Records that the backend's time was at least `serverTime` now (written down by an
    /// earlier run); scans stamped before the first answer are never earlier than this.
    public func raiseFloor(to serverTime: Timestamp) {
        let instant = system.monotonic()
        clock.withLock { $0.raiseFloor(to: serverTime, at: instant) }
    }

    /// The best known time at `instant`: the server's, or the kiosk's before any answer.
    public func now(at instant: MonotonicInstant) -> Timestamp {
        let wall = system.wall()
        return clock.withLock { $0.now(at: instant, fallback: wall) }
    }

    /// The server's time now, nil before any answer.
    public func serverNow() -> Timestamp? {
        let instant = system.monotonic()
        return clock.withLock { $0.isSynchronized ? $0.now(at: instant, fallback: Timestamp(millisecondsSince1970: 0)) : nil }
    }

    /// The context handed to backend adapters: they read and feed this clock.
    public var backendContext: BackendContext {
        BackendContext(serverNow: { [self] in serverNow() }, observeServerTime: { [self] in observe($0) })
    }
}
