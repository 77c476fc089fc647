import AdmitCore
import AdmitStore
import Foundation
import Synchronization
import Testing

func temporaryPath(_ name: String) -> String {
    let dir = NSTemporaryDirectory() + "admit-store-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir + "/" + name
}

func record(_ n: Int, granted: Bool = true, barcode: String? = nil) -> ScanRecord {
    ScanRecord(
        scanID: "scan-\(n)", barcode: barcode ?? "B\(n)", ticketID: "t\(n)", gate: "g", direction: .in,
        outcome: granted ? .granted : .denied, reasonCode: granted ? nil : "unknown_ticket",
        time: Timestamp(millisecondsSince1970: 1_800_000_000_000 + Int64(n)), source: "test")
}

@Suite struct ScanOutboxTests {
    @Test func appendsAreDurableAndSurviveReopening() throws {
        let path = temporaryPath("journal.sqlite")
        do {
            let outbox = try ScanOutbox(path: path)
            try outbox.appendNow([record(1), record(2, granted: false)])
        }
        let reopened = try ScanOutbox(path: path)
        #expect(reopened.pendingCount() == 2)
        #expect(try reopened.allScans().map(\.record) == [record(1), record(2, granted: false)])
        #expect(try reopened.loadRedemptions().map(\.scanID) == ["scan-1"], "only the GRANTED scan redeems")
    }

    /// Under NORMAL, SQLite does not sync a WAL commit at all and a power cut loses the last
    /// scans; the journal must be FULL on the connection that appends, on a new file and on
    /// a reopened one.
    @Test func everyCommitIsSyncedToDisk() throws {
        let path = temporaryPath("journal.sqlite")
        do {
            let outbox = try ScanOutbox(path: path)
            #expect(try outbox.synchronousLevel() == 2)
            try outbox.appendNow([record(1)])
        }
        #expect(try ScanOutbox(path: path).synchronousLevel() == 2)
    }

    @Test func concurrentAppendsShareCommits() async throws {
        let outbox = try ScanOutbox(path: temporaryPath("journal.sqlite"))
        let completed = Counter()
        await withTaskGroup(of: Void.self) { group in
            for n in 0..<500 {
                group.addTask {
                    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                        outbox.append(record(n)) { result in
                            if case .success = result { completed.increment() }
                            c.resume()
                        }
                    }
                }
            }
        }
        #expect(completed.value == 500)
        #expect(outbox.pendingCount() == 500)
        #expect(outbox.commitCount < 500, "group commit: \(outbox.commitCount) commits for 500 scans")
    }

    @Test func theSameScanIsRecordedOnce() throws {
        let outbox = try ScanOutbox(path: temporaryPath("journal.sqlite"))
        try outbox.appendNow([record(1)])
        try outbox.appendNow([record(1)])
        #expect(try outbox.allScans().count == 1)
    }

    @Test func batchesAreClaimedOldestFirstAndSettledOnce() throws {
        let outbox = try ScanOutbox(path: temporaryPath("journal.sqlite"))
        try outbox.appendNow((0..<10).map { record($0) })
        let batch = try outbox.claimBatch(max: 4)
        #expect(batch.map(\.scanID) == ["scan-0", "scan-1", "scan-2", "scan-3"])
        try outbox.settle([("scan-0", .uploaded, nil), ("scan-1", .rejected, "too old"), ("scan-2", .skipped, nil)], at: nil)
        try outbox.settle([("scan-0", .uploaded, nil)], at: nil)  // again: no double count
        #expect(outbox.pendingCount() == 7)
        #expect(try outbox.claimBatch(max: 2).map(\.scanID) == ["scan-3", "scan-4"])
        #expect(try outbox.rejectedScans(limit: 5).first?.lastError == "too old")
        try outbox.recordAttempt(["scan-3"], error: "timeout")
        #expect(try outbox.allScans().first { $0.record.scanID == "scan-3" }?.attempts == 1)
    }

    @Test func redemptionsFromElsewhereAreIdempotentAndRevocable() throws {
        let outbox = try ScanOutbox(path: temporaryPath("journal.sqlite"))
        let event = RedemptionEvent(scanID: "peer-1", barcode: "X", gate: "south", direction: .in, time: Timestamp(millisecondsSince1970: 5), origin: .peer)
        try outbox.recordRedemptions([event, event])
        #expect(try outbox.loadRedemptions() == [event])
        try outbox.revokeRedemption(scanID: "peer-1")
        #expect(try outbox.loadRedemptions().isEmpty)
    }

}

/// A thread-safe counter for completion callbacks.
final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
