import AdmitCore
import GRDB

/// What `status` and `recent` read about uploads: where given scans stand, and how many the
/// backend refused.
extension ScanOutbox {
    /// Where one scan stands with the backend.
    public struct UploadStatus: Sendable, Equatable {
        /// Pending, uploaded, rejected or skipped.
        public var state: UploadState
        /// Upload attempts so far.
        public var attempts: Int
        /// The backend's reason for a rejected scan; the last failure for a pending one.
        public var lastError: String?
    }

    /// The upload status of each of `scanIDs` the journal holds (repeat reads have no record).
    public func uploadStatus(of scanIDs: [String]) throws(StoreError) -> [String: UploadStatus] {
        guard !scanIDs.isEmpty else { return [:] }
        return try storeOperation("read the upload state of \(scanIDs.count) scans", path: path) {
            try poolRead { db in
                var result: [String: UploadStatus] = [:]
                let statement = try db.cachedStatement(sql: "SELECT state, attempts, last_error FROM scan WHERE scan_id = ?")
                for id in scanIDs {
                    guard let row = try Row.fetchOne(statement, arguments: [id]) else { continue }
                    result[id] = UploadStatus(
                        state: UploadState(rawValue: row["state"]) ?? .pending, attempts: row["attempts"],
                        lastError: row["last_error"])
                }
                return result
            }
        }
    }

    /// How many scans the backend refused for good.
    public func rejectedCount() throws(StoreError) -> Int {
        try storeOperation("count rejected scans", path: path) {
            try poolRead { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scan WHERE state = 2") ?? 0 }
        }
    }
}

extension ScanOutbox.UploadState {
    /// The state in words, as `status` and `recent` report it.
    public var name: String {
        switch self {
        case .pending: "pending"
        case .uploaded: "uploaded"
        case .rejected: "rejected"
        case .skipped: "skipped"
        }
    }
}
