import AdmitCore
import Testing

@testable import AdmitFakes

/// The strictness of the ACME and eventyay fakes, seen over real HTTP.
@Suite(.serialized) struct AcmeAndEventyayFakeTests {
    static let event = DemoEvent(count: 30, now: Timestamp(millisecondsSince1970: 1_800_000_000_000))

    @Test func acmeRefusesWrongKeysAndAnswersInACMEsPageEnvelope() async throws {
        let fake = AcmeFake(apiKey: "k", eventID: "ev", tickets: Self.event.tickets)
        _ = try await fake.start()
        let list = "\(fake.baseURL)/v2/b2b/barcodes?eventId=ev"
        #expect(try await FakeClient.get(list, token: nil).status == 401)
        #expect(try await FakeClient.get(list, token: nil, headers: [("x-acme-api-key", "bad")]).status == 401)
        let key = [("x-acme-api-key", "k")]
        #expect(try await FakeClient.get(list + "&pageSize=0", token: nil, headers: key).status == 400)
        #expect(try await FakeClient.get(list + "&page=0", token: nil, headers: key).status == 400)
        #expect(try await FakeClient.get(list + "&status=new", token: nil, headers: key).status == 400, "documented as not yet working")
        let page = try await FakeClient.get(list + "&pageSize=20&page=2&sortField=createdOn", token: nil, headers: key)
        #expect(page.status == 200)
        // ACME's "Pagination" article: {"list": [...], "pagination": {page, pageSize, sortDirection, sortField, count}}.
        let body = try #require(page.json?.objectValue)
        #expect(Set(body.keys) == ["list", "pagination"], "\(body.keys)")
        #expect(body["list"]?.arrayValue?.count == 10)
        let pagination = try #require(body["pagination"]?.objectValue)
        #expect(pagination["page"] == .number(2) && pagination["pageSize"] == .number(20) && pagination["count"] == .number(30))
        #expect(pagination["sortField"] == .string("createdOn") && pagination["sortDirection"] == .string("asc"))
        let large = try await FakeClient.get(list + "&pageSize=1000", token: nil, headers: key)
        #expect(large.json?.objectValue?["list"]?.arrayValue?.count == 30, "ACME documents no maximum page size")
        #expect(try await FakeClient.get("\(fake.baseURL)/v2/b2b/barcodes/NOPE", token: nil, headers: key).status == 404)
        try await fake.stop()
    }

    @Test func eventyayChecksKeyEventAndNonce() async throws {
        let fake = EventyayFake(key: "k", organizer: "org", event: "ev", tickets: Self.event.tickets)
        _ = try await fake.start()
        let base = "\(fake.baseURL)/eventyaydroid/api"
        #expect(try await FakeClient.get("\(base)/org/ev/download/?key=bad", token: nil).status == 403)
        #expect(try await FakeClient.get("\(base)/org/other/download/?key=k", token: nil).status == 404)
        #expect(try await FakeClient.get("\(base)/org/ev/download/?key=k", token: nil).status == 200)
        let secret = DemoEvent.barcode(1)
        let form = "application/x-www-form-urlencoded"
        let redeem = "\(base)/org/ev/redeem/?key=k"
        #expect(try await FakeClient.post(redeem, token: nil, json: "secret=\(secret)").status == 400, "form encoding required")
        let first = try await FakeClient.post(redeem, token: nil, json: "secret=\(secret)&nonce=n1", contentType: form)
        #expect(first.json?["status"] == "ok")
        let retry = try await FakeClient.post(redeem, token: nil, json: "secret=\(secret)&nonce=n1", contentType: form)
        #expect(retry.json?["status"] == "ok", "a known nonce replays the answer")
        let again = try await FakeClient.post(redeem, token: nil, json: "secret=\(secret)&nonce=n2", contentType: form)
        #expect(again.json?["reason"] == "already_redeemed")
        #expect(fake.checkins(of: secret).count == 1)
        let unknown = try await FakeClient.post(redeem, token: nil, json: "secret=NOPE", contentType: form)
        #expect(unknown.json?["reason"] == "unknown_ticket")
        try await fake.stop()
    }
}
