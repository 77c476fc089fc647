/// Where a redemption was learned from.
public enum RedemptionOrigin: String, Sendable, Codable {
    /// Decided at this gate.
    case local
    /// Learned from the ticketing backend (a sync reported the ticket as used).
    case backend
    /// Learned from another gate of the venue.
    case peer
}

/// One use of a ticket: someone passed a gate with it. Applied to the ledger
/// idempotently by `scanID`, whatever its origin, so a new source of redemptions
/// (another gate, a sync, a message broker) is a new feeder and not a new rule.
public struct RedemptionEvent: Sendable, Hashable, Codable {
    /// Unique id of the scan that caused it (for backend-learned uses, the backend's id).
    public var scanID: String
    /// The normalized barcode of the ticket.
    public var barcode: String
    /// The backend's ticket id, when known.
    public var ticketID: String?
    /// The gate the ticket passed.
    public var gate: String
    /// Which way it passed.
    public var direction: Direction
    /// When (best known time).
    public var time: Timestamp
    /// Where this event was learned from.
    public var origin: RedemptionOrigin

    /// Creates a redemption event.
    public init(
        scanID: String, barcode: String, ticketID: String? = nil, gate: String,
        direction: Direction, time: Timestamp, origin: RedemptionOrigin
    ) {
        self.scanID = scanID
        self.barcode = barcode
        self.ticketID = ticketID
        self.gate = gate
        self.direction = direction
        self.time = time
        self.origin = origin
    }
}
