import AdmitCore
import GRDB

/// Mirrors: second destinations fed from the journal with a cursor each (by journal order),
/// apart from the upload state the backend's own upload keeps.
extension ScanOutbox {
    /// The next scans for mirror `name` after its cursor, oldest first, at most `max`, and the
    /// cursor to store once the mirror took them (nil when there is nothing new).
    public func mirrorBatch(_ name: String, max: Int) throws(StoreError) -> (scans: [ScanRecord], through: Int64?) {
        try storeOperation("read scans for \(name)", path: path) {
            try poolRead { db in
                let cursor = try Int64.fetchOne(db, sql: "SELECT seq FROM mirror_cursor WHERE name = ?", arguments: [name]) ?? 0
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM scan WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [cursor, max])
                return (rows.map(Self.record), rows.last.map { $0["seq"] })
            }
        }
    }

    /// Moves mirror `name`'s cursor to `seq` (never backwards).
    public func advanceMirror(_ name: String, through seq: Int64) throws(StoreError) {
        try storeOperation("advance the cursor of \(name)", path: path) {
            try poolWrite { db in
                try db.execute(sql: """
                    INSERT INTO mirror_cursor (name, seq) VALUES (?, ?)
                    ON CONFLICT (name) DO UPDATE SET seq = max(seq, excluded.seq)
                    """, arguments: [name, seq])
            }
        }
    }
}
