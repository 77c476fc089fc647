

/// Where ticket sync stands, persisted with the tickets it describes (same transaction),
/// so a crash never leaves the cursor ahead of the data.
public struct SyncCursor: Sendable, Codable, Equatable {
    /// Counts full loads; rows of older loads are removed when a full load completes.
    public var loadNumber: Int
    /// True once the full load `loadNumber` has completed; deltas follow from then.
    public var fullLoadComplete: Bool
    /// For an interrupted full load: how many tickets (or which page) to resume from.
    public var resumeOffset: Int
    /// The server time from which the next delta window starts (already overlapped).
    public var windowStart: Timestamp?
    /// Adapter-specific resume data (e.g. a page token), opaque to the store.
    public var extra: String?

    /// The cursor of a gate that has never synced.
    public static let initial = SyncCursor(loadNumber: 1, fullLoadComplete: false, resumeOffset: 0, windowStart: nil, extra: nil)

    /// Creates a cursor.
    public init(loadNumber: Int, fullLoadComplete: Bool, resumeOffset: Int, windowStart: Timestamp?, extra: String?) {
        self.loadNumber = loadNumber
        self.fullLoadComplete = fullLoadComplete
        self.resumeOffset = resumeOffset
        self.windowStart = windowStart
        self.extra = extra
    }
}
