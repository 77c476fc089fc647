import AdmitCore
import Foundation
import NIOCore
import Testing

@testable import AdmitFakes

func withPortier(_ body: (PortierFake) async throws -> Void) async throws {
    let fake = PortierFake(token: "secret", eventID: "ev1")
    _ = try await fake.start()
    do {
        try await body(fake)
    } catch {
        try await fake.stop()
        throw error
    }
    try await fake.stop()
}

func portierJSON(_ barcode: String, time: String? = nil, type: String = "checkin", extra: String = "") -> String {
    let timeField = time.map { #","time":"\#($0)""# } ?? ""
    return #"{"ticketId":"t-\#(barcode)","eventId":"ev1","barcode":"\#(barcode)","ticketTypeId":"tt1","type":"\#(type)","scanResult":"approved","deviceId":"gate-1"\#(timeField)\#(extra)}"#
}

@Suite struct PortierFakeTests {
    @Test func postedScansAreStoredAndAnswered() async throws {
        try await withPortier { fake in
            fake.setClock(ISO8601.parse("2030-01-23T23:00:00Z")!, running: false)
            let body = "[\(portierJSON("B1")),\(portierJSON("B2", time: "2030-01-23T22:59:00.000Z"))]"
            let reply = try await PortierHTTP.post("\(fake.baseURL)/scans", json: body)
            #expect(reply.status == 200)
            let created = reply.json?.arrayValue ?? []
            #expect(created.map { $0["time"] } == ["2030-01-23T23:00:00.000Z", "2030-01-23T22:59:00.000Z"])
            #expect(created.first?["deviceId"] == "gate-1")
            #expect(fake.receivedScans.map(\.barcode) == ["B1", "B2"])
            let single = try await PortierHTTP.post("\(fake.baseURL)/scans", json: portierJSON("B3"))
            #expect(single.json?["barcode"] == "B3")
            #expect(fake.requestCount(path: "/scans") == 2)
        }
    }

    @Test(arguments: [
        (portierJSON("B1", type: "enter"), "scans[0]: type"),
        (#"{"ticketId":"t","eventId":"ev1","barcode":"B","type":"checkin","scanResult":"approved"}"#,
         "scans[0]: ticketTypeId is required"),
        (#"{"ticketId":"t","eventId":"ev1","barcode":"B","ticketTypeId":"x","type":"checkin","scanResult":"ok"}"#,
         "scans[0]: scanResult"),
        (portierJSON("B1", extra: #","scanId":"1""#), "scans[0]: unknown attribute scanId"),
        (portierJSON("B1", time: "soon"), "scans[0]: time"),
        (portierJSON("B1").replacingOccurrences(of: "ev1", with: "ev2"), "scans[0]: eventId"),
    ])
    func invalidScansAreRefused(item: String, message: String) async throws {
        try await withPortier { fake in
            let reply = try await PortierHTTP.post("\(fake.baseURL)/scans", json: "[\(item)]")
            #expect(reply.status == 400)
            #expect(reply.message.hasPrefix(message), "\(reply.message)")
            #expect(fake.receivedScans.isEmpty)
        }
    }

    @Test func getFiltersByTimeAndPages() async throws {
        try await withPortier { fake in
            let t0 = ISO8601.parse("2030-01-23T23:00:00Z")!
            for i in 0..<25 {
                fake.addScan(
                    PortierScan(
                        ticketId: "t\(i)", eventId: "ev1", barcode: "B\(i)", ticketTypeId: "tt1",
                        type: i % 5 == 4 ? "checkout" : "checkin", time: t0.adding(milliseconds: Int64(i) * 1000),
                        deviceId: "gate-2"))
            }
            #expect(fake.receivedScans.isEmpty)
            let base = "\(fake.baseURL)/scans?eventId=ev1"
            let from = ISO8601.format(t0.adding(milliseconds: 10_000))
            let until = ISO8601.format(t0.adding(milliseconds: 20_000))
            var barcodes: [String] = []
            for skip in stride(from: 0, to: 10, by: 4) {
                let page = try await PortierHTTP.get("\(base)&time[$gte]=\(from)&time[$lt]=\(until)&top=4&skip=\(skip)")
                #expect(page.status == 200, "\(page.message)")
                #expect(page.total == 10)
                barcodes += page.docs.compactMap { $0["barcode"] }
            }
            #expect(barcodes == (10..<20).map { "B\($0)" })
            let after = try await PortierHTTP.get("\(base)&time[$gt]=\(from)&type=checkout")
            #expect(after.docs.compactMap { $0["barcode"] } == ["B14", "B19", "B24"])
            #expect(try await PortierHTTP.get("\(base)&barcode=B3").docs.count == 1)
            #expect(try await PortierHTTP.get("\(fake.baseURL)/scans?eventId=other").total == 0)
            #expect(try await PortierHTTP.get("\(fake.baseURL)/scans").docs.count == 25)
            for bad in ["time=\(from)", "time[$ne]=\(from)", "time[$gte]=later", "top=0", "skip=-1", "type=in", "eventID=ev1"] {
                #expect(try await PortierHTTP.get("\(fake.baseURL)/scans?\(bad)").status == 400, "\(bad)")
            }
        }
    }

    /// vivenu's "get all" rule (docs/backends/vivenu-portier.md): 25 by default, at most 100.
    @Test func pagesHold25ByDefaultAndAtMost100() async throws {
        try await withPortier { fake in
            let t0 = ISO8601.parse("2030-01-23T23:00:00Z")!
            for i in 0..<130 {
                fake.addScan(
                    PortierScan(
                        ticketId: "t\(i)", eventId: "ev1", barcode: "B\(i)", ticketTypeId: "tt1", type: "checkin",
                        time: t0.adding(milliseconds: Int64(i)), deviceId: "gate-2"))
            }
            let plain = try await PortierHTTP.get("\(fake.baseURL)/scans?eventId=ev1")
            #expect(plain.docs.count == 25 && plain.total == 130)
            let large = try await PortierHTTP.get("\(fake.baseURL)/scans?eventId=ev1&top=1000")
            #expect(large.docs.count == 100 && large.total == 130)
            #expect(try await PortierHTTP.get("\(fake.baseURL)/scans?eventId=ev1&top=100&skip=100").docs.count == 30)
        }
    }

    @Test func tokenAndFaults() async throws {
        try await withPortier { fake in
            #expect(try await PortierHTTP.get("\(fake.baseURL)/scans", token: nil).status == 401)
            #expect(try await PortierHTTP.get("\(fake.baseURL)/scans", token: "x").status == 401)
            let bearer = try await PortierHTTP.get("\(fake.baseURL)/scans", token: nil, headers: [("Authorization", "Bearer secret")])
            #expect(bearer.status == 200)
            // The access-control `token` header is documented not to work beyond /accessusers.
            let accessToken = try await FakeClient.get("\(fake.baseURL)/scans", token: "secret")
            #expect(accessToken.status == 401)
            fake.setClock(ISO8601.parse("2030-01-23T23:00:00Z")!, running: false)
            fake.setFault(.dropAfterProcessing)
            await #expect(throws: (any Error).self) {
                _ = try await PortierHTTP.post("\(fake.baseURL)/scans", json: "[\(portierJSON("B1"))]")
            }
            #expect(fake.receivedScans.count == 1)
            fake.setFault(.serverError)
            let failed = try await PortierHTTP.get("\(fake.baseURL)/scans")
            #expect(failed.status == 500)
            #expect(failed.headers.first(name: "date") == "Wed, 23 Jan 2030 23:00:00 GMT")
            fake.setFault(nil)
            #expect(try await PortierHTTP.get("\(fake.baseURL)/scans").total == 1)
        }
    }
}

/// `FakeClient` with portier's authentication: `token` goes as `Authorization: Bearer`
/// (vivenu's API-wide rule), never as the access-control `token` header.
enum PortierHTTP {
    static func get(_ url: String, token: String? = "secret", headers: [(String, String)] = []) async throws -> Reply {
        try await FakeClient.get(url, token: nil, headers: headers + bearer(token))
    }

    static func post(_ url: String, token: String? = "secret", json: String) async throws -> Reply {
        try await FakeClient.send(
            .POST, url, token: nil, headers: [("Content-Type", "application/json")] + bearer(token), body: ByteBuffer(string: json))
    }

    private static func bearer(_ token: String?) -> [(String, String)] {
        token.map { [("Authorization", "Bearer \($0)")] } ?? []
    }
}
