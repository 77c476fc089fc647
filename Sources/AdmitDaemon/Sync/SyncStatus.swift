import AdmitBackends
import AdmitCore
import Synchronization

/// What the syncer and flusher last did, for `status`, metrics and health.
public final class BackendActivity: Sendable {
    /// A copy of the current state.
    public struct State: Sendable {
        /// Server time of the end of the last successful sync.
        public var lastSync: Timestamp?
        /// Monotonic instant of the last successful sync.
        public var lastSyncInstant: MonotonicInstant?
        /// The last sync error, cleared by a success.
        public var lastSyncError: String?
        /// The last upload error, cleared by a success.
        public var lastFlushError: String?
        /// Scans uploaded since start.
        public var uploaded = 0
        /// Scans the backend refused for good since start.
        public var rejected = 0
        /// Backend errors since start.
        public var errors = 0
        /// True while the first full load has not completed.
        public var fullLoadPending = true
        /// The backend's own counts (eventyay `status/`), from the last time they were asked.
        public var remoteStatus: BackendStatus?
        /// The backend's time when `remoteStatus` was fetched.
        public var remoteStatusTime: Timestamp?
        /// Why the last attempt to fetch `remoteStatus` failed, cleared by a success.
        public var remoteStatusError: String?
    }

    private let state = Mutex(State())
    private let failureHook = Mutex<(@Sendable (String) -> Void)?>(nil)

    /// A fresh activity record.
    public init() {}

    /// Calls `hook` with the operation (`sync`, `upload`) on every failure recorded (metrics).
    public func onFailure(_ hook: @escaping @Sendable (String) -> Void) {
        failureHook.withLock { $0 = hook }
    }

    /// Records a failed sync, upload or mirror copy: the message for `status`, the count, the hook.
    public func recordFailure(_ operation: String, message: String) {
        state.withLock {
            if operation == "sync" { $0.lastSyncError = message } else { $0.lastFlushError = message }
            $0.errors += 1
        }
        failureHook.withLock { $0 }?(operation)
    }

    /// The current state.
    public var current: State { state.withLock { $0 } }

    /// Changes the state.
    public func update(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }
}
