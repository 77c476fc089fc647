import AdmitCore
import AdmitFakes
import Foundation
import GRDBSQLite

/// What a decision needs from a ticket row, read straight off SQLite's column accessors.
/// Text columns are read (pointer and length) but not copied into Swift strings, so the
/// baseline pays for SQLite and nothing of ours.
struct SQLiteTicketFacts {
    var status: Int32
    var validFrom: Int64?
    var validUntil: Int64?
    var entriesAllowed: Int64
    var idBytes: Int32
    var typeBytes: Int32
    var areasBytes: Int32
    var messageBytes: Int32
}

/// A failed sqlite3 call: which one, and SQLite's message.
struct SQLiteFailure: Error, CustomStringConvertible {
    var operation: String
    var code: Int32
    var message: String
    var description: String { "\(operation) failed (\(code)): \(message)" }
}

/// The lean SQLite baseline: the same tickets in an indexed table (barcode is the primary
/// key of a WITHOUT ROWID table, so the row sits in the index's own leaf), looked up through
/// the sqlite3 C API with one statement prepared once: per lookup `sqlite3_bind_text`,
/// `sqlite3_step`, the few columns a decision reads, `sqlite3_reset`. The page cache is
/// sized to hold the whole table, as the index holds every ticket in memory.
///
/// Owns its connection and statement and closes them in `deinit`. One thread at a time.
final class SQLiteTicketLookup {
    private let database: OpaquePointer
    private let statement: OpaquePointer
    /// The database file, removed in `deinit`.
    let path: String

    /// Writes `count` demo tickets (as `DemoEvent(count:now:)` makes them) into a new file,
    /// then opens it read-only and prepares the lookup.
    init(tickets count: Int, now: Timestamp) throws {
        path = NSTemporaryDirectory() + "admit-bench-sqlite3-\(count)-\(getpid()).sqlite"
        try? FileManager.default.removeItem(atPath: path)
        try Self.write(DemoEvent(count: count, now: now), to: path)

        var handle: OpaquePointer?
        let opened = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard let handle else { throw SQLiteFailure(operation: "sqlite3_open_v2 \(path)", code: opened, message: "no handle") }
        database = handle
        guard opened == SQLITE_OK else { throw Self.failure("sqlite3_open_v2 \(path)", opened, handle) }
        try Self.execute("PRAGMA cache_size = -262144", on: handle)  // 256 MiB: the whole table at 1 M
        var prepared: OpaquePointer?
        let sql = """
            SELECT id, status, type, areas, valid_from, valid_until, entries, message
            FROM ticket WHERE barcode = ?1
            """
        let code = sqlite3_prepare_v2(handle, sql, -1, &prepared, nil)
        guard code == SQLITE_OK, let prepared else {
            sqlite3_close_v2(handle)
            throw Self.failure("sqlite3_prepare_v2", code, handle)
        }
        statement = prepared
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close_v2(database)
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Looks one barcode up: bind, step, read the columns, reset. Nil when unknown.
    func lookup(_ barcode: String) -> SQLiteTicketFacts? {
        var barcode = barcode
        return barcode.withUTF8 { bytes in
            // SQLITE_STATIC (a nil destructor): the bytes outlive the step, so SQLite copies nothing.
            let text = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
            sqlite3_bind_text(statement, 1, text, Int32(bytes.count), nil)
            defer { sqlite3_reset(statement) }
            guard sqlite3_step(statement) == SQLITE_ROW else { return nil }
            _ = sqlite3_column_text(statement, 0)
            _ = sqlite3_column_text(statement, 2)
            _ = sqlite3_column_text(statement, 3)
            _ = sqlite3_column_text(statement, 7)
            return SQLiteTicketFacts(
                status: sqlite3_column_int(statement, 1),
                validFrom: optionalInteger(4), validUntil: optionalInteger(5),
                entriesAllowed: sqlite3_column_int64(statement, 6),
                idBytes: sqlite3_column_bytes(statement, 0), typeBytes: sqlite3_column_bytes(statement, 2),
                areasBytes: sqlite3_column_bytes(statement, 3), messageBytes: sqlite3_column_bytes(statement, 7))
        }
    }

    private func optionalInteger(_ column: Int32) -> Int64? {
        sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, column)
    }

    /// Creates the table and fills it in one transaction.
    private static func write(_ event: DemoEvent, to path: String) throws {
        var handle: OpaquePointer?
        let opened = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard let handle else { throw SQLiteFailure(operation: "sqlite3_open_v2 \(path)", code: opened, message: "no handle") }
        defer { sqlite3_close_v2(handle) }
        guard opened == SQLITE_OK else { throw failure("sqlite3_open_v2 \(path)", opened, handle) }
        try execute("""
            CREATE TABLE ticket (barcode TEXT PRIMARY KEY, id TEXT NOT NULL, status INTEGER NOT NULL,
              type TEXT NOT NULL, areas TEXT NOT NULL, valid_from INTEGER, valid_until INTEGER,
              entries INTEGER NOT NULL, message TEXT) WITHOUT ROWID
            """, on: handle)
        try execute("BEGIN", on: handle)
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, "INSERT OR REPLACE INTO ticket VALUES (?,?,?,?,?,?,?,?,?)", -1, &prepared, nil)
        guard code == SQLITE_OK, let insert = prepared else { throw failure("sqlite3_prepare_v2 INSERT", code, handle) }
        defer { sqlite3_finalize(insert) }
        // SQLITE_TRANSIENT: SQLite copies the text, since the Swift strings die after the bind.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for i in 0..<event.count {
            let t = event.ticket(i)
            sqlite3_bind_text(insert, 1, t.barcode, -1, transient)
            sqlite3_bind_text(insert, 2, t.id, -1, transient)
            sqlite3_bind_int(insert, 3, Int32(t.status.rawValue))
            sqlite3_bind_text(insert, 4, t.typeName, -1, transient)
            sqlite3_bind_text(insert, 5, t.areas.joined(separator: ","), -1, transient)
            if let from = t.validFrom { sqlite3_bind_int64(insert, 6, from.millisecondsSince1970) } else { sqlite3_bind_null(insert, 6) }
            if let until = t.validUntil { sqlite3_bind_int64(insert, 7, until.millisecondsSince1970) } else { sqlite3_bind_null(insert, 7) }
            sqlite3_bind_int64(insert, 8, Int64(t.entriesAllowed))
            if let message = t.message { sqlite3_bind_text(insert, 9, message, -1, transient) } else { sqlite3_bind_null(insert, 9) }
            let stepped = sqlite3_step(insert)
            guard stepped == SQLITE_DONE else { throw failure("sqlite3_step INSERT", stepped, handle) }
            sqlite3_reset(insert)
        }
        try execute("COMMIT", on: handle)
    }

    private static func execute(_ sql: String, on handle: OpaquePointer) throws {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw failure("sqlite3_exec \(sql.prefix(40))", code, handle) }
    }

    private static func failure(_ operation: String, _ code: Int32, _ handle: OpaquePointer) -> SQLiteFailure {
        SQLiteFailure(operation: operation, code: code, message: String(cString: sqlite3_errmsg(handle)))
    }
}
