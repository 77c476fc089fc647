import AdmitCore
import AdmitDaemon
import AdmitFakes
import Foundation
import Testing

/// The real admitd against the AudienceView Professional fake over loopback HTTP.
@Suite(.serialized, .timeLimit(.minutes(3))) struct AudienceViewEndToEndTests {
    static let event = DemoEvent(count: 60, now: Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000)))
    static func barcode(_ i: Int) -> String { DemoEvent.barcode(i) }

    /// Starts the fake (one performance; cancelled demo tickets are refunded, one ticket
    /// already scanned by another device) and a gate configured for client 284.
    /// `realtimeBudget`: validate each read at AudienceView first, within that many milliseconds.
    static func start(syncInterval: Double = 1, realtimeBudget: Int? = nil) async throws -> (AudienceViewFake, BackendGate) {
        let fake = AudienceViewFake(
            username: "gate@example.org", password: "e2e-password", clientID: 284,
            tickets: AudienceViewFake.tickets(from: event.tickets))
        fake.markScanned(barcode: barcode(4))
        _ = try await fake.start()
        let gate = try BackendGate(backend: """
            kind = "audienceview"
            url = "\(fake.baseURL)"
            username = "gate@example.org"
            password = "e2e-password"
            client = 284
            sync_interval_s = \(syncInterval)
            flush_interval_s = 0.2
            batch_size = 20
            \(realtimeBudget.map { "realtime = true\nrealtime_budget_ms = \($0)" } ?? "")
            """)
        return (fake, gate)
    }

    @Test func decidesOnAudienceViewsStatesAndSyncsEachEntryOnce() async throws {
        let (fake, gate) = try await Self.start()
        let d = try gate.launch()
        #expect(d.waitUntilReady(), "\(d.stderr)")

        let valid = try d.scan(Self.barcode(0))
        #expect(valid.result == "GRANTED", "\(valid)")
        #expect(try d.scan(Self.barcode(0)).reason == "already_used")
        #expect(try d.scan("NOT-AT-AUDIENCEVIEW").reason == "unknown_ticket")
        let refunded = try d.scan(Self.barcode(7))
        #expect(refunded.reason == "cancelled" && refunded.detail.contains("refunded or voided"), "\(refunded)")
        let scannedElsewhere = try d.scan(Self.barcode(4))
        #expect(scannedElsewhere.reason == "already_used" && scannedElsewhere.detail.contains("at AudienceView"), "\(scannedElsewhere)")
        #expect(try d.scan(Self.barcode(0), direction: "out").reason == "direction_closed", "an exit at an entrance gate")

        // A lost reply: AudienceView takes the scan, the gate sends it again with the same
        // ticket and scanTime, which AudienceView does not count twice.
        fake.setFault(.dropAfterProcessing)
        let lost = try d.scan(Self.barcode(11))
        #expect(d.wait(seconds: 15) { fake.receivedScans.contains { $0.barcode == Self.barcode(11) } })
        #expect(waitUntil(seconds: 20, interval: 0.1) { (try? d.status())?.lastError != nil }, "the gate saw the reply lost")
        fake.setFault(nil)
        #expect(d.waitForUploads(), "\(d.stderr)")

        let received = fake.receivedScans
        #expect(received.map(\.barcode).sorted() == [Self.barcode(0), Self.barcode(11)].sorted(), "GRANTED entries once each: \(received)")
        #expect(fake.requestCount(path: "/cache/syncScans") >= 2, "the lost batch was sent again")
        #expect(fake.isScanned(barcode: lost.barcode))
        let recent = try d.recent()
        #expect(recent.first { $0.scanId == lost.scanId }?.upload == "uploaded")
        #expect(recent.first { $0.scanId == refunded.scanId }?.upload == "skipped")
        #expect(d.terminate() == 0)
        #expect(fake.invalidationCount == 1, "a clean shutdown logs out")
        try await fake.stop()
    }

    /// The realtime budget as the visitor sees it, a new login included: AudienceView
    /// answers too slowly and the gate decides from its index once the budget is spent,
    /// measured on the daemon's clock (the latency it reports runs from the read).
    @Test func aSlowRealtimeValidationCostsTheVisitorTheBudgetAndNoMore() async throws {
        let budget = 300.0
        let (fake, gate) = try await Self.start(syncInterval: 600, realtimeBudget: Int(budget))
        let d = try gate.launch()
        #expect(d.waitUntilReady(), "\(d.stderr)")
        let answered = try d.scan(Self.barcode(0))
        #expect(answered.result == "GRANTED", "\(answered)")
        #expect(fake.isScanned(barcode: Self.barcode(0)), "AudienceView validated it first")

        fake.revokeTokens()
        fake.setFault(.slow(milliseconds: 5000))
        let local = try d.scan(Self.barcode(1))
        #expect(local.result == "GRANTED", "decided from the local index: \(local)")
        let milliseconds = local.latencyUs / 1000
        #expect(milliseconds >= budget, "the gate waited for AudienceView: \(milliseconds) ms")
        // The margin covers the timer firing late and the hop back to the gate queue on a
        // loaded machine; AudienceView's 5 s answer is far beyond it.
        #expect(milliseconds < budget + 200, "and no longer than its budget: \(milliseconds) ms")
        fake.setFault(nil)
        #expect(d.terminate() == 0)
        try await fake.stop()
    }

    @Test func failedBarcodesShowAsRejectedWithAudienceViewsReason() async throws {
        let (fake, gate) = try await Self.start(syncInterval: 600)
        let d = try gate.launch()
        #expect(d.waitUntilReady(), "\(d.stderr)")
        fake.cancel(barcode: Self.barcode(5), as: .voided)
        let voided = try d.scan(Self.barcode(5))
        let fine = try d.scan(Self.barcode(1))
        #expect(voided.result == "GRANTED" && fine.result == "GRANTED", "the index does not know of the void yet")
        #expect(d.waitForUploads(), "\(d.stderr)")
        let recent = try d.recent()
        let refused = recent.first { $0.scanId == voided.scanId }
        #expect(refused?.upload == "rejected")
        #expect(refused?.uploadNote == "AudienceView refused \(Self.barcode(5)): Ticket is refunded or voided.")
        #expect(recent.first { $0.scanId == fine.scanId }?.upload == "uploaded")
        #expect(fake.receivedScans.map(\.barcode) == [Self.barcode(1)])
        #expect(try d.status().rejectedScans == 1)
        let (_, json) = try d.ctl("recent", "--json")
        #expect(json.contains("\"upload\":\"rejected\"") && json.contains("\"upload_note\":\"AudienceView refused"), "\(json)")
        #expect(d.terminate() == 0)
        try await fake.stop()
    }

    @Test func backendEventsListsWhatTheUserMayScan() async throws {
        let (fake, gate) = try await Self.start()
        let d = try gate.launch()
        #expect(d.waitUntilReady(), "\(d.stderr)")
        let (code, text) = try d.ctl("backend", "events")
        #expect(code == 0, "\(text)")
        #expect(text.contains("audienceview: 3 visible to these credentials ([backend] client/production/performance)"), "\(text)")
        #expect(text.contains("* 284 ") && text.contains("284/3622/49182") && text.contains("Admit Demo Show"), "\(text)")
        let (_, json) = try d.ctl("backend", "events", "--json")
        let response = try ControlJSON.decode(EventsResponse.self, from: Array(json.utf8))
        #expect(response.listed && response.events.map(\.id) == ["284", "284/3622", "284/3622/49182"])
        #expect(response.configured == "284")
        #expect(d.terminate() == 0)
        try await fake.stop()
    }
}
