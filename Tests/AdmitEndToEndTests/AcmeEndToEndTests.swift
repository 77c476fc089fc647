import AdmitCore
import AdmitDaemon
import AdmitFakes
import Foundation
import Testing

/// The real admitd against the ACME b2b fake over loopback HTTP.
@Suite(.serialized, .timeLimit(.minutes(3))) struct AcmeEndToEndTests {
    static let event = DemoEvent(count: 60, now: Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000)))
    static func barcode(_ i: Int) -> String { DemoEvent.barcode(i) }

    /// Starts the fake with ACME's special states in place and a gate configured for it.
    static func start(pageSize: Int = 100) async throws -> (AcmeFake, BackendGate) {
        let fake = AcmeFake(apiKey: "acme-e2e-key", eventID: DemoEvent.eventID, tickets: event.tickets)
        fake.modify(barcode: barcode(1)) { $0.status = "error"; $0.deactivationMessage = "payment failed" }
        fake.modify(barcode: barcode(2)) { $0.status = "voided" }
        fake.modify(barcode: barcode(4)) { $0.status = "converted"; $0.usedOn = $0.updatedOn }
        _ = try await fake.start()
        return (fake, try gate(on: fake, pageSize: pageSize))
    }

    /// A gate (its own state folder) on the ACME fake's event.
    static func gate(on fake: AcmeFake, pageSize: Int = 100) throws -> BackendGate {
        try BackendGate(backend: """
            kind = "acme"
            url = "\(fake.baseURL)"
            api_key = "acme-e2e-key"
            event = "\(DemoEvent.eventID)"
            overlap_s = 5
            sync_interval_s = 1
            flush_interval_s = 0.2
            batch_size = 20
            page_size = \(pageSize)
            """)
    }

    @Test func decidesOnACMEsStatesAndDeactivatesEachEntryOnce() async throws {
        let (fake, gate) = try await Self.start()
        let d = try gate.launch()
        #expect(d.waitUntilReady(), "\(d.stderr)")

        let valid = try d.scan(Self.barcode(0))
        #expect(valid.result == "GRANTED", "\(valid)")
        let again = try d.scan(Self.barcode(0))
        #expect(again.reason == "already_used" && again.detail.contains("at north-1"), "\(again)")
        #expect(try d.scan(Self.barcode(0), direction: "out").reason == "direction_closed", "an exit at an entrance gate")
        #expect(try d.scan("NOT-AT-ACME").reason == "unknown_ticket")
        let cancelled = try d.scan(Self.barcode(7))
        #expect(cancelled.reason == "cancelled" && cancelled.detail.contains("refunded"), "inactive, with ACME's message: \(cancelled)")
        let error = try d.scan(Self.barcode(1))
        #expect(error.reason == "blocked" && error.detail.contains("payment failed"), "\(error)")
        #expect(try d.scan(Self.barcode(2)).reason == "cancelled", "voided")
        let used = try d.scan(Self.barcode(4))
        #expect(used.reason == "already_used" && used.detail.contains("at acme"), "converted at ACME: \(used)")
        #expect(try d.scan(Self.barcode(3)).result == "GRANTED")

        #expect(d.waitForUploads(), "\(d.stderr)")
        let sent = fake.receivedDeactivations
        #expect(sent.map(\.barcode).sorted() == [Self.barcode(0), Self.barcode(3)].sorted(), "only GRANTED entries, once each: \(sent)")
        #expect(sent.allSatisfy { $0.code == 2 && $0.message?.hasPrefix("Barcode was used on ") == true })
        #expect(fake.barcode(Self.barcode(0))?.active == false)
        #expect(fake.barcode(Self.barcode(7))?.deactivationMessage == "refunded", "a DENIED scan deactivates nothing")

        // The deactivation comes back with a sync as this gate's entry (same scan id): a
        // second gate, which never saw the scan, refuses the ticket as used at north-1 only
        // because its first sync read the deactivation message back.
        let other = try Self.gate(on: fake).launch()
        #expect(other.waitUntilReady(), "\(other.stderr)")
        let elsewhere = try other.scan(Self.barcode(3))
        #expect(elsewhere.reason == "already_used" && elsewhere.detail.contains("at north-1"), "\(elsewhere)")
        #expect(try other.scan(Self.barcode(5)).result == "GRANTED", "a barcode no gate used")
        #expect(other.terminate() == 0)
        let recent = try d.recent()
        #expect(recent.first { $0.scanId == valid.scanId }?.upload == "uploaded")
        #expect(recent.first { $0.scanId == cancelled.scanId }?.upload == "skipped")
        #expect(d.terminate() == 0)
        try await fake.stop()
    }

    /// ACME's pages are `{"list", "pagination": {…, "count"}}`: 60 barcodes in pages of 25
    /// are three requests, and a barcode from the last page is admitted.
    @Test func theGateLoadsEveryPageUntilACMEsCount() async throws {
        let (fake, gate) = try await Self.start(pageSize: 25)
        let d = try gate.launch()
        #expect(d.waitUntilReady(), "\(d.stderr)")
        #expect(d.wait { (try? d.status())?.tickets == 60 }, "\(d.stderr)")
        #expect(fake.requestCount(path: "/barcodes") >= 3, "pages 1, 2 and 3")
        #expect(try d.scan(Self.barcode(56)).result == "GRANTED", "on the third page")
        #expect(try d.scan(Self.barcode(30)).result == "GRANTED", "on the second page")
        #expect(d.terminate() == 0)
        try await fake.stop()
    }

    @Test func aBarcodeDeletedAtACMEShowsAsRejectedInRecentAndStatus() async throws {
        let (fake, gate) = try await Self.start()
        let d = try gate.launch()
        #expect(d.waitUntilReady(), "\(d.stderr)")
        fake.delete(barcode: Self.barcode(5))
        let scan = try d.scan(Self.barcode(5))
        #expect(scan.result == "GRANTED", "the index still has it")
        #expect(d.waitForUploads(), "\(d.stderr)")
        let entry = try d.recent().first { $0.scanId == scan.scanId }
        #expect(entry?.upload == "rejected")
        #expect(entry?.uploadNote == "ACME does not know barcode \(Self.barcode(5))")
        #expect(try d.status().rejectedScans == 1)
        let (code, text) = try d.ctl("recent")
        #expect(code == 0 && text.contains("REJECTED by the backend: ACME does not know barcode"), "\(text)")
        let (_, rejected) = try d.ctl("recent", "--rejected")
        #expect(rejected.contains("1 scans refused by the backend") && rejected.contains(Self.barcode(5)), "\(rejected)")
        let (_, json) = try d.ctl("recent", "--rejected", "--json")
        let report = try ControlJSON.decode(RejectedScansResponse.self, from: Array(json.utf8))
        #expect(report.scans.map(\.scanId) == [scan.scanId] && report.scans.first?.attempts == 1)
        let (_, screen) = try d.ctl("status")
        #expect(screen.contains("1 refused by the backend"), "\(screen)")
        #expect(d.terminate() == 0)
        try await fake.stop()
    }

    @Test func backendEventsSaysACMEListsNoneAndWhichKeyToFill() async throws {
        let (fake, gate) = try await Self.start()
        let d = try gate.launch()
        #expect(d.waitUntilReady(), "\(d.stderr)")
        let (code, text) = try d.ctl("backend", "events")
        #expect(code == 0, "\(text)")
        #expect(text.contains("offers no list of events") && text.contains("[backend] event"), "\(text)")
        #expect(text.contains("* \(DemoEvent.eventID)") && text.contains("60 barcodes"), "\(text)")
        let (_, json) = try d.ctl("backend", "events", "--json")
        let response = try ControlJSON.decode(EventsResponse.self, from: Array(json.utf8))
        #expect(!response.listed && response.backend == "acme" && response.configKey == "event")
        #expect(d.terminate() == 0)
        try await fake.stop()
    }
}
