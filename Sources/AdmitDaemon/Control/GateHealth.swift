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
    /// Above this many pending scans the upload is falling behind.
    var pendingWarning = 500

    /// ("green" | "amber" | "red", reason).
    var verdict: (String, String) {
        if state != "ready" { return ("red", "gate is \(state)") }
        if let outputProblem { return ("red", "turnstile outputs: \(outputProblem)") }
        if scanners == 0 { return ("amber", "no scanner configured: only admitctl scan can decide") }
        if pendingScans > pendingWarning { return ("amber", "\(pendingScans) scans waiting for upload: is the backend reachable?") }
        return ("green", "deciding")
    }
}
