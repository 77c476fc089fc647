import AdmitCore
import GRDB

/// One of this gate's passages as the mesh publishes it, in journal order.
public enum MeshPassage: Sendable, Equatable {
    /// A GRANTED scan's redemption.
    case redemption(RedemptionEvent)
    /// A redemption taken back (the visitor did not pass).
    case revocation(scanID: String, barcode: String, gate: String, time: Timestamp)
}

/// A ticket two gates admitted while they could not hear each other, as recorded.
public struct MeshConflictRecord: Sendable, Equatable, Codable {
    /// The ticket's barcode.
    public var barcode: String
    /// The two passages (gate, scan id, time), the earlier first.
    public var first: RedemptionEvent
    /// The later one.
    public var second: RedemptionEvent

    /// A record.
    public init(barcode: String, first: RedemptionEvent, second: RedemptionEvent) {
        self.barcode = barcode
        self.first = first
        self.second = second
    }
}

/// The mesh's half of the journal: its publish cursor (over scans and revocations), the
/// stream sequence applied with what it applied, and the conflicts found.
extension ScanOutbox {
    static let meshScanCursor = "mesh-published-scan"
    static let meshRevocationCursor = "mesh-published-revocation"
    static let meshAppliedCursor = "mesh-applied"

    static func migrateMesh(_ db: Database) throws {
        // Revocations in journal order, so the mesh publishes them after their redemption.
        try db.execute(sql: """
            CREATE TABLE revocation (
              seq INTEGER PRIMARY KEY AUTOINCREMENT, scan_id TEXT NOT NULL, barcode TEXT NOT NULL,
              gate TEXT NOT NULL, time INTEGER NOT NULL);
            CREATE TABLE mesh_conflict (
              barcode TEXT PRIMARY KEY NOT NULL, first TEXT NOT NULL, second TEXT NOT NULL) WITHOUT ROWID;
            """)
    }

    static func recordRevocation(scanID: String, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO revocation (scan_id, barcode, gate, time)
            SELECT scan_id, barcode, gate, time FROM redemption WHERE scan_id = ? AND origin = 'local'
            """, arguments: [scanID])
    }

    /// The publish cursor: journal sequences of the last scan and revocation published.
    public func meshPublishCursor() throws(StoreError) -> (scan: Int64, revocation: Int64) {
        try storeOperation("read the mesh publish cursor", path: path) {
            try poolRead { db in (try Self.cursor(Self.meshScanCursor, db), try Self.cursor(Self.meshRevocationCursor, db)) }
        }
    }

    /// GRANTED scans and revocations after the cursor, at most `max` scans read; then the
    /// revocations whose scan is covered, so a revocation never precedes its redemption.
    public func meshUnpublished(after cursor: (scan: Int64, revocation: Int64), max: Int) throws(StoreError)
        -> (passages: [MeshPassage], through: (scan: Int64, revocation: Int64)?)
    {
        try storeOperation("read scans to publish to the mesh", path: path) {
            try poolRead { db in
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM scan WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [cursor.scan, max])
                let scanThrough: Int64 = rows.last?["seq"] ?? cursor.scan
                var passages = rows.map(Self.record).compactMap { $0.redemption }.map(MeshPassage.redemption)
                let revoked = try Row.fetchAll(db, sql: """
                    SELECT r.* FROM revocation r JOIN scan s ON s.scan_id = r.scan_id
                    WHERE r.seq > ? AND s.seq <= ? ORDER BY r.seq LIMIT ?
                    """, arguments: [cursor.revocation, scanThrough, max])
                let revocationThrough: Int64 = revoked.last?["seq"] ?? cursor.revocation
                passages += revoked.map {
                    .revocation(scanID: $0["scan_id"], barcode: $0["barcode"], gate: $0["gate"], time: Timestamp(millisecondsSince1970: $0["time"]))
                }
                if rows.isEmpty && revoked.isEmpty { return ([], nil) }
                return (passages, (scanThrough, revocationThrough))
            }
        }
    }

    /// Moves the publish cursor (never backwards).
    public func advanceMeshPublish(through cursor: (scan: Int64, revocation: Int64)) throws(StoreError) {
        try storeOperation("advance the mesh publish cursor", path: path) {
            try poolWrite { db in
                try Self.advance(Self.meshScanCursor, to: cursor.scan, db)
                try Self.advance(Self.meshRevocationCursor, to: cursor.revocation, db)
            }
        }
    }

    /// The newest stream sequence applied.
    public func meshAppliedSequence() throws(StoreError) -> UInt64 {
        try storeOperation("read the mesh sequence applied", path: path) {
            try poolRead { db in UInt64(try Self.cursor(Self.meshAppliedCursor, db)) }
        }
    }

    /// Applies other gates' redemptions and revocations and stores `sequence` as applied, in
    /// one transaction. Events about this gate's own scans (in its scan journal: its own
    /// messages coming back) are skipped. Returns what changed, for the gate's ledger.
    public func meshApply(_ passages: [MeshPassage], through sequence: UInt64) throws(StoreError) -> [MeshPassage] {
        try storeOperation("apply \(passages.count) mesh events", path: path) {
            try poolWrite { db in
                let own = try db.cachedStatement(sql: "SELECT 1 FROM scan WHERE scan_id = ?")
                let insert = try db.cachedStatement(sql: """
                    INSERT OR IGNORE INTO redemption (scan_id, barcode, ticket_id, gate, direction, time, origin)
                    VALUES (?,?,?,?,?,?,'peer')
                    """)
                let delete = try db.cachedStatement(sql: "DELETE FROM redemption WHERE scan_id = ? AND origin = 'peer'")
                var changed: [MeshPassage] = []
                for passage in passages {
                    switch passage {
                    case .redemption(let e):
                        if try Bool.fetchOne(own, arguments: [e.scanID]) == true { continue }
                        try insert.execute(arguments: [e.scanID, e.barcode, e.ticketID, e.gate, e.direction.rawValue, e.time.millisecondsSince1970])
                    case .revocation(let scanID, _, _, _):
                        if try Bool.fetchOne(own, arguments: [scanID]) == true { continue }
                        try delete.execute(arguments: [scanID])
                    }
                    if db.changesCount > 0 { changed.append(passage) }
                }
                try Self.advance(Self.meshAppliedCursor, to: Int64(sequence), db)
                return changed
            }
        }
    }

    /// Records a conflict; false (and nothing stored) when this ticket has one already.
    public func recordMeshConflict(_ conflict: MeshConflictRecord) throws(StoreError) -> Bool {
        try storeOperation("record a mesh conflict", path: path) {
            try poolWrite { db in
                let encode = { (e: RedemptionEvent) in "\(e.gate)\u{1F}\(e.scanID)\u{1F}\(e.time.millisecondsSince1970)" }
                try db.execute(
                    sql: "INSERT OR IGNORE INTO mesh_conflict (barcode, first, second) VALUES (?,?,?)",
                    arguments: [conflict.barcode, encode(conflict.first), encode(conflict.second)])
                return db.changesCount > 0
            }
        }
    }

    /// Every conflict recorded, by barcode.
    public func meshConflicts() throws(StoreError) -> [MeshConflictRecord] {
        try storeOperation("read the mesh conflicts", path: path) {
            try poolRead { db in
                try Row.fetchAll(db, sql: "SELECT * FROM mesh_conflict ORDER BY barcode").map { row in
                    let barcode: String = row["barcode"]
                    let decode = { (text: String) -> RedemptionEvent in
                        let parts = text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
                        return RedemptionEvent(
                            scanID: parts.count > 1 ? parts[1] : "", barcode: barcode, gate: parts.first ?? "", direction: .in,
                            time: Timestamp(millisecondsSince1970: parts.count > 2 ? Int64(parts[2]) ?? 0 : 0), origin: .peer)
                    }
                    return MeshConflictRecord(barcode: barcode, first: decode(row["first"]), second: decode(row["second"]))
                }
            }
        }
    }

    private static func cursor(_ name: String, _ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT seq FROM mirror_cursor WHERE name = ?", arguments: [name]) ?? 0
    }

    private static func advance(_ name: String, to seq: Int64, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO mirror_cursor (name, seq) VALUES (?, ?)
            ON CONFLICT (name) DO UPDATE SET seq = max(seq, excluded.seq)
            """, arguments: [name, seq])
    }
}
