import AdmitCore
import Testing

@testable import AdmitFakes

func scanJSON(
    ticketId: String = "t1", barcode: String = "B1", scannedAt: String = "2030-01-23T23:00:00.123Z",
    type: String = "OK", direction: String = "IN", extra: String = ""
) -> String {
    #"{"ticketId":"\#(ticketId)","barcode":"\#(barcode)","scanned_at":"\#(scannedAt)","type":"\#(type)","direction":"\#(direction)"\#(extra)}"#
}

@Suite struct VivenuScansTests {
    @Test func acceptedScansAreRecordedWithExtraAttributes() async throws {
        try await withVivenu(tickets: sampleTickets(3)) { fake in
            let body = "[\(scanJSON(extra: #","scanId":"s-1""#)),\(scanJSON(ticketId: "", barcode: "X9", type: "FAIL"))]"
            let reply = try await FakeClient.post("\(fake.baseURL)/scans/ev1", json: body)
            #expect(reply.status == 200)
            #expect(reply.json == .object(["status": .string("OK")]))
            let scans = fake.receivedScans
            #expect(scans.map(\.barcode) == ["B1", "X9"])
            #expect(scans[0].extra == ["scanId": .string("s-1")])
            #expect(scans[0].scannedAt == ISO8601.parse("2030-01-23T23:00:00.123Z"))
            #expect(scans[1].type == "FAIL" && scans[1].ticketId.isEmpty)
            #expect(fake.isCheckedIn(barcode: "B1"))
            let realtime = try await FakeClient.post("\(fake.baseURL)/tickets/B1/scan", json: "", contentType: nil)
            #expect(realtime.json?["access"] == "DENIED")
        }
    }

    /// `POST scans/{eventId}` (vivenu's OpenAPI); `ticketId` is not required.
    @Test func scansArePostedPerEvent() async throws {
        try await withVivenu(tickets: sampleTickets(3)) { fake async throws in
            let body = "[\(scanJSON())]"
            #expect(try await FakeClient.post("\(fake.baseURL)/scans", json: body).status == 404)
            #expect(try await FakeClient.post("\(fake.baseURL)/scans/other", json: body).status == 404)
            #expect(fake.receivedScans.isEmpty)
            let noTicket = #"[{"barcode":"X9","scanned_at":"2030-01-23T23:00:00.123Z","type":"FAIL","direction":"IN"}]"#
            #expect(try await FakeClient.post("\(fake.baseURL)/scans/ev1", json: noTicket).status == 200)
            #expect(fake.receivedScans.map(\.ticketId) == [""])
        }
    }

    @Test(arguments: [
        (scanJSON(direction: "SIDEWAYS"), "scans[1]: direction"),
        (scanJSON(type: "GOOD"), "scans[1]: type"),
        (scanJSON(scannedAt: "23.01.2030"), "scans[1]: scanned_at"),
        (#"{"ticketId":"t1","barcode":"B1","type":"OK","direction":"IN"}"#, "scans[1]: scanned_at is required"),
        (#"{"ticketId":1,"barcode":"B1","scanned_at":"2030-01-23T23:00:00Z","type":"OK","direction":"IN"}"#,
         "scans[1]: ticketId must be a string"),
        (scanJSON(ticketId: "t999"), "scans[1]: ticketId"),
        (scanJSON(ticketId: ""), "scans[1]: ticketId must not be empty"),
        (scanJSON(barcode: ""), "scans[1]: barcode"),
        (#""text""#, "scans[1]: must be an object"),
    ])
    func malformedItemRefusesTheBatch(item: String, message: String) async throws {
        try await withVivenu(tickets: sampleTickets(3)) { fake in
            let reply = try await FakeClient.post("\(fake.baseURL)/scans/ev1", json: "[\(scanJSON()),\(item)]")
            #expect(reply.status == 400)
            #expect(reply.message.hasPrefix(message), "\(reply.message)")
            #expect(fake.receivedScans.isEmpty)
        }
    }

    @Test func bodyMustBeAJSONArrayUnderTheSizeLimit() async throws {
        try await withVivenu(tickets: sampleTickets(3)) { fake async throws in
            let url = "\(fake.baseURL)/scans/ev1"
            #expect(try await FakeClient.post(url, json: scanJSON()).status == 400)
            #expect(try await FakeClient.post(url, json: "[{").status == 400)
            #expect(try await FakeClient.post(url, json: "[\(scanJSON())]", contentType: nil).status == 400)
            #expect(try await FakeClient.post(url, json: "[\(scanJSON())]", contentType: "text/plain").status == 400)
            let huge = "[" + Array(repeating: scanJSON(), count: 55_000).joined(separator: ",") + "]"
            #expect(huge.utf8.count > 5 * 1024 * 1024)
            #expect(try await FakeClient.post(url, json: huge).status == 413)
            #expect(fake.receivedScans.isEmpty)
            #expect(try await FakeClient.post(url, json: "[]").status == 200)
        }
    }
}
