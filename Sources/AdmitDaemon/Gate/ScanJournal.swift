import AdmitCore
import AdmitStore
import Synchronization

/// Where decisions are recorded before anything moves: the durable scan outbox.
///
/// `append` must call `completion` only once the record is on stable storage (or has
/// failed to get there); implementations group concurrent appends into one commit.
public protocol ScanJournal: Sendable {
    /// Records one scan durably, then calls `completion` on any queue.
    func append(_ record: ScanRecord, completion: @escaping @Sendable (Result<Void, any Error>) -> Void)
    /// Scans recorded but not yet acknowledged by the backend.
    func pendingCount() -> Int
    /// Takes back the redemption a GRANTED scan recorded (a visitor who did not pass), so a
    /// restart does not rebuild it. The scan itself stays in the journal.
    func revokeRedemption(scanID: String) throws(StoreError)
}

/// A journal in memory, for tests that need no disk. Loses everything on exit.
public final class MemoryScanJournal: ScanJournal {
    private let records = Mutex<[ScanRecord]>([])
    private let revoked = Mutex<Set<String>>([])

    /// An empty journal.
    public init() {}

    public func append(_ record: ScanRecord, completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        records.withLock { $0.append(record) }
        completion(.success(()))
    }

    public func pendingCount() -> Int { records.withLock { $0.count } }

    public func revokeRedemption(scanID: String) throws(StoreError) {
        _ = revoked.withLock { $0.insert(scanID) }
    }

    /// Scans whose redemption was taken back.
    public var revokedScanIDs: Set<String> { revoked.withLock { $0 } }

    /// Everything recorded so far.
    public var all: [ScanRecord] { records.withLock { $0 } }
}
