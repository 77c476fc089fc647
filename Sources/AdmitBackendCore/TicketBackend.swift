import AdmitCore

/// One page of a sync, handed to the store before the next page is fetched.
public struct TicketPage: Sendable {
    /// Tickets new or changed.
    public var tickets: [Ticket]
    /// Barcodes the backend no longer has.
    public var removedBarcodes: [String]
    /// Uses of tickets the backend reports (used at another gate or device).
    public var redemptions: [RedemptionEvent]
    /// The cursor after this page, so an interrupted sync resumes here.
    public var cursor: SyncCursor
    /// A part of the pass that failed without spoiling the rest (e.g. another gate's scans
    /// could not be read: the tickets are still good), for `status`; retried next pass.
    public var problem: String?

    /// Creates a page.
    public init(
        tickets: [Ticket], removedBarcodes: [String] = [], redemptions: [RedemptionEvent] = [], cursor: SyncCursor,
        problem: String? = nil
    ) {
        self.tickets = tickets
        self.removedBarcodes = removedBarcodes
        self.redemptions = redemptions
        self.cursor = cursor
        self.problem = problem
    }
}

/// What the backend said about one uploaded scan.
public enum UploadResult: Sendable, Equatable {
    /// Taken (or already known, for an idempotent retry).
    case accepted
    /// Refused for good, with the backend's reason; never retried.
    case rejected(String)
    /// Not the kind of scan this backend takes (e.g. DENIED scans where only entries count).
    case skipped
}

/// What an adapter needs from the daemon: the backend's clock, as far as it is known.
public struct BackendContext: Sendable {
    /// The best estimate of the backend's current time, nil before it was ever heard.
    public var serverNow: @Sendable () -> Timestamp?
    /// Called with the time of each response (HTTP `Date` or a body field).
    public var observeServerTime: @Sendable (Timestamp) -> Void

    /// Creates a context.
    public init(serverNow: @escaping @Sendable () -> Timestamp?, observeServerTime: @escaping @Sendable (Timestamp) -> Void) {
        self.serverNow = serverNow
        self.observeServerTime = observeServerTime
    }
}

/// A ticketing backend: tickets in, scans out. One adapter per system, behind this protocol.
public protocol TicketBackend: Sendable {
    /// Identifies the data set (system and event); a change of identity discards the snapshot.
    var identity: String { get }
    /// Short name for logs and status, e.g. "vivenu".
    var name: String { get }
    /// True when the backend offers deltas; otherwise every sync is a full load.
    var supportsDelta: Bool { get }

    /// Runs one sync pass from `cursor`: the (resumable) full load when
    /// `cursor.fullLoadComplete` is false, else one delta window. Each page goes to
    /// `deliver` before the next is fetched. Returns the cursor after the pass.
    func sync(from cursor: SyncCursor, deliver: @Sendable (TicketPage) async throws -> Void) async throws -> SyncCursor

    /// Uploads scans, returning one result per scan in order. Throws a transient
    /// `BackendError` when nothing can be said (the batch is retried later).
    func upload(_ scans: [ScanRecord]) async throws -> [UploadResult]

    /// The largest batch the backend takes in one upload.
    var maximumBatchSize: Int { get }

    /// Where copies of the scans go as well, fed apart from `upload` (see `ScanMirror`).
    var mirror: (any ScanMirror)? { get }

    /// Events or performances the credentials can see (`admitctl backend events`), or, where
    /// the API lists none, the configured event as the backend confirms it and a note saying
    /// where its id comes from. Throws a `BackendError` when the backend cannot be asked.
    func listEvents() async throws -> EventListing

    /// Stops background work and closes connections.
    func shutdown() async
}

/// A backend that can be asked about one barcode while the visitor waits.
public protocol RealtimeBackend: TicketBackend {
    /// True when a positive answer also records the scan at the backend.
    var realtimeRecordsScan: Bool { get }
    /// Asks about `barcode` within `budgetMilliseconds`; throws on timeout or failure.
    func check(barcode: String, direction: Direction, budgetMilliseconds: Int64) async throws -> BackendVerdict
}
