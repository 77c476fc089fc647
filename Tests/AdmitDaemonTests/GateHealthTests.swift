import Testing

@testable import AdmitDaemon

/// The verdict at the top of `admitctl status`, worst first.
@Suite struct GateHealthTests {
    @Test(arguments: [
        (GateHealth(state: "starting", pendingScans: 0, scanners: 1), "red", "gate is starting"),
        (GateHealth(state: "ready", pendingScans: 0, scanners: 1, outputProblem: "cannot open"), "red", "turnstile outputs: cannot open"),
        (GateHealth(state: "ready", pendingScans: 0, scanners: 0), "amber", "no scanner configured: only admitctl scan can decide"),
        (GateHealth(state: "ready", pendingScans: 501, scanners: 1), "amber", "501 scans waiting for upload: is the backend reachable?"),
        (GateHealth(state: "ready", pendingScans: 3, scanners: 1), "green", "deciding"),
    ])
    func verdicts(health: GateHealth, color: String, reason: String) {
        #expect(health.verdict == (color, reason))
    }
}
