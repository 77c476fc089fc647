import AdmitCore
import Dispatch
import Foundation
import Synchronization

/// Consumes the event's whole stream on a thread of its own, from the sequence after the
/// last one applied (read from the journal), and applies what it reads in batches through
/// `MeshJournal.apply`, which stores the sequence with the events. A restart, a new box or a
/// gate added late thus catches up from where its journal stands, from the start if empty.
///
/// When the connection drops, the subscription is made again from the applied sequence.
/// An ordered consumer that goes quiet while the stream is ahead is made again too.
final class MeshConsumer: Sendable {
    private let connection: NatsConnection
    private let names: MeshNames
    private let journal: any MeshJournal
    private let state: MeshState
    private let setup: StreamSetup
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let pause = DispatchSemaphore(value: 0)
    /// Messages applied in one transaction at most.
    private let batchLimit = 2000

    init(connection: NatsConnection, names: MeshNames, journal: any MeshJournal, state: MeshState, setup: StreamSetup) {
        self.setup = setup
        self.connection = connection
        self.names = names
        self.journal = journal
        self.state = state
    }

    /// Starts the consuming thread.
    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "admit.mesh.consume"
        thread.start()
    }

    /// Stops after the batch in hand; waits for the thread up to `timeoutSeconds`.
    func stop(timeoutSeconds: Double = 5) {
        stopped.store(true, ordering: .relaxed)
        pause.signal()
        _ = finished.wait(timeout: .now() + timeoutSeconds)
    }

    private var isStopped: Bool { stopped.load(ordering: .relaxed) }

    private func rest(_ seconds: Double) { _ = pause.wait(timeout: .now() + seconds) }

    private func run() {
        var applied: UInt64
        do {
            applied = try journal.appliedSequence()
        } catch {
            state.update { $0.consumeError = "\(error)" }
            return
        }
        state.update { $0.appliedSequence = applied }
        var subscription: StreamSubscription?
        var quietSince = ContinuousClock.now
        var lastCheck = ContinuousClock.now - .seconds(10)
        while !isStopped {
            if !connection.isConnected {
                subscription = nil
                state.update { $0.connected = false }
                rest(0.1)
                continue
            }
            do {
                try setup.ensure()
                if ContinuousClock.now - lastCheck > .seconds(1) {
                    lastCheck = .now
                    let stream = try connection.streamState(names.stream)
                    state.update { $0.observe(lastSequence: stream.lastSequence, connectedURL: self.connection.connectedURL) }
                    // A consumer that stays quiet while the stream is ahead has lost its way.
                    if stream.lastSequence > applied, ContinuousClock.now - quietSince > .seconds(2) { subscription = nil }
                }
                if subscription == nil {
                    subscription = try StreamSubscription(connection, stream: names.stream, subjects: names.allSubjects, start: applied + 1)
                    quietSince = .now
                }
                guard let subscription, let first = try subscription.next(timeoutMilliseconds: 200) else { continue }
                var messages = [first]
                while messages.count < batchLimit, let more = try subscription.next(timeoutMilliseconds: 0) {
                    messages.append(more)
                }
                quietSince = .now
                let fresh = messages.filter { $0.sequence > applied }
                guard let through = fresh.last?.sequence else { continue }
                var events: [StreamEvent] = []
                events.reserveCapacity(fresh.count)
                var malformed = 0
                for message in fresh {
                    if let event = MeshEvent(decoding: message.data) {
                        events.append(StreamEvent(sequence: message.sequence, event: event, storedAtMilliseconds: message.storedAtMilliseconds))
                    } else {
                        malformed += 1
                    }
                }
                try journal.apply(events, through: through)
                applied = through
                let heard = events
                state.update { $0.applied(heard, through: through, malformed: malformed) }
            } catch {
                subscription = nil
                state.update { $0.consumeError = "\(error)" }
                rest(0.25)
            }
        }
    }
}
