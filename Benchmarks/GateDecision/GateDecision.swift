import AdmitCore
import AdmitFakes
import Benchmark
import Foundation

// Decision latency at 10 k, 100 k and 1 M tickets, one sample per call: `Gate.decide` (index
// lookup + policy + ledger), `TicketIndex.lookup` alone, and the baseline other gate apps
// decide with, an indexed SQLite lookup through the sqlite3 C API (SQLiteTicketLookup.swift),
// all three on the same barcodes in the same order. The harness runs each benchmark in a
// process of its own, in order of name, so the three of a size run one after another.

/// The barcodes every suite reads, in the same fixed order.
struct BarcodeStream {
    /// 65 536 reads: nine in ten of known tickets, one in ten unknown, in a fixed random order.
    let barcodes: [String]
    private var position = 0

    init(tickets count: Int) {
        var generator = SplitMix(seed: 42)
        barcodes = (0..<65_536).map { _ in
            generator.next() % 10 == 0
                ? "UNKNOWN\(generator.next() % 1_000_000)" : DemoEvent.barcode(Int(generator.next() % UInt64(count)))
        }
    }

    /// The next barcode, from the start again after the last.
    mutating func next() -> String {
        position = (position + 1) & 65_535
        return barcodes[position]
    }
}

/// A gate over `count` demo tickets and the reads to give it, built once per benchmark.
final class GateFixture: @unchecked Sendable {
    var gate: Gate
    let index: TicketIndex
    var stream: BarcodeStream
    /// Scan ids are made by the scanner source when it reads, not by the decision: made
    /// up front, one per read, so formatting them is not measured.
    let scanIDs: [String]
    var instant: UInt64 = 0
    static let time = Timestamp(millisecondsSince1970: 1_800_000_000_000)

    init(tickets count: Int) {
        index = TicketIndex(tickets: DemoEvent(count: count, now: Self.time).tickets)
        gate = Gate(policy: GatePolicy(gateName: "bench", area: "north", debounceMilliseconds: 0), index: index)
        stream = BarcodeStream(tickets: count)
        scanIDs = (0..<Self.reads).map { "s\($0)" }
    }

    /// More than a run reads (warm-up and a million samples), so every read has a scan id of its own.
    static let reads = 1 << 21

    func decideNext() -> Decision? {
        instant += 1_000_000
        return gate.decide(Read(
            scanID: scanIDs[Int(instant / 1_000_000) & (Self.reads - 1)], rawBarcode: stream.next(), source: "bench",
            instant: MonotonicInstant(nanoseconds: instant), time: Self.time))
    }

    func lookupNext() -> Ticket? { index.lookup(stream.next()) }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let benchmarks: @Sendable () -> Void = {
    // One sample per call: scaledIterations is one lookup or one decision. Warm-up runs the
    // 65 536 barcodes once, so every suite starts with its caches (SQLite's pages, the
    // index's lines) as warm as the others'; then a million calls, so p99.99 stands on 100.
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        timeUnits: .nanoseconds, warmupIterations: 65_536,
        maxDuration: .seconds(60), maxIterations: 1_000_000)

    for count in [10_000, 100_000, 1_000_000] {
        let label = count >= 1_000_000 ? "\(count / 1_000_000)M" : "\(count / 1000)k"
        nonisolated(unsafe) var gateFixture: GateFixture!
        nonisolated(unsafe) var sqlite: SQLiteTicketLookup!
        nonisolated(unsafe) var stream = BarcodeStream(tickets: count)

        Benchmark("Decision \(label) tickets: Gate.decide", configuration: .init(setup: {
            gateFixture = GateFixture(tickets: count)
        }, teardown: { gateFixture = nil })) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(gateFixture.decideNext()) }
        }

        Benchmark("Decision \(label) tickets: TicketIndex.lookup", configuration: .init(setup: {
            gateFixture = GateFixture(tickets: count)
        }, teardown: { gateFixture = nil })) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(gateFixture.lookupNext()) }
        }

        Benchmark("Decision \(label) tickets: baseline sqlite3 lookup", configuration: .init(setup: {
            sqlite = try! SQLiteTicketLookup(tickets: count, now: GateFixture.time)
        }, teardown: { sqlite = nil })) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(sqlite.lookup(stream.next())) }
        }
    }

    Benchmark("Index bytes per ticket (1M)", configuration: .init(
        metrics: [.custom("bytes per ticket beyond barcode", polarity: .prefersSmaller, useScalingFactor: false)],
        warmupIterations: 0, maxDuration: .seconds(1), maxIterations: 1)) { benchmark in
        let tickets = DemoEvent(count: 1_000_000, now: Timestamp(millisecondsSince1970: 0)).tickets
        let table = TicketTable(tickets: tickets)
        let perTicket = (table.storageBytes - table.barcodeBytes) / table.count
        benchmark.measurement(.custom("bytes per ticket beyond barcode", polarity: .prefersSmaller, useScalingFactor: false), perTicket)
    }
}
