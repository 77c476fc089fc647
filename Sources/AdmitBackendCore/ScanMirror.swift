import AdmitCore

/// A second destination that gets a copy of every recorded scan, apart from the backend's
/// own upload (vivenu portier, where other gates learn of this gate's check-ins).
///
/// The flusher feeds a mirror from the journal with a cursor of its own, after the main
/// upload: a mirror that is down never holds back, nor makes the backend receive again,
/// the main upload; a copy it missed is sent when it is back, from the journal.
public protocol ScanMirror: Sendable {
    /// Names the mirror's cursor in the journal, e.g. "vivenu portier".
    var name: String { get }
    /// The largest batch it takes in one post.
    var maximumBatchSize: Int { get }
    /// Posts copies of `scans` (oldest first); throws when the mirror did not take them.
    func post(_ scans: [ScanRecord]) async throws
}

extension TicketBackend {
    /// No mirror, unless the adapter has one.
    public var mirror: (any ScanMirror)? { nil }
}
