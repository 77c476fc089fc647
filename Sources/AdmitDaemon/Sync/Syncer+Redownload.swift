import AdmitBackends
import AdmitCore
import Logging
import Synchronization

/// Sync of backends without deltas (eventyay): after the first full load, every pass
/// downloads everything again and keeps only the difference. Tickets equal to the current
/// index are neither written to the snapshot nor put in the next generation; barcodes the
/// download no longer has are removed. A pass that changes nothing writes nothing but the
/// cursor, so re-reading 100 k tickets costs one comparison each.
extension Syncer {
    func redownload(after cursor: SyncCursor) async throws {
        let identity = backend.identity
        let current = gate.inspectNow { $0.gate.index }
        let diff = RedownloadDiff(current: current)
        let outbox = outbox, gate = gate
        var start = cursor
        start.fullLoadComplete = false
        start.resumeOffset = 0
        let final = try await backend.sync(from: start) { page in
            diff.add(page.tickets)
            if !page.redemptions.isEmpty {
                try outbox.recordRedemptions(page.redemptions)
                gate.apply(page.redemptions)
            }
        }
        guard final.fullLoadComplete else { return }
        let (changes, removed) = diff.result()
        // The rows keep their load number: nothing else of the previous load is to be swept.
        var saved = final
        saved.loadNumber = cursor.loadNumber
        try snapshot.store(changes, removedBarcodes: removed, cursor: saved, backend: identity)
        guard !changes.isEmpty || !removed.isEmpty else { return }
        gate.replaceIndex(current.applying(changes: changes, removedBarcodes: removed))
        logger.info("re-download: \(changes.count) tickets changed, \(removed.count) removed")
    }
}

/// Compares a download, page by page, with the index it will replace.
final class RedownloadDiff: Sendable {
    private struct State {
        var changes: [Ticket] = []
        var seen = Set<String>()
        var knownSeen = 0
    }

    private let current: TicketIndex
    private let state = Mutex(State())

    init(current: TicketIndex) { self.current = current }

    /// Notes the tickets of one page.
    func add(_ tickets: [Ticket]) {
        state.withLock { state in
            for ticket in tickets where state.seen.insert(ticket.barcode).inserted {
                let known = current.lookup(ticket.barcode)
                if known != nil { state.knownSeen += 1 }
                if known != ticket { state.changes.append(ticket) }
            }
        }
    }

    /// The changed and new tickets, and the barcodes of the index the download did not have.
    func result() -> (changes: [Ticket], removed: [String]) {
        state.withLock { state in
            // Every ticket of the index was seen again: nothing removed, no need to list them.
            guard state.knownSeen < current.count else { return (state.changes, []) }
            let removed = current.allTickets.map(\.barcode).filter { !state.seen.contains($0) }
            return (state.changes, removed)
        }
    }
}
