import AdmitCore

/// Where the publisher's cursor stands in the local journal: the journal order of the last
/// scan published and of the last revocation published.
public struct PublishCursor: Sendable, Equatable {
    /// The journal sequence of the newest scan published.
    public var scan: Int64
    /// The journal sequence of the newest revocation published.
    public var revocation: Int64

    /// A cursor.
    public init(scan: Int64, revocation: Int64) {
        self.scan = scan
        self.revocation = revocation
    }
}

/// One event read from the stream and decoded, with its place in the stream.
public struct StreamEvent: Sendable, Equatable {
    /// The stream sequence.
    public var sequence: UInt64
    /// The event.
    public var event: MeshEvent
    /// When the server stored it (its clock), milliseconds since 1970.
    public var storedAtMilliseconds: Int64
}

/// The local journal as the mesh sees it: what this gate has to publish, and where what
/// it applied from the stream is kept. Implemented over the scan journal by the daemon.
public protocol MeshJournal: Sendable {
    /// This gate's redemptions and revocations after `cursor`, in journal order, at most
    /// `max`, and the cursor that covers them (nil when there is nothing new). A revocation
    /// never comes before the redemption it takes back.
    func unpublished(after cursor: PublishCursor, max: Int) throws -> (events: [MeshEvent], through: PublishCursor?)
    /// The publish cursor stored last.
    func publishCursor() throws -> PublishCursor
    /// Stores the publish cursor (never moves it back).
    func markPublished(through cursor: PublishCursor) throws
    /// The newest stream sequence applied (0 for none).
    func appliedSequence() throws -> UInt64
    /// Applies `events` (other gates' redemptions and revocations) and stores `sequence`
    /// as applied, in one transaction; then hands them to the gate. Throws, storing
    /// nothing, when the journal cannot take them.
    func apply(_ events: [StreamEvent], through sequence: UInt64) throws
}
