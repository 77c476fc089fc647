import AdmitCore
import AdmitDaemon
import AdmitFakes
import Foundation
import Testing

/// The real admitd against the eventyay (pretixdroid) fake over loopback HTTP.
@Suite(.serialized, .timeLimit(.minutes(3))) struct EventyayEndToEndTests {
    static let event = DemoEvent(count: 60, now: Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000)))
    static func barcode(_ i: Int) -> String { DemoEvent.barcode(i) }

    /// Starts the fake with eventyay's special states in place (a required check-in question
    /// for item 2, which barcode 10 is) and a gate admitting the "Adult Standing" product only,
    /// with `extra` backend keys.
    static func start(syncInterval: Double = 1, extra: String = "") async throws -> (EventyayFake, BackendGate) {
        let fake = EventyayFake(key: "droid-e2e", organizer: "demoorga", event: "democon", tickets: event.tickets)
        fake.modify(barcode(1)) { $0.attention = true }
        fake.modify(barcode(2)) { $0.checkinAllowed = false }
        fake.checkIn(secret: barcode(4))  // by another device, before this gate's first download
        fake.modify(barcode(10)) { $0.itemID = 2 }
        fake.setQuestions([EventyayFakeQuestion(id: 12, question: "Choose a shirt size", items: [2])])
        _ = try await fake.start()
        let gate = try gate(on: fake, key: "droid-e2e", syncInterval: syncInterval, extra: """
            products = ["Adult Standing"]
            batch_size = 20
            \(extra)
            """)
        return (fake, gate)
    }

    /// A gate on the eventyay fake's demo organizer and event, with `extra` backend keys.
    static func gate(on fake: EventyayFake, key: String, syncInterval: Double = 1, extra: String = "") throws -> BackendGate {
        try BackendGate(backend: """
            kind = "eventyay"
            url = "\(fake.baseURL)"
            organizer = "demoorga"
            event = "democon"
            key = "\(key)"
            sync_interval_s = \(syncInterval)
            flush_interval_s = 0.2
            \(extra)
            """)
    }

    @Test func decidesOnEventyaysStatesAndRedeemsEachEntryOnce() async throws {
        let (fake, gate) = try await Self.start()
        let d = try gate.launch()
        #expect(d.waitUntilReady(), "\(d.stderr)")

        let valid = try d.scan(Self.barcode(0))
        #expect(valid.result == "GRANTED", "\(valid)")
        #expect(try d.scan(Self.barcode(0)).reason == "already_used")
        #expect(try d.scan("NOT-AT-EVENTYAY").reason == "unknown_ticket")
        let attention = try d.scan(Self.barcode(1))
        #expect(attention.result == "GRANTED" && attention.detail.contains("ATTENTION"), "\(attention)")
        #expect(try d.scan(Self.barcode(2)).detail.contains("check-in not allowed"))
        #expect(try d.scan(Self.barcode(7)).detail.contains("unpaid"))
        #expect(try d.scan(Self.barcode(6)).detail.contains("may not be scanned at this gate"), "a Child ticket")
        let redeemedElsewhere = try d.scan(Self.barcode(4))
        #expect(redeemedElsewhere.reason == "already_used", "\(redeemedElsewhere)")
        #expect(try d.scan(Self.barcode(0), direction: "out").reason == "direction_closed", "an exit at an entrance gate")

        // A lost reply: eventyay checks the scan in, the gate never hears it and sends it
        // again with the same nonce, which eventyay recognizes.
        fake.setFault(.dropAfterProcessing)
        let lost = try d.scan(Self.barcode(11))
        #expect(lost.result == "GRANTED")
        #expect(d.wait(seconds: 15) { !fake.checkins(of: Self.barcode(11)).isEmpty })
        // The fault stays until the gate has seen the reply lost, so the scan is sent again.
        #expect(waitUntil(seconds: 20, interval: 0.1) { (try? d.status())?.lastError != nil }, "the gate saw the reply lost")
        fake.setFault(nil)
        #expect(d.waitForUploads(), "\(d.stderr)")

        for granted in [valid, attention, lost] {
            let checkins = fake.checkins(of: granted.barcode)
            #expect(checkins.count == 1, "\(granted.barcode): \(checkins)")
            #expect(checkins.first?.nonce == granted.scanId && checkins.first?.forced == true)
        }
        #expect(fake.checkins.count == 4, "three entries and the one made elsewhere; no denial, no exit")
        let recent = try d.recent()
        #expect(recent.first { $0.scanId == lost.scanId }?.upload == "uploaded")
        #expect(d.terminate() == 0)
        try await fake.stop()
    }

    /// A required check-in question for a product: by the protocol a client that cannot ask
    /// does not set `questions_supported`, and eventyay ignores the question. So the gate
    /// admits the ticket, redeems it, and says in status that questions are ignored.
    @Test func aRequiredCheckInQuestionAdmitsAndRedeemsByDefault() async throws {
        let (fake, gate) = try await Self.start()
        let d = try gate.launch()
        #expect(d.waitUntilReady(), "\(d.stderr)")
        let scan = try d.scan(Self.barcode(10))
        #expect(scan.result == "GRANTED" && !scan.detail.contains("desk"), "\(scan)")
        #expect(d.waitForUploads(), "\(d.stderr)")
        let checkins = fake.checkins(of: Self.barcode(10))
        #expect(checkins.count == 1 && checkins.first?.nonce == scan.scanId, "\(checkins)")
        #expect(try d.recent().first { $0.scanId == scan.scanId }?.upload == "uploaded")
        let (_, screen) = try d.ctl("status")
        #expect(screen.contains("questions ignore: required check-in questions are not asked"), "\(screen)")
        #expect(try d.status().backendNotes?.first?.hasPrefix("questions ignore") == true)
        #expect(d.terminate() == 0)
        try await fake.stop()
    }

    /// `questions = "refuse"`: the same ticket is DENIED at the gate, sent nowhere, and
    /// status says so.
    @Test func questionsRefuseDeniesAtTheGateAndSaysSoInStatus() async throws {
        let (fake, gate) = try await Self.start(extra: #"questions = "refuse""#)
        let d = try gate.launch()
        #expect(d.waitUntilReady(), "\(d.stderr)")
        let scan = try d.scan(Self.barcode(10))
        #expect(scan.result == "DENIED" && scan.detail.contains("Choose a shirt size"), "\(scan)")
        #expect(try d.scan(Self.barcode(0)).result == "GRANTED", "a product without questions")
        #expect(d.waitForUploads(), "\(d.stderr)")
        #expect(fake.checkins(of: Self.barcode(10)).isEmpty)
        #expect(try d.recent().first { $0.scanId == scan.scanId }?.upload == "skipped")
        let (_, screen) = try d.ctl("status")
        #expect(screen.contains("questions refuse: tickets with required check-in questions are DENIED"), "\(screen)")
        #expect(d.terminate() == 0)
        try await fake.stop()
    }

    @Test func statusShowsEventyaysCountsAndRefusalsShowInRecent() async throws {
        let (fake, gate) = try await Self.start(syncInterval: 600)
        let d = try gate.launch()
        #expect(d.waitUntilReady(), "\(d.stderr)")
        #expect(d.wait { (try? d.status())?.backendStatus?.total == 60 }, "status/ fetched with the first sync")
        let first = try #require(try d.status().backendStatus)
        #expect(first.checkins == 1 && first.event == "Admit Demo Conference" && first.asOf != nil && first.error == nil)
        #expect(first.items?.first { $0.name == "Adult Standing" }?.checkins == 1)

        // Refunded and closed for check-in at eventyay after the download: admitted here
        // offline, refused when redeemed, with eventyay's reason.
        fake.modify(Self.barcode(5)) { $0.paid = false }
        fake.modify(Self.barcode(12)) { $0.checkinAllowed = false }
        let unpaid = try d.scan(Self.barcode(5))
        let product = try d.scan(Self.barcode(12))
        let fine = try d.scan(Self.barcode(0))
        #expect([unpaid, product, fine].allSatisfy { $0.result == "GRANTED" })
        #expect(d.waitForUploads(), "\(d.stderr)")
        let recent = try d.recent()
        #expect(recent.first { $0.scanId == unpaid.scanId }?.upload == "rejected")
        #expect(recent.first { $0.scanId == unpaid.scanId }?.uploadNote == "unpaid or refunded")
        #expect(recent.first { $0.scanId == product.scanId }?.uploadNote == "product may not be scanned at this device")
        #expect(recent.first { $0.scanId == fine.scanId }?.upload == "uploaded")
        let (_, text) = try d.ctl("recent", "--limit", "3")
        #expect(text.contains("REJECTED by the backend: unpaid or refunded"), "\(text)")

        // On demand: a sync pass fetches status/ again.
        _ = try d.ctl("sync")
        #expect(d.wait { (try? d.status())?.backendStatus?.checkins == 2 }, "eventyay counts this gate's entry")
        let (_, screen) = try d.ctl("status")
        #expect(screen.contains("at eventyay  2 of 60 checked in (Admit Demo Conference)"), "\(screen)")
        #expect(screen.contains("2 refused by the backend"), "\(screen)")
        let (_, json) = try d.ctl("status", "--json")
        #expect(json.contains("\"backend_status\":{") && json.contains("\"checkins\":2"), "\(json)")
        #expect(d.terminate() == 0)
        try await fake.stop()
    }

    @Test func backendEventsConfirmsTheOneEventOfTheKey() async throws {
        let (fake, gate) = try await Self.start()
        let d = try gate.launch()
        #expect(d.waitUntilReady(), "\(d.stderr)")
        let (code, text) = try d.ctl("backend", "events")
        #expect(code == 0, "\(text)")
        #expect(text.contains("offers no list of events") && text.contains("organizer and event"), "\(text)")
        #expect(text.contains("* demoorga/democon") && text.contains("Admit Demo Conference"), "\(text)")
        #expect(d.terminate() == 0)
        try await fake.stop()
    }
}
