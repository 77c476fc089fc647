/// `[backend]`: the ticketing system this gate syncs with.
public struct BackendConfig: Sendable {
    /// The supported ticketing systems.
    public enum Kind: String, Sendable, CaseIterable {
        /// The embedded demo event; no network.
        case demo
    }

    /// Which system.
    public var kind: Kind
    /// Seconds between delta polls.
    public var syncIntervalSeconds: Double
    /// Seconds between outbox flushes.
    public var flushIntervalSeconds: Double
    /// Scans per upload batch.
    public var batchSize: Int

    /// Creates a backend configuration with the documented defaults.
    public init(kind: Kind, syncIntervalSeconds: Double = 10, flushIntervalSeconds: Double = 2, batchSize: Int = 100) {
        self.kind = kind
        self.syncIntervalSeconds = syncIntervalSeconds
        self.flushIntervalSeconds = flushIntervalSeconds
        self.batchSize = batchSize
    }

    init(_ s: inout ConfigSection) throws(ConfigError) {
        guard let kind = try s.choice("kind", as: Kind.self) else { throw s.error("kind", "is required") }
        self.init(kind: kind)
        syncIntervalSeconds = try s.number("sync_interval_s", in: 1...86_400) ?? syncIntervalSeconds
        flushIntervalSeconds = try s.number("flush_interval_s", in: 0.1...3600) ?? flushIntervalSeconds
        batchSize = try s.integer("batch_size", in: 1...1000) ?? batchSize
    }
}
