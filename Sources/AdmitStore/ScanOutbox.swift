import AdmitCore
import Dispatch
import GRDB
import Synchronization

/// The durable scan journal and upload outbox, in `journal.sqlite` (WAL, synchronous FULL).
///
/// Every decision is appended here before the relay may move. Appends that arrive while a
/// commit is on its way to disk wait and share the next commit (group commit), so a burst
/// of scans costs one fsync, not one each. The same file holds the redemption ledger, so a
/// restart rebuilds exactly who went in.
public final class ScanOutbox: Sendable {
    /// Where a scan stands with the backend.
    public enum UploadState: Int, Sendable {
        case pending = 0, uploaded = 1, rejected = 2, skipped = 3
    }

    private struct Waiting {
        var record: ScanRecord
        var completion: @Sendable (Result<Void, any Error>) -> Void
    }

    private let pool: DatabasePool
    /// The database file.
    public let path: String
    private let writer = DispatchQueue(label: "admit.journal", qos: .userInteractive)
    private let waiting = Mutex<(items: [Waiting], writing: Bool)>(([], false))
    private let pending: Atomic<Int>
    private let commits = Atomic<Int>(0)

    /// Opens (or creates) the journal at `path`.
    public init(path: String) throws(StoreError) {
        self.path = path
        pool = try storeOperation("open the scan journal", path: path) {
            let pool = try StoreFiles.open(path: path, durable: true)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.execute(sql: """
                    CREATE TABLE scan (
                      seq INTEGER PRIMARY KEY AUTOINCREMENT, scan_id TEXT NOT NULL UNIQUE,
                      barcode TEXT NOT NULL, ticket_id TEXT, ticket_type_id TEXT, gate TEXT NOT NULL, direction TEXT NOT NULL,
                      outcome TEXT NOT NULL, reason TEXT, time INTEGER NOT NULL, source TEXT NOT NULL,
                      state INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
                      last_error TEXT, uploaded_at INTEGER);
                    CREATE INDEX scan_pending ON scan (state, seq);
                    CREATE TABLE redemption (
                      scan_id TEXT PRIMARY KEY NOT NULL, barcode TEXT NOT NULL, ticket_id TEXT,
                      gate TEXT NOT NULL, direction TEXT NOT NULL, time INTEGER NOT NULL,
                      origin TEXT NOT NULL) WITHOUT ROWID;
                    """)
            }
            migrator.registerMigration("v2 mirror cursors") { db in
                // How far each mirror (a second destination for copies of the scans) got.
                try db.execute(sql: "CREATE TABLE mirror_cursor (name TEXT PRIMARY KEY NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID")
            }
            migrator.registerMigration("v3 mesh") { db in try Self.migrateMesh(db) }
            try migrator.migrate(pool)
            return pool
        }
        let opened = pool
        let count = try storeOperation("count pending scans", path: path) {
            try opened.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM scan WHERE state = 0") ?? 0 }
        }
        pending = Atomic(count)
    }

    /// Appends a scan (and its redemption, when it admitted someone); `completion` runs once
    /// the commit holding it is on disk, or with the error that kept it off.
    public func append(_ record: ScanRecord, completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        let startWriter = waiting.withLock { state -> Bool in
            state.items.append(Waiting(record: record, completion: completion))
            if state.writing { return false }
            state.writing = true
            return true
        }
        if startWriter { writer.async { self.drain() } }
    }

    /// Appends scans and waits for the commit (tests, imports).
    public func appendNow(_ records: [ScanRecord]) throws(StoreError) {
        try storeOperation("record \(records.count) scans", path: path) {
            try pool.write { db in try insert(records, db) }
        }
        pending.add(records.filter { !$0.settledInRealtime }.count, ordering: .relaxed)
    }

    /// Scans waiting for upload.
    public func pendingCount() -> Int { pending.load(ordering: .relaxed) }

    /// SQLite's `synchronous` level on the connection that appends: 2 (FULL) means every
    /// commit is fsync'ed before `append` completes.
    public func synchronousLevel() throws(StoreError) -> Int {
        try storeOperation("read the synchronous level", path: path) { try StoreFiles.synchronousLevel(pool) }
    }

    /// Commits made so far (group commit makes this smaller than the number of scans).
    public var commitCount: Int { commits.load(ordering: .relaxed) }

    func poolRead<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }
    func poolWrite<T>(_ body: (Database) throws -> T) throws -> T { try pool.write(body) }
    func adjustPending(by delta: Int) { pending.add(delta, ordering: .relaxed) }

    private func drain() {
        while true {
            let batch = waiting.withLock { state -> [Waiting] in
                let items = state.items
                state.items.removeAll(keepingCapacity: true)
                if items.isEmpty { state.writing = false }
                return items
            }
            if batch.isEmpty { return }
            do {
                try pool.write { db in try insert(batch.map(\.record), db) }
                commits.add(1, ordering: .relaxed)
                pending.add(batch.filter { !$0.record.settledInRealtime }.count, ordering: .relaxed)
                for item in batch { item.completion(.success(())) }
            } catch {
                let failure = StoreError("record \(batch.count) scans", path: path, reason: "\(error)")
                for item in batch { item.completion(.failure(failure)) }
            }
        }
    }

    private func insert(_ records: [ScanRecord], _ db: Database) throws {
        let scan = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO scan (scan_id, barcode, ticket_id, ticket_type_id, gate, direction, outcome, reason, time, source, state)
            VALUES (?,?,?,?,?,?,?,?,?,?,?)
            """)
        for r in records {
            try scan.execute(arguments: [
                r.scanID, r.barcode, r.ticketID, r.ticketTypeID, r.gate, r.direction.rawValue, r.outcome.rawValue,
                r.reasonCode, r.time.millisecondsSince1970, r.source,
                r.settledInRealtime ? UploadState.uploaded.rawValue : UploadState.pending.rawValue,
            ])
            if let redemption = r.redemption { try insertRedemption(redemption, db) }
        }
    }

    private func insertRedemption(_ e: RedemptionEvent, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO redemption (scan_id, barcode, ticket_id, gate, direction, time, origin)
            VALUES (?,?,?,?,?,?,?)
            """).execute(arguments: [e.scanID, e.barcode, e.ticketID, e.gate, e.direction.rawValue, e.time.millisecondsSince1970, e.origin.rawValue])
    }
}
