import AdmitCore
import AdmitFakes
import Benchmark
import Foundation
import GRDB

// Decision latency (lookup + policy) at 10 k, 100 k and 1 M tickets, beside the baseline
// other gate apps use: an indexed SQLite lookup of the same barcodes. Run both in the same
// process so the ratio holds on a noisy machine.

/// A gate and the barcodes to scan, built once per benchmark.
final class GateFixture: @unchecked Sendable {
    var gate: Gate
    let barcodes: [String]
    /// Scan ids are made by the scanner source when it reads, not by the decision: made
    /// up front, one per read, so formatting them is not measured.
    let scanIDs: [String]
    var next = 0
    var instant: UInt64 = 0
    let time = Timestamp(millisecondsSince1970: 1_800_000_000_000)

    init(tickets count: Int) {
        let event = DemoEvent(count: count, now: time)
        let index = TicketIndex(tickets: event.tickets)
        gate = Gate(policy: GatePolicy(gateName: "bench", area: "north", debounceMilliseconds: 0), index: index)
        barcodes = Self.barcodes(tickets: count)
        scanIDs = (0..<Self.reads).map { "s\($0)" }
    }

    /// More than a run reads (warm-up included), so every read has a scan id of its own.
    static let reads = 262_144

    /// 65 536 reads: nine in ten of known tickets, one in ten unknown, in a fixed random order.
    static func barcodes(tickets count: Int) -> [String] {
        var generator = SplitMix(seed: 42)
        return (0..<65_536).map { _ in
            generator.next() % 10 == 0 ? "UNKNOWN\(generator.next() % 1_000_000)" : DemoEvent.barcode(Int(generator.next() % UInt64(count)))
        }
    }

    func decideNext() -> Decision? {
        instant += 1_000_000
        next = (next + 1) & 65_535
        return gate.decide(Read(
            scanID: scanIDs[Int(instant / 1_000_000) & (Self.reads - 1)], rawBarcode: barcodes[next], source: "bench",
            instant: MonotonicInstant(nanoseconds: instant), time: time))
    }
}

/// The same tickets in an indexed SQLite table, looked up with a prepared statement.
final class SQLiteFixture: @unchecked Sendable {
    let queue: DatabaseQueue
    let barcodes: [String]
    var next = 0
    let path: String

    init(tickets count: Int, barcodes: [String]) throws {
        path = NSTemporaryDirectory() + "admit-bench-\(count).sqlite"
        try? FileManager.default.removeItem(atPath: path)
        queue = try DatabaseQueue(path: path)
        self.barcodes = barcodes
        let event = DemoEvent(count: count, now: Timestamp(millisecondsSince1970: 1_800_000_000_000))
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE ticket (barcode TEXT PRIMARY KEY, id TEXT, status INTEGER, type TEXT,
                  areas TEXT, valid_from INTEGER, valid_until INTEGER, entries INTEGER) WITHOUT ROWID
                """)
            let insert = try db.makeStatement(sql: "INSERT OR REPLACE INTO ticket VALUES (?,?,?,?,?,?,?,?)")
            for i in 0..<count {
                let t = event.ticket(i)
                try insert.execute(arguments: [t.barcode, t.id, Int(t.status.rawValue), t.typeName, t.areas.joined(separator: ","),
                                               t.validFrom?.millisecondsSince1970, t.validUntil?.millisecondsSince1970, t.entriesAllowed])
            }
        }
    }

    func lookupNext(_ db: Database, _ statement: Statement) throws -> Row? {
        next = (next + 1) & 65_535
        return try Row.fetchOne(statement, arguments: [barcodes[next]])
    }
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
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds, warmupIterations: 1000,
        maxDuration: .seconds(3), maxIterations: 200_000)

    for count in [10_000, 100_000, 1_000_000] {
        let label = count >= 1_000_000 ? "\(count / 1_000_000)M" : "\(count / 1000)k"
        nonisolated(unsafe) var gateFixture: GateFixture!
        nonisolated(unsafe) var sqliteFixture: SQLiteFixture!

        Benchmark("Decision \(label) tickets (index + policy)", configuration: .init(setup: {
            gateFixture = GateFixture(tickets: count)
        }, teardown: { gateFixture = nil })) { benchmark in
            for _ in benchmark.scaledIterations { blackHole(gateFixture.decideNext()) }
        }

        Benchmark("Baseline: SQLite indexed lookup \(label) tickets", configuration: .init(setup: {
            sqliteFixture = try! SQLiteFixture(tickets: count, barcodes: GateFixture.barcodes(tickets: count))
        }, teardown: { sqliteFixture = nil })) { benchmark in
            try sqliteFixture.queue.read { db in
                let statement = try db.cachedStatement(sql: "SELECT * FROM ticket WHERE barcode = ?")
                for _ in benchmark.scaledIterations { blackHole(try sqliteFixture.lookupNext(db, statement)) }
            }
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
