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
    }

    private let state = Mutex(State())

    /// A fresh activity record.
    public init() {}

    /// The current state.
    public var current: State { state.withLock { $0 } }

    /// Changes the state.
    public func update(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }
}
