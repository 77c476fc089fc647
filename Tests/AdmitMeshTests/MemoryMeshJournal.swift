import AdmitCore
import AdmitMesh
import Synchronization

/// A mesh journal in memory: events to publish are appended by the test; what the consumer
/// applies is kept with its sequence, as the scan journal would keep it.
final class MemoryMeshJournal: MeshJournal {
    private struct State {
        var outgoing: [MeshEvent] = []
        var cursor = PublishCursor(scan: 0, revocation: 0)
        var applied: UInt64 = 0
        var received: [StreamEvent] = []
        var failApply = false
    }
    private let state = Mutex(State())

    func add(_ events: [MeshEvent]) { state.withLock { $0.outgoing += events } }
    var received: [StreamEvent] { state.withLock { $0.received } }
    var applied: UInt64 { state.withLock { $0.applied } }
    var publishedCount: Int { state.withLock { Int($0.cursor.scan) } }
    func failApplies(_ fail: Bool) { state.withLock { $0.failApply = fail } }

    func unpublished(after cursor: PublishCursor, max: Int) throws -> (events: [MeshEvent], through: PublishCursor?) {
        state.withLock { s in
            let from = Int(cursor.scan)
            guard from < s.outgoing.count else { return ([], nil) }
            let to = min(s.outgoing.count, from + max)
            return (Array(s.outgoing[from..<to]), PublishCursor(scan: Int64(to), revocation: 0))
        }
    }

    func publishCursor() throws -> PublishCursor { state.withLock { $0.cursor } }

    func markPublished(through cursor: PublishCursor) throws {
        state.withLock { $0.cursor = PublishCursor(scan: max($0.cursor.scan, cursor.scan), revocation: 0) }
    }

    func appliedSequence() throws -> UInt64 { state.withLock { $0.applied } }

    struct Refused: Error {}

    func apply(_ events: [StreamEvent], through sequence: UInt64) throws {
        try state.withLock { s in
            if s.failApply { throw Refused() }
            s.received += events
            s.applied = sequence
        }
    }
}
