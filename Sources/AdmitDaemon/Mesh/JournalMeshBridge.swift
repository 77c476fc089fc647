import AdmitCore
import AdmitMesh
import AdmitStore
import Logging

/// The mesh's view of the scan journal: publishes from the journal's own mesh cursor,
/// stores what it applies with the stream sequence in one transaction, then hands it to the
/// gate, and records each conflict the gate finds, once per ticket.
final class JournalMeshBridge: MeshJournal {
    private let outbox: ScanOutbox
    private let gate: GateLoop
    private let metrics: GateMetrics
    private let logger: Logger

    init(outbox: ScanOutbox, gate: GateLoop, metrics: GateMetrics, logger: Logger) {
        self.outbox = outbox
        self.gate = gate
        self.metrics = metrics
        self.logger = logger
    }

    func unpublished(after cursor: PublishCursor, max: Int) throws -> (events: [MeshEvent], through: PublishCursor?) {
        let batch = try outbox.meshUnpublished(after: (cursor.scan, cursor.revocation), max: max)
        return (batch.passages.map(Self.event), batch.through.map { PublishCursor(scan: $0.scan, revocation: $0.revocation) })
    }

    func publishCursor() throws -> PublishCursor {
        let cursor = try outbox.meshPublishCursor()
        return PublishCursor(scan: cursor.scan, revocation: cursor.revocation)
    }

    func markPublished(through cursor: PublishCursor) throws {
        try outbox.advanceMeshPublish(through: (cursor.scan, cursor.revocation))
    }

    func appliedSequence() throws -> UInt64 { try outbox.meshAppliedSequence() }

    func apply(_ events: [StreamEvent], through sequence: UInt64) throws {
        let changed = try outbox.meshApply(events.map { Self.passage($0.event) }, through: sequence)
        guard !changed.isEmpty else { return }
        var redemptions: [RedemptionEvent] = []
        var revoked: [String] = []
        for passage in changed {
            switch passage {
            case .redemption(let event): redemptions.append(event)
            case .revocation(let scanID, _, _, _): revoked.append(scanID)
            }
        }
        let outbox = outbox, metrics = metrics, logger = logger
        gate.applyPeer(redemptions, revoked: revoked) { clashes in
            for clash in clashes {
                let (first, second) = clash.known.time <= clash.peer.time ? (clash.known, clash.peer) : (clash.peer, clash.known)
                let conflict = MeshConflictRecord(barcode: clash.peer.barcode, first: first, second: second)
                do {
                    guard try outbox.recordMeshConflict(conflict) else { continue }
                } catch {
                    logger.error("mesh conflict on ticket \(conflict.barcode) not recorded: \(error)")
                    continue
                }
                metrics.meshConflict()
                logger.warning("""
                    mesh conflict: ticket \(conflict.barcode) admitted at \(first.gate) \
                    (\(ISO8601.format(first.time))) and at \(second.gate) (\(ISO8601.format(second.time)))
                    """)
            }
        }
    }

    static func event(_ passage: MeshPassage) -> MeshEvent {
        switch passage {
        case .redemption(let event): .redemption(event)
        case .revocation(let scanID, let barcode, let gate, let time): .revocation(scanID: scanID, barcode: barcode, gate: gate, time: time)
        }
    }

    static func passage(_ event: MeshEvent) -> MeshPassage {
        switch event {
        case .redemption(let event): .redemption(event)
        case .revocation(let scanID, let barcode, let gate, let time): .revocation(scanID: scanID, barcode: barcode, gate: gate, time: time)
        }
    }
}
