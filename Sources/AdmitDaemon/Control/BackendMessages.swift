import AdmitBackends
import AdmitControl
import AdmitCore
import AdmitStore

extension BackendStatusReport {
    /// The report of what the syncer last fetched; nil when there is nothing to say.
    init?(_ state: BackendActivity.State) {
        guard state.remoteStatus != nil || state.remoteStatusError != nil else { return nil }
        self.init(
            event: state.remoteStatus?.event, checkins: state.remoteStatus?.checkins, total: state.remoteStatus?.total,
            items: state.remoteStatus?.items, asOf: state.remoteStatusTime.map(ISO8601.format),
            error: state.remoteStatusError)
    }
}

/// The answer to `events` (`admitctl backend events`).
public struct EventsResponse: Codable, Sendable {
    /// Always true (a failure is an `ErrorResponse`).
    public var ok = true
    /// The backend asked, e.g. "vivenu".
    public var backend: String
    /// True when the API lists events; false when it offers no list (see `note`).
    public var listed: Bool
    /// The events, series or performances (or, without a list, the configured one confirmed).
    public var events: [BackendEvent]
    /// The `[backend]` key(s) an id goes into.
    public var configKey: String
    /// The id the running configuration names, nil when it names none of the listed.
    public var configured: String?
    /// Words for the operator, e.g. where to take the id from when there is no list.
    public var note: String?

    /// The answer for `listing` of `backend`.
    public init(backend: String, listing: EventListing) {
        self.backend = backend
        listed = listing.listed
        events = listing.events
        configKey = listing.configKey
        configured = listing.configured
        note = listing.note
    }
}

/// A scan the backend refused for good, as `recent --rejected` reports it.
public struct RejectedScanReport: Codable, Sendable, Equatable {
    /// The scan's id (the idempotency key of its upload).
    public var scanId: String
    /// The normalized barcode.
    public var barcode: String
    /// The backend's ticket id, when the ticket was known.
    public var ticketId: String?
    /// "GRANTED" or "DENIED" (the gate's decision; the backend refused the upload).
    public var result: String
    /// The gate that decided.
    public var gate: String
    /// "in" or "out".
    public var direction: String
    /// The scanner that read it.
    public var source: String
    /// ISO 8601 time of the scan.
    public var time: String
    /// Upload attempts made.
    public var attempts: Int
    /// The backend's reason.
    public var reason: String

    /// The report of a stored scan.
    init(_ stored: ScanOutbox.StoredScan) {
        let r = stored.record
        scanId = r.scanID
        barcode = r.barcode
        ticketId = r.ticketID
        result = r.outcome.rawValue
        gate = r.gate
        direction = r.direction.rawValue
        source = r.source
        time = ISO8601.format(r.time)
        attempts = stored.attempts
        reason = stored.lastError ?? "refused by the backend"
    }
}

/// The answer to `recent` with `rejected`: scans the backend refused, newest first, from the
/// journal (so they survive restarts).
public struct RejectedScansResponse: Codable, Sendable {
    /// Always true (a failure is an `ErrorResponse`).
    public var ok = true
    /// Refused scans, newest first.
    public var scans: [RejectedScanReport]
    /// How many the journal holds in all.
    public var total: Int
}
