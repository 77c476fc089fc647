import AdmitCore
import Foundation
import Testing

@testable import AdmitFakes

/// Serves a whole event through pages of 1000, timing it. 100 k tickets by default; set
/// `ADMIT_FAKES_TICKETS=1000000` for the 1 M figure.
@Suite struct VivenuPagingBenchmarkTests {
    @Test func servesEveryPageOfALargeEvent() async throws {
        let count = ProcessInfo.processInfo.environment["ADMIT_FAKES_TICKETS"].flatMap(Int.init) ?? 100_000
        let setupStart = ContinuousClock.now
        let tickets = (0..<count).map {
            Ticket(id: "t\($0)", barcode: String(4_006_381_000_000 + $0), typeName: "Adult Standing", category: "Standing", areas: ["north"])
        }
        let fake = VivenuFake(token: "secret", eventID: "ev1", tickets: tickets)
        _ = try await fake.start()
        let setup = ContinuousClock.now - setupStart
        let start = ContinuousClock.now
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
        let full = ContinuousClock.now - start
        // A delta window over everything exercises the index path and its cache.
        let windowStart = ContinuousClock.now
        let from = ISO8601.format(Timestamp(millisecondsSince1970: 0))
        var windowTotal = 0
        for skip in stride(from: 0, to: min(count, 50_000), by: 1000) {
            let page = try await FakeClient.get("\(fake.baseURL)/tickets/v2/ev1?top=1000&skip=\(skip)&from=\(from)")
            windowTotal = page.total ?? 0
        }
        let window = ContinuousClock.now - windowStart
        try await fake.stop()
        #expect(last == "t\(count - 1)")
        #expect(windowTotal == count)
        print("vivenu fake: \(count) tickets, setup \(setup), all pages \(full) (\(bytes / 1_000_000) MB), first 50 windowed pages \(window)")
    }
}
