import AdmitCore
import Testing

@testable import AdmitFakes

/// The endpoints behind `admitctl backend events` and eventyay's `status/`, over real HTTP:
/// each refuses wrong credentials and answers in the spec's shape.
@Suite(.serialized) struct EventListingFakeTests {
    static let event = DemoEvent(count: 12, now: Timestamp(millisecondsSince1970: 1_800_000_000_000))

    @Test func vivenuListsItsEventToTheTokenOnly() async throws {
        let fake = VivenuFake(token: "secret", eventID: "ev-1", tickets: Self.event.tickets, eventName: "Gala")
        _ = try await fake.start()
        #expect(try await FakeClient.get("\(fake.baseURL)/events", token: nil).status == 401)
        #expect(try await FakeClient.get("\(fake.baseURL)/events", token: "wrong").status == 401)
        let events = try await FakeClient.get("\(fake.baseURL)/events")
        #expect(events.status == 200)
        #expect(events.json?.arrayValue?.map { [$0["_id"], $0["name"]] } == [["ev-1", "Gala"]])
        try await fake.stop()
    }

    @Test func eventyayStatusCountsItemsVariationsAndCheckinsForTheKeyOnly() async throws {
        let fake = EventyayFake(key: "k", organizer: "org", event: "ev", tickets: Self.event.tickets, eventName: "Con")
        fake.modify(DemoEvent.barcode(0)) { $0.variation = "Red" }
        fake.modify(DemoEvent.barcode(1)) { $0.variation = "Red" }
        fake.modify(DemoEvent.barcode(2)) { $0.itemID = 7; $0.item = "T-Shirt" }
        fake.checkIn(secret: DemoEvent.barcode(0))
        fake.checkIn(secret: DemoEvent.barcode(2))
        _ = try await fake.start()
        let url = "\(fake.baseURL)/eventyaydroid/api/org/ev/status/"
        #expect(try await FakeClient.get(url, token: nil).status == 403)
        #expect(try await FakeClient.get(url + "?key=bad", token: nil).status == 403)
        let status = try await FakeClient.get(url + "?key=k", token: nil)
        #expect(status.status == 200)
        let body = try #require(status.json?.objectValue)
        #expect(body["checkins"] == .number(2) && body["total"] == .number(12))
        #expect(body["event"]?["slug"] == "ev" && body["event"]?["name"] == "Con")
        let items = try #require(body["items"]?.arrayValue)
        #expect(items.count == 2, "one per item id")
        let ticket = try #require(items.first { $0.objectValue?["id"] == .number(1) }?.objectValue)
        #expect(ticket["total"] == .number(11) && ticket["checkins"] == .number(1))
        let red = ticket["variations"]?.arrayValue?.first?.objectValue
        #expect(red?["name"] == .string("Red") && red?["total"] == .number(2) && red?["checkins"] == .number(1))
        let shirt = try #require(items.first { $0.objectValue?["id"] == .number(7) }?.objectValue)
        #expect(shirt["total"] == .number(1) && shirt["checkins"] == .number(1))
        try await fake.stop()
    }

    @Test func audienceViewFilterOptionsNeedASession() async throws {
        let fake = AudienceViewFake(
            username: "u", password: "p", clientID: 284, tickets: AudienceViewFake.tickets(from: Self.event.tickets))
        _ = try await fake.start()
        let refused = try await FakeClient.get("\(fake.baseURL)/filterOptions", token: nil)
        #expect(refused.status == 200, "errors come inside HTTP 200")
        #expect(refused.json?.objectValue?["errorDetails"]?.objectValue?["errorCodeId"] == .number(1))
        let forged = try await FakeClient.get(
            "\(fake.baseURL)/filterOptions", token: nil, headers: [("Authorization", "Basic dTpub3RhdG9rZW4=")])
        #expect(forged.json?.objectValue?["errorDetails"]?.objectValue?["errorCodeId"] == .number(6))
        try await fake.stop()
    }
}
