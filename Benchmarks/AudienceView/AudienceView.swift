import AdmitBackends
import AdmitCore
import AdmitFakes
import AdmitStore
import Benchmark
import BenchmarkSupport
import Foundation
import Synchronization

// AudienceView Professional: the full download of 100 k tickets (one response, no paging
// on the wire) into the snapshot and index, and flushing 10 k GRANTED scans.

let start = Timestamp(millisecondsSince1970: 1_800_000_000_000)

/// A started fake with `count` demo tickets and an adapter on it.
func rig(_ count: Int) -> (AudienceViewFake, AudienceViewBackend, [AudienceViewFakeTicket]) {
    let tickets = AudienceViewFake.tickets(from: DemoEvent(count: count, now: start).tickets)
    let fake = AudienceViewFake(username: "bench", password: "bench", clientID: 1, tickets: tickets)
    fake.setClock(start)
    _ = blocking { try await fake.start() }
    let backend = AudienceViewBackend(
        settings: AudienceViewSettings(baseURL: fake.baseURL, username: "bench", password: "bench", clientID: 1),
        context: BackendContext(serverNow: { fake.now }, observeServerTime: { _ in }))
    return (fake, backend, tickets)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark("AudienceView: ingest 100k tickets from the fake into the snapshot and index", configuration: .init(
        metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds, maxDuration: .seconds(60), maxIterations: 3)) { benchmark in
        let (fake, backend, _) = rig(100_000)
        let snapshot = try! TicketSnapshot(path: scratch("tickets.sqlite"))
        benchmark.startMeasurement()
        let cursor = blocking {
            try await backend.sync(from: .initial) { page in
                try snapshot.store(page.tickets, cursor: page.cursor, backend: "bench")
            }
        }
        blackHole(TicketIndex(table: try! snapshot.loadTable()))
        benchmark.stopMeasurement()
        precondition(cursor.fullLoadComplete && (try! snapshot.count()) == 100_000)
        blocking { await backend.shutdown(); try await fake.stop() }
    }

    Benchmark("AudienceView: flush 10k queued scans to the fake", configuration: .init(
        timeUnits: .milliseconds, maxDuration: .seconds(60), maxIterations: 3)) { benchmark in
        let (fake, backend, tickets) = rig(10_000)
        let outbox = try! ScanOutbox(path: scratch("journal.sqlite"))
        try! outbox.appendNow(tickets.enumerated().map { i, ticket in
            ScanRecord(scanID: "s\(i)-\(UUID().uuidString)", barcode: ticket.barcode, ticketID: String(ticket.ticketId),
                       ticketTypeID: String(ticket.performanceId), gate: "bench", direction: .in, outcome: .granted,
                       reasonCode: nil, time: start.adding(milliseconds: -60_000), source: "bench")
        })
        benchmark.startMeasurement()
        blocking {
            while true {
                let batch = try outbox.claimBatch(max: backend.maximumBatchSize)
                if batch.isEmpty { break }
                let results = try await backend.upload(batch)
                try outbox.settle(zip(batch, results).map { ($0.scanID, $1 == .accepted ? .uploaded : .rejected, nil) }, at: nil)
            }
        }
        benchmark.stopMeasurement()
        precondition(outbox.pendingCount() == 0)
        blocking { await backend.shutdown(); try await fake.stop() }
    }
}
