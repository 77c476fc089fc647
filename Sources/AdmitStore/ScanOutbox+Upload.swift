import AdmitCore
import GRDB

/// The outbox side: what the flusher reads and marks.
extension ScanOutbox {
    /// A scan as stored, with its upload bookkeeping.
    public struct StoredScan: Sendable, Equatable {
        public var record: ScanRecord
        public var state: UploadState
        public var attempts: Int
        public var lastError: String?
    }

    /// The oldest pending scans, in the order they were read, at most `max`.
    public func claimBatch(max: Int) throws(StoreError) -> [ScanRecord] {
        try storeOperation("read pending scans", path: path) {
            try poolRead { db in
                try Row.fetchAll(db, sql: "SELECT * FROM scan WHERE state = 0 ORDER BY seq LIMIT ?", arguments: [max]).map(Self.record)
            }
        }
    }

    /// Marks scans as settled with the backend (uploaded, rejected for good, or skipped
    /// because the backend does not take that kind of scan), with a note for rejections.
    public func settle(_ outcomes: [(scanID: String, state: UploadState, note: String?)], at time: Timestamp?) throws(StoreError) {
        guard !outcomes.isEmpty else { return }
        let changed = try storeOperation("mark \(outcomes.count) scans as settled", path: path) {
            try poolWrite { db -> Int in
                let statement = try db.cachedStatement(sql: """
                    UPDATE scan SET state = ?, last_error = coalesce(?, last_error), uploaded_at = ?,
                      attempts = attempts + 1 WHERE scan_id = ? AND state = 0
                    """)
                var changed = 0
                for o in outcomes {
                    try statement.execute(arguments: [o.state.rawValue, o.note, time?.millisecondsSince1970, o.scanID])
                    changed += db.changesCount
                }
                return changed
            }
        }
        adjustPending(by: -changed)
    }

    /// Counts a failed attempt for these scans; they stay pending.
    public func recordAttempt(_ scanIDs: [String], error: String) throws(StoreError) {
        try storeOperation("record an upload attempt", path: path) {
            try poolWrite { db in
                let statement = try db.cachedStatement(sql: "UPDATE scan SET attempts = attempts + 1, last_error = ? WHERE scan_id = ?")
                for id in scanIDs { try statement.execute(arguments: [error, id]) }
            }
        }
    }

    /// The time of the oldest pending scan, if any.
    public func oldestPendingTime() throws(StoreError) -> Timestamp? {
        try storeOperation("read the oldest pending scan", path: path) {
            try poolRead { db in
                try Int64.fetchOne(db, sql: "SELECT time FROM scan WHERE state = 0 ORDER BY seq LIMIT 1")
                    .map(Timestamp.init(millisecondsSince1970:))
            }
        }
    }

    /// Every scan, oldest first (tests, audits).
    public func allScans() throws(StoreError) -> [StoredScan] {
        try storeOperation("read the scans", path: path) {
            try poolRead { db in
                try Row.fetchAll(db, sql: "SELECT * FROM scan ORDER BY seq").map {
                    StoredScan(record: Self.record($0), state: UploadState(rawValue: $0["state"]) ?? .pending,
                               attempts: $0["attempts"], lastError: $0["last_error"])
                }
            }
        }
    }

    /// Scans the backend refused, newest first, for `status` and `recent`.
    public func rejectedScans(limit: Int) throws(StoreError) -> [StoredScan] {
        try storeOperation("read rejected scans", path: path) {
            try poolRead { db in
                try Row.fetchAll(db, sql: "SELECT * FROM scan WHERE state = 2 ORDER BY seq DESC LIMIT ?", arguments: [limit]).map {
                    StoredScan(record: Self.record($0), state: .rejected, attempts: $0["attempts"], lastError: $0["last_error"])
                }
            }
        }
    }

    /// The backend's time of the latest acknowledged upload, if any (`settle` stores the
    /// server time): a lower bound for the backend's clock after a restart.
    public func latestServerTime() throws(StoreError) -> Timestamp? {
        try storeOperation("read the last upload time", path: path) {
            try poolRead { db in
                try Int64.fetchOne(db, sql: "SELECT max(uploaded_at) FROM (SELECT uploaded_at FROM scan ORDER BY seq DESC LIMIT 1000)")
                    .map(Timestamp.init(millisecondsSince1970:))
            }
        }
    }

    /// Every known redemption (local, from syncs, from other gates), to rebuild the ledger.
    public func loadRedemptions() throws(StoreError) -> [RedemptionEvent] {
        try storeOperation("load the redemptions", path: path) {
            try poolRead { db in
                try Row.fetchAll(db, sql: "SELECT * FROM redemption").map {
                    RedemptionEvent(
                        scanID: $0["scan_id"], barcode: $0["barcode"], ticketID: $0["ticket_id"], gate: $0["gate"],
                        direction: Direction(rawValue: $0["direction"]) ?? .in,
                        time: Timestamp(millisecondsSince1970: $0["time"]),
                        origin: RedemptionOrigin(rawValue: $0["origin"]) ?? .backend)
                }
            }
        }
    }

    /// Stores redemptions learned from a sync or another gate (idempotent by scan id).
    public func recordRedemptions(_ events: [RedemptionEvent]) throws(StoreError) {
        guard !events.isEmpty else { return }
        try storeOperation("store \(events.count) redemptions", path: path) {
            try poolWrite { db in
                let statement = try db.cachedStatement(sql: """
                    INSERT OR IGNORE INTO redemption (scan_id, barcode, ticket_id, gate, direction, time, origin)
                    VALUES (?,?,?,?,?,?,?)
                    """)
                for e in events {
                    try statement.execute(arguments: [e.scanID, e.barcode, e.ticketID, e.gate, e.direction.rawValue, e.time.millisecondsSince1970, e.origin.rawValue])
                }
            }
        }
    }

    /// Removes a redemption (a visitor who turned back at the turnstile).
    public func revokeRedemption(scanID: String) throws(StoreError) {
        try storeOperation("revoke a redemption", path: path) {
            try poolWrite { db in
                try Self.recordRevocation(scanID: scanID, db)
                try db.execute(sql: "DELETE FROM redemption WHERE scan_id = ?", arguments: [scanID])
            }
        }
    }

    static func record(_ row: Row) -> ScanRecord {
        ScanRecord(
            scanID: row["scan_id"], barcode: row["barcode"], ticketID: row["ticket_id"], ticketTypeID: row["ticket_type_id"], gate: row["gate"],
            direction: Direction(rawValue: row["direction"]) ?? .in, outcome: Outcome(rawValue: row["outcome"]) ?? .denied,
            reasonCode: row["reason"], time: Timestamp(millisecondsSince1970: row["time"]), source: row["source"])
    }
}
