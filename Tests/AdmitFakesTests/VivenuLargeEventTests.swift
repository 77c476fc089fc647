import AdmitCore
import Foundation
import Testing

@testable import AdmitFakes

/// Serves a whole event through pages of 1000, and a delta window over all of it: every
/// page arrives, the last ticket is the last one. 20 k tickets by default (the timing of a
/// 1 M ingest is a benchmark, Benchmarks/StoreAndSync); `ADMIT_FAKES_TICKETS` sets the size.
@Suite struct VivenuLargeEventTests {
    @Test func servesEveryPageOfALargeEvent() async throws {
        let count = ProcessInfo.processInfo.environment["ADMIT_FAKES_TICKETS"].flatMap(Int.init) ?? 20_000
        let tickets = (0..<count).map {
            Ticket(id: "t\($0)", barcode: String(4_006_381_000_000 + $0), typeName: "Adult Standing", category: "Standing", areas: ["north"])
        }
        let fake = VivenuFake(token: "secret", eventID: "ev1", tickets: tickets)
        _ = try await fake.start()
        var skip = 0
        var bytes = 0
        var last: String?
        while skip < count {
            let page = try await FakeClient.get("\(fake.baseURL)/tickets/v2/ev1?top=1000&skip=\(skip)")
            #expect(page.status == 200)
            bytes += page.body.count
            skip += 1000
            if skip >= count { last = page.docs.last?["_id"] }
        }
        // A delta window over everything exercises the index path and its cache.
        let from = ISO8601.format(Timestamp(millisecondsSince1970: 0))
        var windowTotal = 0
        for skip in stride(from: 0, to: min(count, 50_000), by: 1000) {
            let page = try await FakeClient.get("\(fake.baseURL)/tickets/v2/ev1?top=1000&skip=\(skip)&from=\(from)")
            windowTotal = page.total ?? 0
        }
        try await fake.stop()
        #expect(last == "t\(count - 1)")
        #expect(windowTotal == count)
    }
}
