/// Why a scan was refused.
public enum DenialReason: Sendable, Hashable, Codable {
    /// No ticket with this barcode is known.
    case unknownTicket
    /// The ticket was cancelled, refunded or deactivated (with the backend's message, if any).
    case cancelled(message: String?)
    /// The backend blocks the ticket for another reason (unpaid, needs attention…).
    case blocked(message: String?)
    /// The ticket has used all its entries; the last entry was at `time` at `gate`.
    case alreadyUsed(time: Timestamp, gate: String)
    /// The ticket is valid only from `from`.
    case notYetValid(from: Timestamp)
    /// The ticket was valid only until `until`.
    case expired(until: Timestamp)
    /// The ticket is for other entry areas than this gate's.
    case wrongArea(gateArea: String, ticketAreas: [String])
    /// An exit was scanned for a ticket that is not inside (where exits require an entry).
    case wrongDirection
    /// The backend refused it in a realtime check.
    case rejectedByBackend(message: String)
    /// The read came in the direction the gate does not open (it has no exit relay);
    /// `opens` is the one it does.
    case directionClosed(opens: Direction)
    /// The barcode has more than `maximum` bytes (UTF-8) after normalization.
    case barcodeTooLong(bytes: Int, maximum: Int)

    /// A stable machine-readable code, for JSON, metrics and uploads.
    public var code: String {
        switch self {
        case .unknownTicket: "unknown_ticket"
        case .cancelled: "cancelled"
        case .blocked: "blocked"
        case .alreadyUsed: "already_used"
        case .notYetValid: "not_yet_valid"
        case .expired: "expired"
        case .wrongArea: "wrong_area"
        case .wrongDirection: "wrong_direction"
        case .rejectedByBackend: "rejected_by_backend"
        case .directionClosed: "direction_closed"
        case .barcodeTooLong: "barcode_too_long"
        }
    }
}

/// GRANTED or DENIED.
public enum Outcome: String, Sendable, Codable {
    case granted = "GRANTED"
    case denied = "DENIED"
}

/// The gate's answer to one read.
public struct Decision: Sendable, Hashable {
    /// The scan's unique id, fixed when the barcode was read.
    public var scanID: String
    /// The normalized barcode.
    public var barcode: String
    /// GRANTED or DENIED.
    public var outcome: Outcome
    /// Why it was denied; nil when granted.
    public var denial: DenialReason?
    /// The ticket, when one was found.
    public var ticket: Ticket?
    /// The gate that decided.
    public var gate: String
    /// The direction of the passage.
    public var direction: Direction
    /// The scanner that read it.
    public var source: String
    /// Best known time of the read.
    public var time: Timestamp
    /// Monotonic instant of the read.
    public var instant: MonotonicInstant
    /// True when this is a repeat read of the same barcode inside the debounce window:
    /// it shows the earlier outcome again, moves no relay and records nothing.
    public var isRepeat: Bool
    /// True when a realtime check already recorded this scan at the backend.
    public var settledInRealtime = false
    /// True when strict mode could not confirm a GRANTED with the other gates within its
    /// budget: the local decision stood.
    public var unconfirmed = false

    /// True when granted.
    public var isGranted: Bool { outcome == .granted }

    /// The redemption this decision makes, if it admits someone (a granted, non-repeat read).
    public var redemption: RedemptionEvent? {
        guard isGranted, !isRepeat else { return nil }
        return RedemptionEvent(
            scanID: scanID, barcode: barcode, ticketID: ticket?.id, gate: gate,
            direction: direction, time: time, origin: .local)
    }
}
