import AdmitCore
import Foundation
import Synchronization

/// What the mesh is doing, as status and metrics show it. A value; `MeshState` holds the
/// current one.
public struct MeshStatus: Sendable, Equatable, Codable {
    /// One other gate as heard through the stream.
    public struct Peer: Sendable, Equatable, Codable {
        /// The gate's name.
        public var gate: String
        /// Events applied from it.
        public var events: Int
        /// The time of its newest event (the deciding gate's best known time).
        public var lastEventTime: Timestamp
        /// When the server stored its newest event (the server's clock), ms since 1970.
        public var lastStoredAtMilliseconds: Int64
    }

    /// The servers configured.
    public var servers: [String] = []
    /// True while connected.
    public var connected = false
    /// The server connected to, if any.
    public var connectedURL: String?
    /// Newest stream sequence applied here.
    public var appliedSequence: UInt64 = 0
    /// Newest stream sequence known to exist (the server's last answer).
    public var lastSequence: UInt64 = 0
    /// Messages published by this gate since start (duplicates included).
    public var published = 0
    /// Publishes the stream answered as duplicates (re-sends after a lost ack or a crash).
    public var duplicates = 0
    /// This gate's events read from the journal and not yet published (of the batch in hand).
    public var publishBacklog = 0
    /// Messages in the stream that were not Admit events, skipped.
    public var malformed = 0
    /// The last publish failure, nil once a publish works again.
    public var publishError: String?
    /// The last consume failure.
    public var consumeError: String?
    /// Other gates heard from, by name.
    public var peers: [String: Peer] = [:]
    /// Apply lag of the newest batch: the server's clock at storing vs this box's clock at
    /// applying, in milliseconds (meaningful when the clocks agree, e.g. NTP at the venue).
    public var applyLagMilliseconds: Int64 = 0

    /// Stream messages not yet applied here.
    public var lag: UInt64 { lastSequence > appliedSequence ? lastSequence - appliedSequence : 0 }
    /// True while this gate is behind the stream by more than a few messages.
    public var catchingUp: Bool { lag > 10 }

    /// Creates an empty status.
    public init(servers: [String] = []) { self.servers = servers }

    mutating func published(_ ack: PublishAck) {
        published += 1
        if ack.duplicate { duplicates += 1 }
        publishBacklog = max(0, publishBacklog - 1)
        lastSequence = max(lastSequence, ack.sequence)
    }

    mutating func observe(lastSequence: UInt64, connectedURL: String?) {
        connected = true
        self.connectedURL = connectedURL
        self.lastSequence = max(self.lastSequence, lastSequence)
    }

    mutating func applied(_ events: [StreamEvent], through sequence: UInt64, malformed: Int) {
        connected = true
        consumeError = nil
        appliedSequence = sequence
        lastSequence = max(lastSequence, sequence)
        self.malformed += malformed
        for event in events {
            var peer = peers[event.event.gate] ?? Peer(gate: event.event.gate, events: 0, lastEventTime: Timestamp(millisecondsSince1970: 0), lastStoredAtMilliseconds: 0)
            peer.events += 1
            if case .redemption(let redemption) = event.event { peer.lastEventTime = max(peer.lastEventTime, redemption.time) }
            peer.lastStoredAtMilliseconds = max(peer.lastStoredAtMilliseconds, event.storedAtMilliseconds)
            peers[event.event.gate] = peer
        }
        if let newest = events.last {
            applyLagMilliseconds = Int64(Date().timeIntervalSince1970 * 1000) - newest.storedAtMilliseconds
        }
    }
}

/// The mesh's current status, shared by its threads and read by status and metrics.
public final class MeshState: Sendable {
    private let status: Mutex<MeshStatus>

    /// A state for these servers.
    public init(servers: [String]) { status = Mutex(MeshStatus(servers: servers)) }

    /// The status now.
    public var current: MeshStatus { status.withLock { $0 } }

    func update(_ body: (inout MeshStatus) -> Void) { status.withLock { body(&$0) } }
}
