import AdmitCore
import Dispatch
import Foundation
import Synchronization

/// Publishes this gate's redemptions and revocations from the journal, on a thread of its
/// own: a batch after the publish cursor, each message with its `Nats-Msg-Id`, then the
/// cursor moves. A failed publish is retried (backing off up to 2 s) and never skipped, so
/// nothing is lost; a re-send after a lost acknowledgement or a crash is dropped by the
/// stream's duplicate window, so nothing is doubled.
final class MeshPublisher: Sendable {
    private let connection: NatsConnection
    private let names: MeshNames
    private let journal: any MeshJournal
    private let state: MeshState
    private let setup: StreamSetup
    private let wakeup = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(connection: NatsConnection, names: MeshNames, journal: any MeshJournal, state: MeshState, setup: StreamSetup) {
        self.setup = setup
        self.connection = connection
        self.names = names
        self.journal = journal
        self.state = state
    }

    /// Starts the publishing thread.
    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "admit.mesh.publish"
        thread.start()
    }

    /// Something new is in the journal: publish it now.
    func wake() { wakeup.signal() }

    /// Stops after the publish in hand; waits for the thread up to `timeoutSeconds`.
    func stop(timeoutSeconds: Double = 5) {
        stopped.store(true, ordering: .relaxed)
        wakeup.signal()
        _ = finished.wait(timeout: .now() + timeoutSeconds)
    }

    private var isStopped: Bool { stopped.load(ordering: .relaxed) }

    private func run() {
        var cursor: PublishCursor?
        var failures = 0
        while !isStopped {
            do {
                try setup.ensure()
                let from = try cursor ?? journal.publishCursor()
                cursor = from
                let batch = try journal.unpublished(after: from, max: 256)
                state.update { $0.publishBacklog = batch.events.count }
                guard let through = batch.through else {
                    _ = wakeup.wait(timeout: .now() + 1)
                    continue
                }
                for event in batch.events {
                    let ack = try connection.publish(subject: names.gateSubject, data: event.encoded(), messageID: event.messageID)
                    state.update { $0.published(ack) }
                }
                try journal.markPublished(through: through)
                cursor = through
                failures = 0
                state.update { $0.publishError = nil }
            } catch {
                failures += 1
                state.update { $0.publishError = "\(error)" }
                let pause = min(2.0, 0.05 * Double(1 << min(failures, 6)))
                _ = wakeup.wait(timeout: .now() + pause)
            }
        }
    }
}
