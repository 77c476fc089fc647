import AdmitCore
import Foundation
import GRDB
import Synchronization

/// The downloaded tickets and the sync cursor, in `tickets.sqlite`.
///
/// Kept in its own file, apart from the scan journal, so that writing a page of a large
/// sync never holds the lock the gate's scan commits need. Pages and the cursor that
/// describes them are written in one transaction.
public final class TicketSnapshot: Sendable {
    private let pool: DatabasePool
    /// The database file.
    public let path: String
    private static let areaSeparator = "\u{1F}"

    /// The areas stored joined by the unit separator. A plain split by character: on a cold
    /// start with 1 M tickets Foundation's `components(separatedBy:)` was half of the load.
    private static func splitAreas(_ joined: String) -> [String] {
        joined.utf8.split(separator: 0x1F, omittingEmptySubsequences: false).map { String(Substring($0)) }
    }

    /// Opens (or creates) the snapshot at `path`.
    public init(path: String) throws(StoreError) {
        self.path = path
        pool = try storeOperation("open the ticket snapshot", path: path) {
            let pool = try StoreFiles.open(path: path, durable: false)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.execute(sql: """
                    CREATE TABLE ticket (
                      barcode TEXT PRIMARY KEY NOT NULL, id TEXT NOT NULL, status INTEGER NOT NULL,
                      type_name TEXT NOT NULL, type_id TEXT NOT NULL, category TEXT NOT NULL, areas TEXT NOT NULL,
                      valid_from INTEGER, valid_until INTEGER, entries_allowed INTEGER NOT NULL,
                      message TEXT, load_number INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE TABLE sync_cursor (backend TEXT PRIMARY KEY NOT NULL, cursor TEXT NOT NULL);
                    """)
            }
            try migrator.migrate(pool)
            return pool
        }
    }

    /// The cursor for `backend` (an identity such as "vivenu:EVENTID"). When the snapshot
    /// belongs to another backend or event, it is emptied and the initial cursor returned.
    public func cursor(backend: String) throws(StoreError) -> SyncCursor {
        try storeOperation("read the sync cursor", path: path) {
            try pool.write { db in
                let rows = try Row.fetchAll(db, sql: "SELECT backend, cursor FROM sync_cursor")
                if let row = rows.first(where: { $0["backend"] == backend }) {
                    let json: String = row["cursor"]
                    return try JSONDecoder().decode(SyncCursor.self, from: Data(json.utf8))
                }
                if !rows.isEmpty {
                    try db.execute(sql: "DELETE FROM ticket; DELETE FROM sync_cursor")
                }
                return SyncCursor.initial
            }
        }
    }

    /// The latest backend time any stored cursor holds (its delta window start), if any:
    /// a lower bound for the backend's clock when the kiosk's own clock cannot be trusted.
    public func latestServerTime() throws(StoreError) -> Timestamp? {
        try storeOperation("read the sync cursors", path: path) {
            try pool.read { db in
                try String.fetchAll(db, sql: "SELECT cursor FROM sync_cursor")
                    .compactMap { try? JSONDecoder().decode(SyncCursor.self, from: Data($0.utf8)).windowStart }
                    .max()
            }
        }
    }

    /// Stores a page of tickets (upserts), removals, and the cursor after them, atomically.
    public func store(_ tickets: [Ticket], removedBarcodes: [String] = [], cursor: SyncCursor, backend: String) throws(StoreError) {
        try storeOperation("store \(tickets.count) tickets", path: path) {
            try pool.write { db in
                let upsert = try db.cachedStatement(sql: """
                    INSERT OR REPLACE INTO ticket (barcode, id, status, type_name, type_id, category, areas,
                      valid_from, valid_until, entries_allowed, message, load_number)
                    VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
                    """)
                for t in tickets {
                    try upsert.execute(arguments: [
                        t.barcode, t.id, Int(t.status.rawValue), t.typeName, t.typeID, t.category,
                        t.areas.joined(separator: Self.areaSeparator), t.validFrom?.millisecondsSince1970,
                        t.validUntil?.millisecondsSince1970, t.entriesAllowed, t.message, cursor.loadNumber,
                    ])
                }
                let delete = try db.cachedStatement(sql: "DELETE FROM ticket WHERE barcode = ?")
                for barcode in removedBarcodes { try delete.execute(arguments: [barcode]) }
                try save(cursor, backend: backend, db)
            }
        }
    }

    /// Completes a full load: tickets not seen in it are removed, and the cursor saved.
    /// Returns the barcodes removed.
    @discardableResult
    public func completeFullLoad(cursor: SyncCursor, backend: String) throws(StoreError) -> [String] {
        try storeOperation("complete the full load", path: path) {
            try pool.write { db in
                let stale = try String.fetchAll(db, sql: "SELECT barcode FROM ticket WHERE load_number <> ?", arguments: [cursor.loadNumber])
                try db.execute(sql: "DELETE FROM ticket WHERE load_number <> ?", arguments: [cursor.loadNumber])
                try save(cursor, backend: backend, db)
                return stale
            }
        }
    }

    /// Saves the cursor alone (e.g. an empty delta moved the window).
    public func saveCursor(_ cursor: SyncCursor, backend: String) throws(StoreError) {
        try storeOperation("save the sync cursor", path: path) {
            try pool.write { db in try save(cursor, backend: backend, db) }
        }
    }

    /// Every stored ticket.
    public func loadAll() throws(StoreError) -> [Ticket] {
        try storeOperation("load the tickets", path: path) {
            try pool.read { db in
                var tickets: [Ticket] = []
                let rows = try Row.fetchCursor(db, sql: "SELECT \(Self.columns) FROM ticket")
                while let row = try rows.next() { tickets.append(Self.ticket(row)) }
                return tickets
            }
        }
    }

    /// The compact table of every stored ticket, for the gate's index. The tickets are read
    /// in `parts` barcode ranges side by side, one per core, each packed by its own builder.
    /// Meant for start-up and for the syncer after a full load, when nothing else writes
    /// the snapshot (each range is its own read transaction).
    public func loadTable(parts: Int = 2) throws(StoreError) -> TicketTable {
        try storeOperation("load the tickets", path: path) {
            let bounds = try pool.read { db -> [String] in
                let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM ticket") ?? 0
                guard parts > 1, count >= 10_000 else { return [] }
                return try (1..<parts).compactMap { k in
                    try String.fetchOne(db, sql: "SELECT barcode FROM ticket ORDER BY barcode LIMIT 1 OFFSET ?", arguments: [count * k / parts])
                }
            }
            let ranges = Array(zip([nil] + bounds.map(Optional.some), bounds.map(Optional.some) + [nil]))
            let results = Mutex<[Int: Result<TicketTableBuilder, any Error>]>([:])
            DispatchQueue.concurrentPerform(iterations: ranges.count) { part in
                let (low, high) = ranges[part]
                let result = Result { try pool.read { db in try Self.build(db, from: low, to: high) } }
                results.withLock { $0[part] = result }
            }
            let builders = try results.withLock { done in try (0..<ranges.count).map { try done[$0]!.get() } }
            return TicketTable(building: builders)
        }
    }

    private static let columns = "barcode, id, status, type_name, category, areas, valid_from, valid_until, entries_allowed, message, type_id"

    private static func build(_ db: Database, from low: String?, to high: String?) throws -> TicketTableBuilder {
        var conditions: [String] = []
        var arguments: [String] = []
        if let low { conditions.append("barcode >= ?"); arguments.append(low) }
        if let high { conditions.append("barcode < ?"); arguments.append(high) }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        var builder = TicketTableBuilder(capacity: 1024)
        let rows = try Row.fetchCursor(db, sql: "SELECT \(columns) FROM ticket" + filter, arguments: StatementArguments(arguments))
        while let row = try rows.next() { builder.append(ticket(row)) }
        return builder
    }

    private static func ticket(_ row: Row) -> Ticket {
        let areas: String = row[5]
        return Ticket(
            id: row[1], barcode: row[0], status: TicketStatus(rawValue: UInt8(row[2] as Int)) ?? .blocked,
            typeName: row[3], typeID: row[10], category: row[4],
            areas: areas.isEmpty ? [] : splitAreas(areas),
            validFrom: (row[6] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
            validUntil: (row[7] as Int64?).map(Timestamp.init(millisecondsSince1970:)),
            entriesAllowed: row[8], message: row[9])
    }

    /// Number of stored tickets.
    public func count() throws(StoreError) -> Int {
        try storeOperation("count the tickets", path: path) {
            try pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM ticket") ?? 0 }
        }
    }

    private func save(_ cursor: SyncCursor, backend: String, _ db: Database) throws {
        let json = String(decoding: try JSONEncoder().encode(cursor), as: UTF8.self)
        try db.execute(sql: "INSERT OR REPLACE INTO sync_cursor (backend, cursor) VALUES (?, ?)", arguments: [backend, json])
    }
}
