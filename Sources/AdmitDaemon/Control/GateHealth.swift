import AdmitCore

/// The verdict at the top of `admitctl status`: green, amber or red, with the one reason a
/// steward should act on. Red: the gate cannot let people in properly. Amber: it works, but
/// someone should look. Checks run from worst to mildest; the first that fails speaks.
struct GateHealth: Sendable {
    /// "starting", "ready", "stopping".
    var state: String
    /// Scans recorded but not yet uploaded.
    var pendingScans: Int
    /// Scanners configured and running.
    var scanners: Int
    /// Why the relay or lamps could not be opened, if they could not.
    var outputProblem: String?
    /// Why the passage sensor is suspect (silent for many GRANTED), if it is.
    var passageProblem: String?
    /// Why the last scan could not be recorded (disk full or broken), if it could not.
    var recordProblem: String?
    /// Tickets in the index.
    var tickets = 1
    /// True when a ticketing backend is configured (not the embedded demo event).
    var hasBackend = false
    /// What the syncer and flusher last did.
    var activity = BackendActivity.State()
    /// Seconds between delta polls.
    var syncInterval: Double = 10
    /// Now, on the monotonic clock.
    var now = MonotonicInstant(nanoseconds: 0)
    /// Above this many pending scans the upload is falling behind.
    var pendingWarning = 500

    /// ("green" | "amber" | "red", reason).
    var verdict: (String, String) {
        if state != "ready" { return ("red", "gate is \(state)") }
        if let recordProblem { return ("red", "cannot record scans, so everyone is refused: \(recordProblem)") }
        if let outputProblem { return ("red", "turnstile outputs: \(outputProblem)") }
        if tickets == 0 { return ("red", "no tickets loaded: every scan is refused until the first sync") }
        if let passageProblem { return ("amber", passageProblem) }
        if hasBackend, let error = activity.lastSyncError ?? activity.lastFlushError {
            return ("amber", "deciding offline; backend trouble: \(error)")
        }
        let staleAfter = UInt64(max(60, syncInterval * 3) * 1000)
        if hasBackend, let last = activity.lastSyncInstant, now.milliseconds(since: last) > staleAfter {
            return ("amber", "deciding; last sync \(now.milliseconds(since: last) / 1000) s ago")
        }
        if hasBackend, activity.lastSyncInstant == nil { return ("amber", "deciding on stored tickets; first sync still running") }
        if scanners == 0 { return ("amber", "no scanner configured: only admitctl scan can decide") }
        if pendingScans > pendingWarning { return ("amber", "\(pendingScans) scans waiting for upload: is the backend reachable?") }
        return ("green", hasBackend ? "deciding; in sync with the backend" : "deciding (embedded event, no backend)")
    }
}
