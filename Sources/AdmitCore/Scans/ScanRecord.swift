/// A decision as it is recorded durably and uploaded: one row of the scan outbox.
///
/// Every decision is recorded, GRANTED and DENIED (repeat reads excepted); adapters decide
/// which ones their backend wants. The `scanID` is the idempotency key end to end.
public struct ScanRecord: Sendable, Hashable, Codable {
    /// Unique id fixed when the barcode was read.
    public var scanID: String
    /// Normalized barcode.
    public var barcode: String
    /// The backend's ticket id, when the ticket was known.
    public var ticketID: String?
    /// The backend's ticket type id, when known (some backends want it with each scan).
    public var ticketTypeID: String?
    /// The gate that decided.
    public var gate: String
    /// Passage direction.
    public var direction: Direction
    /// GRANTED or DENIED.
    public var outcome: Outcome
    /// The denial reason's code, nil when granted.
    public var reasonCode: String?
    /// Best known time of the read.
    public var time: Timestamp
    /// The scanner that read it.
    public var source: String
    /// True when a realtime check already recorded this scan at the backend: it is kept
    /// in the journal but never uploaded again.
    public var settledInRealtime: Bool

    /// Creates a record.
    public init(
        scanID: String, barcode: String, ticketID: String?, ticketTypeID: String? = nil, gate: String, direction: Direction,
        outcome: Outcome, reasonCode: String?, time: Timestamp, source: String, settledInRealtime: Bool = false
    ) {
        self.scanID = scanID
        self.barcode = barcode
        self.ticketID = ticketID
        self.ticketTypeID = ticketTypeID
        self.gate = gate
        self.direction = direction
        self.outcome = outcome
        self.reasonCode = reasonCode
        self.time = time
        self.source = source
        self.settledInRealtime = settledInRealtime
    }

    /// The record of a decision.
    public init(_ decision: Decision) {
        self.init(
            scanID: decision.scanID, barcode: decision.barcode, ticketID: decision.ticket?.id,
            ticketTypeID: decision.ticket.flatMap { $0.typeID.isEmpty ? nil : $0.typeID },
            gate: decision.gate, direction: decision.direction, outcome: decision.outcome,
            reasonCode: decision.denial?.code, time: decision.time, source: decision.source,
            settledInRealtime: decision.settledInRealtime)
    }

    /// The redemption this record stands for, if it admitted someone.
    public var redemption: RedemptionEvent? {
        guard outcome == .granted else { return nil }
        return RedemptionEvent(
            scanID: scanID, barcode: barcode, ticketID: ticketID, gate: gate,
            direction: direction, time: time, origin: .local)
    }
}
