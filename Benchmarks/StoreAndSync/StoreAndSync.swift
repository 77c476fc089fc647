import AdmitBackends
import AdmitCore
import AdmitFakes
import AdmitStore
import Benchmark
import BenchmarkSupport
import Foundation
import Synchronization

// The store and sync paths: read → durable record (group commit, fsync'd), cold start with
// 1 M tickets, full ingest of 1 M tickets from the local vivenu fake, and flushing 10 k scans.

func record(_ n: Int, ticketID: String? = "t1") -> ScanRecord {
    ScanRecord(scanID: "s\(n)-\(UUID().uuidString)", barcode: DemoEvent.barcode(n % 100_000), ticketID: ticketID, gate: "bench",
               direction: .in, outcome: .granted, reasonCode: nil, time: Timestamp(millisecondsSince1970: 1_800_000_000_000), source: "bench")
}

/// A snapshot of 1 M demo tickets, written once per run and shared by the cold-start benchmarks.
nonisolated(unsafe) var sharedSnapshot: String?
func millionTicketSnapshot() -> String {
    if let sharedSnapshot { return sharedSnapshot }
    let path = scratch("tickets.sqlite")
    let snapshot = try! TicketSnapshot(path: path)
    let event = DemoEvent(count: 1_000_000, now: Timestamp(millisecondsSince1970: 1_800_000_000_000))
    var cursor = SyncCursor.initial
    cursor.fullLoadComplete = true
    for start in stride(from: 0, to: 1_000_000, by: 50_000) {
        try! snapshot.store((start..<start + 50_000).map(event.ticket), cursor: cursor, backend: "bench")
    }
    sharedSnapshot = path
    return path
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock], timeUnits: .microseconds, maxDuration: .seconds(5))

    nonisolated(unsafe) var outbox: ScanOutbox!
    nonisolated(unsafe) var counter = 0
    Benchmark("Read to durable record, one scan at a time (fsync each)", configuration: .init(
        maxIterations: 2000, setup: { outbox = try! ScanOutbox(path: scratch("journal.sqlite")) })) { benchmark in
        for _ in benchmark.scaledIterations {
            counter += 1
            let done = DispatchSemaphore(value: 0)
            outbox.append(record(counter)) { _ in done.signal() }
            done.wait()
        }
    }

    Benchmark("Read to durable record, 4 scanners at once (group commit)", configuration: .init(
        maxIterations: 1000, setup: { outbox = try! ScanOutbox(path: scratch("journal.sqlite")) })) { benchmark in
        for _ in benchmark.scaledIterations {
            let done = DispatchSemaphore(value: 0)
            for _ in 0..<4 {
                counter += 1
                outbox.append(record(counter)) { _ in done.signal() }
            }
            for _ in 0..<4 { done.wait() }
        }
    }

    // The disk's own floor, for the ratio: what one 4 KiB append and fdatasync costs on the
    // same file system, with no SQLite in between.
    nonisolated(unsafe) var rawFile: Int32 = -1
    let page = [UInt8](repeating: 0x5A, count: 4096)
    Benchmark("Baseline: append 4 KiB and fdatasync (the disk's floor)", configuration: .init(
        maxIterations: 2000,
        setup: { rawFile = open(scratch("raw.bin"), O_WRONLY | O_CREAT | O_APPEND, 0o644) },
        teardown: { close(rawFile) })) { benchmark in
        for _ in benchmark.scaledIterations {
            precondition(page.withUnsafeBytes { write(rawFile, $0.baseAddress, $0.count) } == 4096)
            precondition(fdatasync(rawFile) == 0)
        }
    }

    nonisolated(unsafe) var snapshotPath = ""
    Benchmark("Cold start: 1M tickets from the snapshot into the index", configuration: .init(
        timeUnits: .milliseconds, maxDuration: .seconds(30), maxIterations: 3,
        setup: { snapshotPath = millionTicketSnapshot() })) { benchmark in
        for _ in benchmark.scaledIterations {
            let snapshot = try! TicketSnapshot(path: snapshotPath)
            blackHole(TicketIndex(table: try! snapshot.loadTable()))
        }
    }

    // Where the time goes: one core reading every ticket, and one core packing them.
    Benchmark("Cold start on one core, part 1: read 1M tickets from the snapshot", configuration: .init(
        timeUnits: .milliseconds, maxDuration: .seconds(30), maxIterations: 3,
        setup: { snapshotPath = millionTicketSnapshot() })) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! TicketSnapshot(path: snapshotPath).loadAll())
        }
    }

    nonisolated(unsafe) var loaded: [Ticket] = []
    Benchmark("Cold start on one core, part 2: build the index of 1M tickets", configuration: .init(
        timeUnits: .milliseconds, maxDuration: .seconds(30), maxIterations: 3,
        setup: { loaded = try! TicketSnapshot(path: millionTicketSnapshot()).loadAll() })) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(TicketIndex(tickets: loaded))
        }
    }

    Benchmark("Full ingest: 1M tickets from the vivenu fake into the snapshot and index", configuration: .init(
        metrics: [.wallClock, .peakMemoryResident], timeUnits: .seconds, maxDuration: .seconds(120), maxIterations: 1)) { benchmark in
        let event = DemoEvent(count: 1_000_000, now: Timestamp(millisecondsSince1970: 1_800_000_000_000))
        let fake = VivenuFake(token: "t", eventID: DemoEvent.eventID, tickets: event.tickets)
        _ = blocking { try await fake.start() }
        let snapshot = try! TicketSnapshot(path: scratch("tickets.sqlite"))
        let backend = VivenuBackend(
            settings: VivenuSettings(baseURL: fake.baseURL, token: "t", eventID: DemoEvent.eventID, deviceID: "bench"),
            context: BackendContext(serverNow: { fake.now }, observeServerTime: { _ in }))
        benchmark.startMeasurement()
        let cursor = blocking {
            try await backend.sync(from: .initial) { page in
                try snapshot.store(page.tickets, cursor: page.cursor, backend: "bench")
            }
        }
        blackHole(TicketIndex(table: try! snapshot.loadTable()))
        benchmark.stopMeasurement()
        precondition(cursor.fullLoadComplete && (try! snapshot.count()) == 1_000_000)
        blocking { await backend.shutdown(); try await fake.stop() }
    }

    Benchmark("Flush 10k queued scans to the vivenu fake", configuration: .init(
        timeUnits: .milliseconds, maxDuration: .seconds(60), maxIterations: 3)) { benchmark in
        let event = DemoEvent(count: 10_000, now: Timestamp(millisecondsSince1970: 1_800_000_000_000))
        let fake = VivenuFake(token: "t", eventID: DemoEvent.eventID, tickets: event.tickets)
        _ = blocking { try await fake.start() }
        let outbox = try! ScanOutbox(path: scratch("journal.sqlite"))
        try! outbox.appendNow((0..<10_000).map { record($0, ticketID: event.ticket($0).id) })
        let backend = VivenuBackend(
            settings: VivenuSettings(baseURL: fake.baseURL, token: "t", eventID: DemoEvent.eventID, deviceID: "bench"),
            context: BackendContext(serverNow: { fake.now }, observeServerTime: { _ in }))
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
