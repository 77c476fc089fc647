import AdmitCore
import Foundation
import Testing

@testable import AdmitFakes

@Suite struct FakeFaultTests {
    @Test func serverErrorAndUnauthorizedProcessNothing() async throws {
        try await withVivenu(tickets: sampleTickets(2)) { fake in
            let url = "\(fake.baseURL)/scans/ev1"
            fake.setFault(.serverError)
            let failed = try await FakeClient.post(url, json: "[\(scanJSON())]")
            #expect(failed.status == 500)
            #expect(failed.json?["error"] == "Internal Server Error")
            fake.setFault(.unauthorized)
            #expect(try await FakeClient.post(url, json: "[\(scanJSON())]").status == 401)
            #expect(fake.receivedScans.isEmpty)
            fake.setFault(nil)
            #expect(try await FakeClient.post(url, json: "[\(scanJSON())]").status == 200)
            #expect(fake.receivedScans.count == 1)
            #expect(fake.requestCount(path: "/scans/ev1") == 3)
        }
    }

    @Test func slowWaitsBeforeAnswering() async throws {
        try await withVivenu { fake in
            fake.setFault(.slow(milliseconds: 300))
            let start = ContinuousClock.now
            let reply = try await FakeClient.get("\(fake.baseURL)/events")
            #expect(reply.status == 200)
            #expect(ContinuousClock.now - start >= .milliseconds(300))
        }
    }

    @Test func dropAfterProcessingStoresThenCloses() async throws {
        try await withVivenu(tickets: sampleTickets(2)) { fake async throws in
            fake.setFault(.dropAfterProcessing)
            await #expect(throws: (any Error).self) {
                _ = try await FakeClient.post("\(fake.baseURL)/scans/ev1", json: "[\(scanJSON(extra: #","scanId":"a""#))]")
            }
            #expect(fake.receivedScans.map { $0.extra["scanId"] } == [.string("a")])
            fake.setFault(nil)
            #expect(try await FakeClient.get("\(fake.baseURL)/events").status == 200)
        }
    }

    @Test func garbageAndTruncatedAreProcessedButUnreadable() async throws {
        try await withVivenu(tickets: sampleTickets(2)) { fake in
            fake.setFault(.garbage)
            let garbage = try await FakeClient.post("\(fake.baseURL)/scans/ev1", json: "[\(scanJSON())]")
            #expect(garbage.status == 200 && garbage.json == nil && !garbage.body.isEmpty)
            fake.setFault(.truncated)
            let page = try await FakeClient.get("\(fake.baseURL)/tickets/v2/ev1?top=10")
            #expect(page.status == 200 && page.json == nil)
            #expect(String(decoding: page.body, as: UTF8.self).hasPrefix(#"{"docs":[{"#))
            let cut = try await FakeClient.post("\(fake.baseURL)/scans/ev1", json: "[\(scanJSON())]")
            #expect(cut.status == 200 && cut.json == nil)
            #expect(fake.receivedScans.count == 2)
        }
    }

    @Test func downRefusesConnectionsUntilCleared() async throws {
        try await withVivenu { fake in
            let port = try #require(fake.port)
            #expect(try await FakeClient.get("\(fake.baseURL)/events").status == 200)
            fake.setFault(.down)
            await #expect(throws: (any Error).self) {
                // AsyncHTTPClient retries refused connects until the deadline, so keep it short.
                _ = try await FakeClient.get("http://127.0.0.1:\(port)/api/accessusers/events", timeout: .seconds(1))
            }
            fake.setFault(nil)
            #expect(fake.port == port)
            #expect(try await FakeClient.get("\(fake.baseURL)/events").status == 200)
        }
    }
}
