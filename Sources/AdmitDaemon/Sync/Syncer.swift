import AdmitBackends
import AdmitCore
import AdmitStore
import Foundation
import Logging
import Synchronization

/// Keeps the gate's tickets fresh: the full load first (resumable, page by page into the
/// snapshot), then delta polls every interval. Each pass builds the next index generation
/// here, off the gate queue, and hands it to the gate to swap in. A failed pass is logged,
/// shown in `status`, and retried at the next interval; the gate keeps deciding meanwhile.
final class Syncer: Sendable {
    let backend: any TicketBackend
    let snapshot: TicketSnapshot
    let outbox: ScanOutbox
    let gate: GateLoop
    let activity: BackendActivity
    private let intervalSetting: Mutex<Duration>
    let logger: Logger
    let serverClock: SharedServerClock
    let clock = SystemClock()
    private let wakeup = Wakeup()

    init(backend: any TicketBackend, snapshot: TicketSnapshot, outbox: ScanOutbox, gate: GateLoop,
         activity: BackendActivity, serverClock: SharedServerClock, intervalSeconds: Double, logger: Logger) {
        self.serverClock = serverClock
        self.backend = backend
        self.snapshot = snapshot
        self.outbox = outbox
        self.gate = gate
        self.activity = activity
        self.intervalSetting = Mutex(.milliseconds(Int64(intervalSeconds * 1000)))
        self.logger = logger
    }

    /// The time between two passes.
    var interval: Duration { intervalSetting.withLock { $0 } }

    /// Changes the time between passes (a reload); the next pass starts now and the new
    /// interval counts from there.
    func setInterval(seconds: Double) {
        intervalSetting.withLock { $0 = .milliseconds(Int64(seconds * 1000)) }
        wakeup.signal()
    }

    /// Syncs now instead of at the next interval.
    func syncSoon() { wakeup.signal() }

    /// Runs passes until the task is cancelled.
    func run() async {
        while !Task.isCancelled {
            await pass()
            await wakeup.wait(for: interval)
        }
    }

    /// One sync pass, then the backend's own counts where it reports them; errors are
    /// recorded, never thrown.
    func pass() async {
        do {
            var problems: [String] = []
            try await syncOnce(problems: &problems)
            activity.update {
                $0.lastSync = backendNow()
                $0.lastSyncInstant = clock.monotonic()
                $0.lastSyncError = nil
            }
            // After the success is recorded, so a partial problem stays visible in status.
            for problem in problems {
                logger.warning("sync: \(problem)")
                activity.recordFailure("sync", message: problem)
            }
            await refreshRemoteStatus()
        } catch {
            logger.warning("sync failed: \(error)")
            activity.recordFailure("sync", message: "\(error)")
        }
    }

    private func backendNow() -> Timestamp? { serverClock.serverNow() }

    /// Asks a backend that reports its own counts (eventyay `status/`) for them, on the sync
    /// cadence and off the gate queue. A failure is shown beside the last counts; it is not
    /// a sync failure.
    private func refreshRemoteStatus() async {
        guard let reporting = backend as? any StatusReportingBackend else { return }
        do {
            let status = try await reporting.remoteStatus()
            activity.update {
                $0.remoteStatus = status
                $0.remoteStatusTime = backendNow()
                $0.remoteStatusError = nil
            }
        } catch {
            logger.notice("backend status not available: \(error)")
            activity.update { $0.remoteStatusError = "\(error)" }
        }
    }

    private func syncOnce(problems: inout [String]) async throws {
        let identity = backend.identity
        let cursor = try snapshot.cursor(backend: identity)
        if cursor.fullLoadComplete && !backend.supportsDelta {
            try await redownload(after: cursor)
            return
        }
        let fullLoad = !cursor.fullLoadComplete
        let collected = ChangeCollector()
        let snapshot = snapshot, outbox = outbox, gate = gate
        let final = try await backend.sync(from: cursor) { page in
            try snapshot.store(page.tickets, removedBarcodes: page.removedBarcodes, cursor: page.cursor, backend: identity)
            if !page.redemptions.isEmpty {
                try outbox.recordRedemptions(page.redemptions)
                gate.apply(page.redemptions)
            }
            if !fullLoad { collected.add(page.tickets, removed: page.removedBarcodes) }
            if let problem = page.problem { collected.report(problem) }
        }
        defer { problems = collected.problems() }
        if fullLoad {
            guard final.fullLoadComplete else { return }
            let removed = try snapshot.completeFullLoad(cursor: final, backend: identity)
            let table = try snapshot.loadTable()
            let generation = gate.inspectNow { $0.gate.index.generation } + 1
            gate.replaceIndex(TicketIndex(table: table, generation: generation))
            activity.update { $0.fullLoadPending = false }
            logger.info("full load complete: \(table.count) tickets (\(removed.count) removed)")
        } else {
            try snapshot.saveCursor(final, backend: identity)
            let (changes, removed) = collected.drain()
            guard !changes.isEmpty || !removed.isEmpty else { return }
            let current = gate.inspectNow { $0.gate.index }
            gate.replaceIndex(current.applying(changes: changes, removedBarcodes: removed))
            logger.info("delta: \(changes.count) tickets changed, \(removed.count) removed")
        }
    }
}

/// Tickets changed during one delta pass (pages arrive one after another).
private final class ChangeCollector: Sendable {
    private let state = Mutex<(changes: [Ticket], removed: [String])>(([], []))

    func add(_ tickets: [Ticket], removed: [String]) {
        state.withLock {
            $0.changes += tickets
            $0.removed += removed
        }
    }

    func drain() -> ([Ticket], [String]) { state.withLock { ($0.changes, $0.removed) } }

    private let reported = Mutex<[String]>([])
    func report(_ problem: String) { reported.withLock { $0.append(problem) } }
    func problems() -> [String] { reported.withLock { $0 } }
}
