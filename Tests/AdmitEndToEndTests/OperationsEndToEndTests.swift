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

    /// Seconds since the last sync, on the daemon's clock; 0 when it cannot say.
    static func syncAge(_ d: DaemonProcess) -> Double {
        sample((try? d.ctl("metrics").output) ?? "", "admit_last_sync_age_seconds") ?? 0
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
        var failing = ""
        let aged = waitUntil(seconds: 20, interval: 0.2) {
            failing = (try? d.ctl("metrics").output) ?? ""
            return (Self.sample(failing, "admit_oldest_pending_age_seconds") ?? 0) >= 1
        }
        #expect(aged, "the oldest pending scan's age grows: \(failing)")
        #expect(Self.sample(failing, "admit_pending_scans") == 2)
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
        #expect(d.wait { gate.fake.requestCount(path: path) - before >= 2 })

        let config = try String(contentsOfFile: gate.configPath, encoding: .utf8)
        try config.replacingOccurrences(of: "sync_interval_s = 1", with: "sync_interval_s = 3600")
            .write(toFile: gate.configPath, atomically: true, encoding: .utf8)
        let reloaded = gate.fake.requestCount(path: path)
        let reload = try d.ctl("reload")
        #expect(reload.status == 0)
        #expect(reload.output.contains("sync and flush intervals"), "\(reload.output)")
        // One pass right after the reload, then nothing for an hour: the daemon's own sync
        // age passes three of the old intervals while vivenu hears nothing.
        #expect(d.wait { gate.fake.requestCount(path: path) > reloaded }, "the pass right after the reload")
        var after: Int?
        let quiet = waitUntil(seconds: 20, interval: 0.2) {
            let age = Self.syncAge(d)
            if age >= 1.5, after == nil { after = gate.fake.requestCount(path: path) }
            return age >= 3.5
        }
        #expect(quiet, "no sync for 3.5 s on the daemon's clock")
        #expect(after != nil && gate.fake.requestCount(path: path) == after, "vivenu heard nothing meanwhile")
        #expect(d.terminate() == 0)
        try await gate.fake.stop()
    }
}
