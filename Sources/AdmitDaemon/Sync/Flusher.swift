import AdmitBackends
import AdmitCore
import AdmitStore
import Logging
import Synchronization

/// Uploads the scan outbox in the background: every interval, and sooner when a batch is
/// full. Batches go oldest first; an acknowledged batch is marked at once and never sent
/// again; a failed one stays pending and is retried with exponential backoff and jitter.
/// Scans the backend refuses for good are marked with the reason and never retried.
final class Flusher: Sendable {
    let backend: any TicketBackend
    let outbox: ScanOutbox
    let activity: BackendActivity
    let serverClock: SharedServerClock
    private let settings: Mutex<(batchSize: Int, interval: Duration)>
    let logger: Logger
    private let wakeup = Wakeup()

    init(backend: any TicketBackend, outbox: ScanOutbox, activity: BackendActivity, serverClock: SharedServerClock,
         batchSize: Int, intervalSeconds: Double, logger: Logger) {
        self.backend = backend
        self.outbox = outbox
        self.activity = activity
        self.serverClock = serverClock
        self.settings = Mutex((min(batchSize, backend.maximumBatchSize), .milliseconds(Int64(intervalSeconds * 1000))))
        self.logger = logger
    }

    /// Scans per upload (never more than the backend takes).
    var batchSize: Int { settings.withLock { $0.batchSize } }
    /// The time between two flushes while nothing fails.
    var interval: Duration { settings.withLock { $0.interval } }

    /// Changes batch size and interval (a reload); a flush runs now, then at the new interval.
    func reconfigure(batchSize: Int, intervalSeconds: Double) {
        settings.withLock { $0 = (min(batchSize, backend.maximumBatchSize), .milliseconds(Int64(intervalSeconds * 1000))) }
        wakeup.signal()
    }

    /// Flushes now instead of at the next interval (a full batch, `admitctl flush`, shutdown).
    func flushSoon() { wakeup.signal() }

    /// Runs until the task is cancelled.
    func run() async {
        var failures = 0
        while !Task.isCancelled {
            let ok = await flushAll()
            failures = ok ? 0 : failures + 1
            if ok {
                await wakeup.wait(for: interval)
            } else {
                // After a failure only the backoff ends the wait: no hammering a sick backend.
                try? await Task.sleep(for: Self.backoff(failures: failures, base: interval))
            }
        }
    }

    /// Uploads batches until the outbox is empty or an upload fails, then feeds the mirror,
    /// if any. True when the backend's upload had no failure (a mirror's failure is logged and
    /// shown, and retried at the next flush, but does not slow the upload down).
    @discardableResult
    func flushAll(deadline: ContinuousClock.Instant? = nil) async -> Bool {
        let ok = await uploadAll(deadline: deadline)
        if let mirror = backend.mirror { await feed(mirror, deadline: deadline) }
        return ok
    }

    /// Posts the journal's scans the mirror has not had yet, batch by batch.
    private func feed(_ mirror: any ScanMirror, deadline: ContinuousClock.Instant?) async {
        while deadline.map({ ContinuousClock.now < $0 }) ?? true {
            do {
                let (scans, through) = try outbox.mirrorBatch(mirror.name, max: mirror.maximumBatchSize)
                guard let through else { return }
                try await mirror.post(scans)
                try outbox.advanceMirror(mirror.name, through: through)
            } catch {
                logger.warning("copy of scans to \(mirror.name) failed, will retry: \(error)")
                activity.recordFailure("mirror", message: "\(mirror.name): \(error)")
                return
            }
        }
    }

    private func uploadAll(deadline: ContinuousClock.Instant?) async -> Bool {
        while true {
            if let deadline, ContinuousClock.now >= deadline { return true }
            let batch: [ScanRecord]
            do {
                batch = try outbox.claimBatch(max: batchSize)
            } catch {
                logger.error("\(error)")
                return false
            }
            if batch.isEmpty { return true }
            do {
                let results = try await backend.upload(batch)
                var settled: [(scanID: String, state: ScanOutbox.UploadState, note: String?)] = []
                var rejected = 0, uploaded = 0
                for (scan, result) in zip(batch, results) {
                    switch result {
                    case .accepted: settled.append((scan.scanID, .uploaded, nil)); uploaded += 1
                    case .skipped: settled.append((scan.scanID, .skipped, nil))
                    case .rejected(let reason):
                        settled.append((scan.scanID, .rejected, reason))
                        rejected += 1
                        logger.warning("backend refused scan \(scan.scanID) (\(scan.barcode)): \(reason)")
                    }
                }
                try outbox.settle(settled, at: serverClock.serverNow())
                activity.update {
                    $0.uploaded += uploaded
                    $0.rejected += rejected
                    $0.lastFlushError = nil
                }
            } catch {
                logger.warning("upload of \(batch.count) scans failed, will retry: \(error)")
                try? outbox.recordAttempt(batch.map(\.scanID), error: "\(error)")
                activity.recordFailure("upload", message: "\(error)")
                return false
            }
        }
    }

    /// Exponential backoff from the interval, capped at 60 s, with ±25 % jitter so that many
    /// gates coming back online do not upload in lockstep.
    static func backoff(failures: Int, base: Duration) -> Duration {
        let baseMs = Double(base.components.seconds) * 1000 + Double(base.components.attoseconds) / 1e15
        let exponential = min(60_000, max(500, baseMs) * Double(1 << min(failures, 10)))
        return .milliseconds(Int64(exponential * Double.random(in: 0.75...1.25)))
    }
}
