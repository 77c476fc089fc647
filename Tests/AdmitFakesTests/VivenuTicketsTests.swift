import AdmitCore
import Testing

@testable import AdmitFakes

/// Runs `body` against a started vivenu fake and stops it afterwards.
func withVivenu(
    tickets: [Ticket] = [], _ body: (VivenuFake) async throws -> Void
) async throws {
    let fake = VivenuFake(token: "secret", eventID: "ev1", tickets: tickets)
    _ = try await fake.start()
    do {
        try await body(fake)
    } catch {
        try await fake.stop()
        throw error
    }
    try await fake.stop()
}

func sampleTickets(_ count: Int, from start: Int = 0) -> [Ticket] {
    (start..<(start + count)).map {
        Ticket(id: "t\($0)", barcode: "B\($0)", typeName: "Adult Standing", category: "Standing", areas: ["north"])
    }
}

@Suite struct VivenuTicketsTests {
    @Test func pagingReachesTotalInCreationOrder() async throws {
        try await withVivenu(tickets: sampleTickets(2500)) { fake in
            var ids: [String] = []
            var skip = 0
            while true {
                let reply = try await FakeClient.get("\(fake.baseURL)/tickets/v2/ev1?top=1000&skip=\(skip)")
                #expect(reply.status == 200)
                #expect(reply.total == 2500)
                ids += reply.docs.compactMap { $0["_id"] }
                skip += 1000
                if skip >= reply.total! { break }
            }
            #expect(ids == (0..<2500).map { "t\($0)" })
            let past = try await FakeClient.get("\(fake.baseURL)/tickets/v2/ev1?top=10&skip=5000")
            #expect(past.docs.isEmpty && past.total == 2500)
            #expect(fake.requestCount(path: "/tickets/v2/ev1") == 4)
            #expect(fake.requestCount(path: "/api/accessusers/tickets/v2/ev1") == 4)
        }
    }

    @Test func ticketHasExactlyTheSpecFields() async throws {
        let ticket = Ticket(
            id: "t1", barcode: "4006381333931", status: .cancelled, typeName: "VIP Seated",
            category: "Seated", areas: ["north", "vip"])
        try await withVivenu(tickets: [ticket]) { fake in
            let reply = try await FakeClient.get("\(fake.baseURL)/tickets/v2/ev1?top=1")
            let doc = try #require(reply.docs.first?.objectValue)
            #expect(
                Set(doc.keys) == [
                    "_id", "barcode", "name", "ticketTypeId", "ticketName", "priceCategoryId", "eventId",
                    "sellerId", "createdAt", "updatedAt", "priceCategory", "status", "area", "row", "seat",
                    "discountId", "discount", "entry",
                ])
            #expect(doc["_id"] == .string("t1"))
            #expect(doc["ticketName"] == .string("VIP Seated"))
            #expect(doc["ticketTypeId"] == .string("tt-vip-seated"))
            #expect(doc["status"] == .string("INVALID"))
            #expect(doc["eventId"] == .string("ev1"))
            #expect(doc["entry"] == .array([.string("north"), .string("vip")]))
            #expect(
                doc["priceCategory"]
                    == .object(["categoryId": .string("pc-seated"), "description": .string("Seated")]))
            #expect(ISO8601.parse(doc["createdAt"]?.stringValue ?? "") != nil)
        }
    }

    @Test func topAndSkipAreEnforced() async throws {
        try await withVivenu(tickets: sampleTickets(3)) { fake in
            let base = "\(fake.baseURL)/tickets/v2/ev1"
            for query in ["?top=0", "?top=1001", "?top=abc", "?top=-1", "?top=10&skip=-1", "?top=1&skip=x"] {
                let reply = try await FakeClient.get(base + query)
                #expect(reply.status == 400, "\(query)")
                #expect(reply.json?["error"] == "Bad Request")
            }
            #expect(try await FakeClient.get(base + "?top=1").docs.count == 1)
            #expect(try await FakeClient.get(base + "?top=1000").docs.count == 3)
            #expect(try await FakeClient.get(base + "?top=2&skip=2").docs.count == 1)
        }
    }

    /// vivenu's OpenAPI: `top` defaults to 25 (docs/backends/vivenu-access-control.md).
    @Test func topDefaultsTo25() async throws {
        try await withVivenu(tickets: sampleTickets(30)) { fake in
            let page = try await FakeClient.get("\(fake.baseURL)/tickets/v2/ev1")
            #expect(page.status == 200)
            #expect(page.docs.count == 25 && page.total == 30)
        }
    }

    /// Each shape's status enum: a blocked ticket is DETAILSREQUIRED on tickets/v2 and in the
    /// scan answer, INVALID on the barcode lookup (whose enum is VALID|INVALID).
    @Test func blockedTicketsUseTheDocumentedStatuses() async throws {
        var tickets = sampleTickets(2)
        tickets[1].status = .blocked
        try await withVivenu(tickets: tickets) { fake in
            let page = try await FakeClient.get("\(fake.baseURL)/tickets/v2/ev1?top=10")
            #expect(page.docs.compactMap { $0["status"] } == ["VALID", "DETAILSREQUIRED"])
            #expect(try await FakeClient.get("\(fake.baseURL)/tickets/B1").json?["status"] == "INVALID")
            let scanned = try await FakeClient.post("\(fake.baseURL)/tickets/B1/scan", json: "", contentType: nil)
            #expect(scanned.json?.objectValue?["ticket"]?["status"] == "DETAILSREQUIRED")
        }
    }

    @Test func tokenIsRequired() async throws {
        try await withVivenu(tickets: sampleTickets(1)) { fake in
            let missing = try await FakeClient.get("\(fake.baseURL)/tickets/v2/ev1?top=1", token: nil)
            #expect(missing.status == 401)
            let wrong = try await FakeClient.get("\(fake.baseURL)/events", token: "other")
            #expect(wrong.status == 401)
            #expect(wrong.json?.objectValue?["statusCode"] == .number(401))
            #expect(wrong.headers.first(name: "content-type")?.hasPrefix("application/json") == true)
        }
    }

    @Test func eventsAndUnknownEvent() async throws {
        try await withVivenu { fake in
            let events = try await FakeClient.get("\(fake.baseURL)/events")
            #expect(events.json == .array([.object(["_id": .string("ev1"), "name": .string("Admit Demo Event")])]))
            #expect(try await FakeClient.get("\(fake.baseURL)/tickets/v2/nope?top=1").status == 404)
            #expect(try await FakeClient.get("\(fake.baseURL)/nothing").status == 404)
        }
    }

    @Test func fromUntilSelectCreatedOrUpdatedInWindow() async throws {
        try await withVivenu { fake in
            let t0 = ISO8601.parse("2030-01-23T23:00:00.000Z")!
            fake.setClock(t0, running: false)
            fake.upsert(sampleTickets(10))
            fake.advanceClock(milliseconds: 1000)
            fake.upsert(sampleTickets(2, from: 10))  // created at t0+1s
            fake.cancel(barcodes: ["B3"])  // updated at t0+1s
            fake.advanceClock(milliseconds: 1000)
            fake.upsert([Ticket(id: "t10", barcode: "B10", typeName: "Child")])  // created t0+1s, updated t0+2s

            func ids(_ query: String) async throws -> [String] {
                let reply = try await FakeClient.get("\(fake.baseURL)/tickets/v2/ev1?top=1000\(query)")
                #expect(reply.status == 200, "\(query): \(reply.message)")
                #expect(reply.total == reply.docs.count)
                return reply.docs.compactMap { $0["_id"] }
            }
            let iso = { (ms: Int64) in ISO8601.format(t0.adding(milliseconds: ms)) }
            #expect(try await ids("&from=\(iso(0))&until=\(iso(1000))") == (0..<10).map { "t\($0)" })
            #expect(try await ids("&from=\(iso(1000))&until=\(iso(2000))") == ["t3", "t10", "t11"])
            #expect(try await ids("&from=\(iso(2000))") == ["t10"])
            #expect(try await ids("&until=\(iso(1))").count == 10)
            #expect(try await ids("&from=\(iso(2001))").isEmpty)
            let cancelled = try await FakeClient.get("\(fake.baseURL)/tickets/v2/ev1?top=1&skip=3&from=\(iso(0))")
            #expect(cancelled.docs.first?["status"] == "INVALID")
            #expect(cancelled.docs.first?["updatedAt"] == iso(1000))
            #expect(try await FakeClient.get("\(fake.baseURL)/tickets/v2/ev1?top=1&from=yesterday").status == 400)
            // `+` in a query is a space, as in a form-encoding parser: an unescaped offset is refused.
            #expect(try await FakeClient.get("\(fake.baseURL)/tickets/v2/ev1?top=1&from=2030-01-23T23:00:00+01:00").status == 400)
            #expect(try await ids("&from=2030-01-24T00:00:00%2B01:00").count == 12)
        }
    }

    @Test func dateHeaderFollowsTheFakeClock() async throws {
        try await withVivenu { fake in
            fake.setClock(ISO8601.parse("2030-01-23T23:00:00.500Z")!, running: false)
            let reply = try await FakeClient.get("\(fake.baseURL)/events")
            #expect(reply.headers.first(name: "date") == "Wed, 23 Jan 2030 23:00:00 GMT")
            fake.advanceClock(milliseconds: 1500)
            let later = try await FakeClient.get("\(fake.baseURL)/events")
            #expect(later.headers.first(name: "date") == "Wed, 23 Jan 2030 23:00:02 GMT")
            fake.setClock(ISO8601.parse("1968-11-27T23:00:00Z")!, running: false)
            let past = try await FakeClient.get("\(fake.baseURL)/events", token: "wrong")
            #expect(past.headers.first(name: "date") == "Wed, 27 Nov 1968 23:00:00 GMT")
        }
    }

    @Test func barcodeLookupAndRealtimeScan() async throws {
        var tickets = sampleTickets(3)
        tickets[2].status = .cancelled
        try await withVivenu(tickets: tickets) { fake in
            // Paths of vivenu's OpenAPI: GET tickets/{barcode}, POST tickets/{barcode}/scan.
            let found = try await FakeClient.get("\(fake.baseURL)/tickets/B1")
            #expect(found.json?["_id"] == "t1")
            #expect(found.json?["categoryRef"] == "pc-standing")
            #expect(try await FakeClient.get("\(fake.baseURL)/tickets/nope").status == 404)
            func scan(_ barcode: String) async throws -> Reply {
                try await FakeClient.post("\(fake.baseURL)/tickets/\(barcode)/scan", json: "", contentType: nil)
            }
            let first = try await scan("B1")
            #expect(first.json?["access"] == "GRANTED")
            #expect(first.json?.objectValue?["ticket"]?["_id"] == "t1")
            #expect(try await scan("B1").json?["access"] == "DENIED")
            #expect(try await scan("B2").json?["access"] == "DENIED")
            #expect(try await scan("zz").status == 404)
            // The paths the adapter and the fake once guessed are gone.
            #expect(try await FakeClient.post("\(fake.baseURL)/tickets/scan", json: #"{"barcode":"B0"}"#).status == 404)
            #expect(try await FakeClient.get("\(fake.baseURL)/tickets/barcode/B0").status == 404)
            #expect(fake.isCheckedIn(barcode: "B1"))
        }
    }
}
