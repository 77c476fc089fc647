import AdmitCore
import Testing

@testable import AdmitDaemon

/// The verdict at the top of `admitctl status`, worst first.
@Suite struct GateHealthTests {
    @Test(arguments: [
        (GateHealth(state: "starting", pendingScans: 0, scanners: 1), "red", "gate is starting"),
        (GateHealth(state: "ready", pendingScans: 0, scanners: 1, outputProblem: "cannot open"), "red", "turnstile outputs: cannot open"),
        (GateHealth(state: "ready", pendingScans: 0, scanners: 1, passageProblem: "passage sensor silent: 5 GRANTED"), "amber",
         "passage sensor silent: 5 GRANTED"),
        (GateHealth(state: "ready", pendingScans: 0, scanners: 0), "amber", "no scanner configured: only admitctl scan can decide"),
        (GateHealth(state: "ready", pendingScans: 501, scanners: 1), "amber", "501 scans waiting for upload: is the backend reachable?"),
        (GateHealth(state: "ready", pendingScans: 3, scanners: 1), "green", "deciding (embedded event, no backend)"),
    ])
    func verdicts(health: GateHealth, color: String, reason: String) {
        #expect(health.verdict == (color, reason))
    }

    @Test func backendTroubleAndStaleSyncsAreAmberAndNoTicketsIsRed() {
        var activity = BackendActivity.State()
        activity.lastSyncInstant = MonotonicInstant(milliseconds: 1000)
        let fresh = GateHealth(state: "ready", pendingScans: 0, scanners: 1, outputProblem: nil, tickets: 10, hasBackend: true,
                               activity: activity, syncInterval: 10, now: MonotonicInstant(milliseconds: 5000))
        #expect(fresh.verdict.0 == "green")
        var stale = fresh
        stale.now = MonotonicInstant(milliseconds: 200_000)
        #expect(stale.verdict.0 == "amber")
        var failing = fresh
        failing.activity.lastFlushError = "vivenu: POST scans: unreachable"
        #expect(failing.verdict.0 == "amber" && failing.verdict.1.contains("unreachable"))
        var empty = fresh
        empty.tickets = 0
        #expect(empty.verdict.0 == "red")
    }
}
