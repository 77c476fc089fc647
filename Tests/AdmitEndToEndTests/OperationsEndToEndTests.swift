import AdmitFakes
import Foundation
import Testing

/// What an operator watches and changes on a running gate: the metrics that say whether the
/// backend keeps up, and a reload that re-times sync and flush without a restart.
@Suite struct OperationsEndToEndTests {
    /// The value of the first exposition line that starts with `prefix`.
    static func sample(_ metrics: String, _ prefix: String) -> Double? {
        metrics.split(separator: "\n").first { $0.hasPrefix(prefix) }
            .flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
    }

    @Test func metricsShowSyncAgeBacklogAndBackendErrors() async throws {
        let gate = try await VivenuGate.start(tickets: 300, flushInterval: 0.2)
        let d = try gate.launch()
        #expect(d.waitUntilReady())
        #expect(d.wait { (try? d.ctl("metrics").output.contains("admit_last_sync_age_seconds")) == true })
        let healthy = try d.ctl("metrics").output
        #expect(try #require(Self.sample(healthy, "admit_last_sync_age_seconds")) < 30)
        #expect(Self.sample(healthy, "admit_oldest_pending_age_seconds") == 0)

        // The backend answers 500: scans queue up, their age grows, the errors are counted.
        gate.fake.setFault(.serverError)
        d.type(gate.validBarcodes[0], gate.validBarcodes[1])
        #expect(d.wait { d.consoleLines.count == 2 })
        #expect(d.wait { (try? d.ctl("metrics").output.contains("operation=\"upload\"")) == true })
        try await Task.sleep(for: .milliseconds(1200))
        let failing = try d.ctl("metrics").output
        #expect(Self.sample(failing, "admit_pending_scans") == 2)
        #expect(try #require(Self.sample(failing, "admit_oldest_pending_age_seconds")) >= 1)
        #expect(try #require(Self.sample(failing, "admit_backend_errors_total{backend=\"vivenu\",operation=\"upload\"}")) >= 1)

        gate.fake.setFault(nil)
        #expect(d.wait(seconds: 60) { Self.sample((try? d.ctl("metrics").output) ?? "", "admit_pending_scans") == 0 })
        #expect(d.terminate() == 0)
        try await gate.fake.stop()
    }

    @Test func reloadRetimesSyncWithoutARestart() async throws {
        let gate = try await VivenuGate.start(tickets: 200)
        let d = try gate.launch()
        #expect(d.waitUntilReady())
        let path = "/tickets/v2/\(DemoEvent.eventID)"
        // sync_interval_s = 1: polls keep coming.
        let before = gate.fake.requestCount(path: path)
        try await Task.sleep(for: .milliseconds(3500))
        #expect(gate.fake.requestCount(path: path) - before >= 2)

        let config = try String(contentsOfFile: gate.configPath, encoding: .utf8)
        try config.replacingOccurrences(of: "sync_interval_s = 1", with: "sync_interval_s = 3600")
            .write(toFile: gate.configPath, atomically: true, encoding: .utf8)
        let reload = try d.ctl("reload")
        #expect(reload.status == 0)
        #expect(reload.output.contains("sync and flush intervals"), "\(reload.output)")
        // One pass right after the reload, then nothing for an hour.
        try await Task.sleep(for: .milliseconds(1000))
        let after = gate.fake.requestCount(path: path)
        try await Task.sleep(for: .milliseconds(3500))
        #expect(gate.fake.requestCount(path: path) == after)
        #expect(d.terminate() == 0)
        try await gate.fake.stop()
    }
}
