import AdmitCore
import Synchronization

/// What a gate needs to take part in its venue's mesh (`[mesh]` in admit.toml).
public struct MeshSettings: Sendable, Equatable {
    /// How to reach the servers.
    public var nats: NatsOptions
    /// The event: names the stream and the bucket.
    public var event: String
    /// This gate's name.
    public var gate: String
    /// Stream and bucket replicas (3 on a three-server cluster).
    public var replicas: Int
    /// How long the stream remembers a message id, in seconds: a re-send within it is
    /// dropped. Default one day, longer than any event.
    public var duplicateWindowSeconds: Int64
    /// Claim each ticket in the bucket before GRANTED.
    public var strict: Bool
    /// The hard budget of a claim, in milliseconds.
    public var strictBudgetMilliseconds: Int

    /// Settings; the defaults are those of the configuration reference.
    public init(
        nats: NatsOptions, event: String, gate: String, replicas: Int = 1, duplicateWindowSeconds: Int64 = 86_400,
        strict: Bool = false, strictBudgetMilliseconds: Int = 50
    ) {
        self.nats = nats
        self.event = event
        self.gate = gate
        self.replicas = replicas
        self.duplicateWindowSeconds = duplicateWindowSeconds
        self.strict = strict
        self.strictBudgetMilliseconds = strictBudgetMilliseconds
    }
}

/// One gate's part in the mesh: a connection, the publisher, the consumer and (in strict
/// mode) the claims. `start()` returns at once; the servers may be down, and everything
/// catches up once they are reachable. `stop()` in reverse order.
public final class MeshNode: Sendable {
    /// The settings it runs with.
    public let settings: MeshSettings
    /// The names on the server.
    public let names: MeshNames
    /// Status, for `admitctl mesh` and metrics.
    public let state: MeshState
    /// The connection (shared by publisher, consumer and claims).
    public let connection: NatsConnection
    private let publisher: MeshPublisher
    private let consumer: MeshConsumer
    private let setup: StreamSetup

    /// Connects (in the background) and prepares the threads; nothing is read or sent
    /// before `start()`. Fails only on options libnats refuses (a missing creds file).
    public init(settings: MeshSettings, journal: any MeshJournal) throws(NatsError) {
        self.settings = settings
        names = MeshNames(event: settings.event, gate: settings.gate)
        state = MeshState(servers: settings.nats.servers)
        connection = try NatsConnection(settings.nats)
        setup = StreamSetup(connection: connection, names: names, settings: settings)
        publisher = MeshPublisher(connection: connection, names: names, journal: journal, state: state, setup: setup)
        consumer = MeshConsumer(connection: connection, names: names, journal: journal, state: state, setup: setup)
    }

    /// Starts consuming and publishing.
    public func start() {
        consumer.start()
        publisher.start()
    }

    /// The journal holds something new to publish.
    public func journalChanged() { publisher.wake() }

    /// Stops publishing, then consuming (each finishes the call in hand).
    public func stop() {
        publisher.stop()
        consumer.stop()
    }
}

/// Creates the stream (and bucket) once per connection, on first use by either thread.
final class StreamSetup: Sendable {
    private let connection: NatsConnection
    private let names: MeshNames
    private let settings: MeshSettings
    private let done = Mutex<Bool>(false)

    init(connection: NatsConnection, names: MeshNames, settings: MeshSettings) {
        self.connection = connection
        self.names = names
        self.settings = settings
    }

    /// Makes sure the stream exists with these settings; cheap once it has.
    func ensure() throws(NatsError) {
        if done.withLock({ $0 }) { return }
        try connection.ensureStream(
            name: names.stream, subjects: [names.allSubjects], replicas: settings.replicas,
            duplicateWindowSeconds: settings.duplicateWindowSeconds)
        done.withLock { $0 = true }
    }
}
