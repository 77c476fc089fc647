import AdmitControl
import AdmitCore
import AdmitFakes
import Foundation
import Testing

/// The kiosk's wall clock is not to be trusted (no RTC, 1970 after a power cut); the
/// backend's is. Real admitd against the vivenu fake, whose clock is set far from ours.
@Suite struct ClockEndToEndTests {
    static let tenYears: Int64 = 10 * 365 * 86_400_000

    /// A kiosk years behind the backend restarts while the backend is unreachable: its
    /// offline scans are stamped from the last backend time it wrote down, not from its
    /// own clock, and they reach the backend with those times once it answers again.
    @Test func aKioskBehindTheBackendStampsOfflineScansFromTheLastKnownBackendTime() async throws {
        let gate = try await VivenuGate.start(tickets: 300)
        gate.fake.advanceClock(milliseconds: Self.tenYears)
        let backendNow = gate.fake.now
        let first = try gate.launch()
        #expect(first.waitUntilReady())
        #expect(first.wait { (try? VivenuEndToEndTests.status(first))?.lastSync != nil })
        #expect(first.terminate() == 0)

        gate.fake.setFault(.down)
        let d = try gate.launch()
        #expect(d.waitUntilReady())
        #expect(d.wait(seconds: 5) { d.stderr.contains("before the backend's last known time") }, "\(d.stderr)")
        let barcode = gate.validBarcodes[0]
        d.type(barcode)
        #expect(d.wait { d.consoleLines.count == 1 })
        let recent = try ControlJSON.decode(RecentResponse.self, from: Array(try d.ctl("recent", "--json").output.utf8))
        let stamped = try #require(recent.decisions.first.flatMap { ISO8601.parse($0.time) })
        #expect(recent.decisions.first?.result == "GRANTED")
        // The cursor's window start lies a margin before the last sync: allow a few minutes.
        #expect(abs(stamped.millisecondsSince1970 - backendNow.millisecondsSince1970) < 600_000,
            "stamped \(ISO8601.format(stamped)), backend \(ISO8601.format(backendNow))")

        gate.fake.setFault(nil)
        _ = try d.ctl("flush")
        #expect(d.wait(seconds: 30) { gate.fake.receivedScans.contains { $0.barcode == barcode } })
        let uploaded = gate.fake.receivedScans.first { $0.barcode == barcode }
        #expect(uploaded?.scannedAt == stamped, "the backend gets the time the gate stamped")
        #expect(d.terminate() == 0)
        try await gate.fake.stop()
    }

    /// While the backend answers, every scan is stamped on its clock, years away from the
    /// kiosk's: in the status, in the upload, in the decision.
    @Test func whileTheBackendAnswersScansCarryItsTime() async throws {
        let gate = try await VivenuGate.start(tickets: 300)
        gate.fake.advanceClock(milliseconds: -Self.tenYears)
        let d = try gate.launch()
        #expect(d.waitUntilReady())
        #expect(d.wait { (try? VivenuEndToEndTests.status(d))?.lastSync != nil })
        let lastSync = try #require(try VivenuEndToEndTests.status(d).lastSync.flatMap(ISO8601.parse))
        #expect(abs(lastSync.millisecondsSince1970 - gate.fake.now.millisecondsSince1970) < 60_000)
        let barcode = gate.validBarcodes[1]
        d.type(barcode)
        #expect(d.wait(seconds: 30) { gate.fake.receivedScans.contains { $0.barcode == barcode } })
        let uploaded = try #require(gate.fake.receivedScans.first { $0.barcode == barcode })
        #expect(abs(uploaded.scannedAt.millisecondsSince1970 - gate.fake.now.millisecondsSince1970) < 60_000,
            "scanned_at \(uploaded.scannedAtText), backend \(ISO8601.format(gate.fake.now))")
        #expect(d.terminate() == 0)
        try await gate.fake.stop()
    }
}
