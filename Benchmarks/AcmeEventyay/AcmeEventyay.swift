import AdmitBackends
import AdmitCore
import AdmitFakes
import AdmitStore
import Benchmark
import BenchmarkSupport
import Foundation
import Synchronization

// The ACME and eventyay paths: full ingest of 100 k tickets from each fake into the snapshot
// and index, and flushing 10 k queued scans to each (eventyay: one redeem/ per scan).

let event = DemoEvent(count: 100_000, now: Timestamp(millisecondsSince1970: 1_800_000_000_000))
let context = BackendContext(serverNow: { nil }, observeServerTime: { _ in })

func granted(_ i: Int) -> ScanRecord {
    let ticket = event.ticket(i)
    return ScanRecord(scanID: "s\(i)-\(UUID().uuidString)", barcode: ticket.barcode, ticketID: ticket.id, gate: "bench",
                      direction: .in, outcome: .granted, reasonCode: nil, time: event.now, source: "bench")
}

func ingest(_ backend: any TicketBackend) {
    let snapshot = try! TicketSnapshot(path: scratch("tickets.sqlite"))
    let cursor = blocking {
        try await backend.sync(from: .initial) { page in
            try snapshot.store(page.tickets, cursor: page.cursor, backend: "bench")
        }
    }
    blackHole(TicketIndex(table: try! snapshot.loadTable()))
    precondition(cursor.fullLoadComplete && (try! snapshot.count()) == 100_000)
}

func flush(_ backend: any TicketBackend) {
    let outbox = try! ScanOutbox(path: scratch("journal.sqlite"))
    try! outbox.appendNow((0..<10_000).map(granted))
    blocking {
        while true {
            let batch = try outbox.claimBatch(max: backend.maximumBatchSize)
            if batch.isEmpty { break }
            let results = try await backend.upload(batch)
            try outbox.settle(zip(batch, results).map { ($0.scanID, $1 == .accepted ? .uploaded : .rejected, nil) }, at: nil)
        }
    }
    precondition(outbox.pendingCount() == 0)
}

let benchmarks: @Sendable () -> Void = {
    let once = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds, maxDuration: .seconds(120), maxIterations: 3)

    Benchmark("Full ingest: 100k barcodes from the ACME fake (pages of 100)", configuration: once) { benchmark in
        let fake = AcmeFake(apiKey: "k", eventID: DemoEvent.eventID, tickets: event.tickets)
        _ = blocking { try await fake.start() }
        let backend = AcmeBackend(
            settings: AcmeSettings(baseURL: fake.baseURL, apiKey: "k", eventID: DemoEvent.eventID, deviceID: "bench"), context: context)
        benchmark.startMeasurement()
        ingest(backend)
        benchmark.stopMeasurement()
        blocking { await backend.shutdown(); try await fake.stop() }
    }

    Benchmark("Full ingest: 100k positions from the eventyay fake (one download)", configuration: once) { benchmark in
        let fake = EventyayFake(key: "k", organizer: "o", event: "e", tickets: event.tickets)
        _ = blocking { try await fake.start() }
        let backend = EventyayBackend(settings: EventyaySettings(baseURL: fake.baseURL, key: "k", organizer: "o", event: "e"), context: context)
        benchmark.startMeasurement()
        ingest(backend)
        benchmark.stopMeasurement()
        blocking { await backend.shutdown(); try await fake.stop() }
    }

    Benchmark("Flush 10k queued scans to the ACME fake (deactivations)", configuration: once) { benchmark in
        let fake = AcmeFake(apiKey: "k", eventID: DemoEvent.eventID, tickets: event.tickets)
        _ = blocking { try await fake.start() }
        let backend = AcmeBackend(
            settings: AcmeSettings(baseURL: fake.baseURL, apiKey: "k", eventID: DemoEvent.eventID, deviceID: "bench"), context: context)
        benchmark.startMeasurement()
        flush(backend)
        benchmark.stopMeasurement()
        blocking { await backend.shutdown(); try await fake.stop() }
    }

    Benchmark("Flush 10k queued scans to the eventyay fake (one redeem each)", configuration: once) { benchmark in
        let fake = EventyayFake(key: "k", organizer: "o", event: "e", tickets: event.tickets)
        _ = blocking { try await fake.start() }
        let backend = EventyayBackend(settings: EventyaySettings(baseURL: fake.baseURL, key: "k", organizer: "o", event: "e"), context: context)
        benchmark.startMeasurement()
        flush(backend)
        benchmark.stopMeasurement()
        blocking { await backend.shutdown(); try await fake.stop() }
    }
}
