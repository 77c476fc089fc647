/// The answer to `mesh`, and the `mesh` part of `status`: the servers and connection, the
/// stream sequence applied against the last one, the gates heard from, the conflicts.
public struct MeshReport: Codable, Sendable, Equatable {
    /// Another gate as heard through the stream.
    public struct Peer: Codable, Sendable, Equatable {
        public var gate: String
        /// Its events applied here since this gate started.
        public var events: Int
        /// ISO 8601 time of its newest redemption.
        public var lastEvent: String
        /// Seconds since the server stored its newest event (by this box's clock).
        public var heardSecondsAgo: Double

        /// A peer.
        public init(gate: String, events: Int, lastEvent: String, heardSecondsAgo: Double) {
            self.gate = gate
            self.events = events
            self.lastEvent = lastEvent
            self.heardSecondsAgo = heardSecondsAgo
        }
    }

    /// A ticket admitted at two gates while they could not hear each other.
    public struct Conflict: Codable, Sendable, Equatable {
        public var barcode: String
        /// The two gates, the earlier passage first.
        public var gates: [String]
        /// ISO 8601 times of the two passages.
        public var times: [String]

        /// A conflict.
        public init(barcode: String, gates: [String], times: [String]) {
            self.barcode = barcode
            self.gates = gates
            self.times = times
        }
    }

    public var ok = true
    public var event: String
    public var servers: [String]
    public var connected: Bool
    public var connectedUrl: String?
    public var appliedSequence: UInt64
    public var lastSequence: UInt64
    /// Stream messages not applied here yet.
    public var lag: UInt64
    /// True while the gate is still applying what the stream holds.
    public var catchingUp: Bool
    /// Messages this gate published since it started, and how many were re-sends.
    public var published: Int
    public var duplicates: Int
    public var publishError: String?
    public var consumeError: String?
    /// True when each ticket is claimed before GRANTED.
    public var strict: Bool
    public var peers: [Peer]
    public var conflicts: [Conflict]

    /// A report from its fields.
    public init(
        event: String, servers: [String], connected: Bool, connectedURL: String?, appliedSequence: UInt64,
        lastSequence: UInt64, lag: UInt64, catchingUp: Bool, published: Int, duplicates: Int, publishError: String?,
        consumeError: String?, strict: Bool, peers: [Peer], conflicts: [Conflict]
    ) {
        self.event = event
        self.servers = servers
        self.connected = connected
        self.connectedUrl = connectedURL
        self.appliedSequence = appliedSequence
        self.lastSequence = lastSequence
        self.lag = lag
        self.catchingUp = catchingUp
        self.published = published
        self.duplicates = duplicates
        self.publishError = publishError
        self.consumeError = consumeError
        self.strict = strict
        self.peers = peers
        self.conflicts = conflicts
    }
}
