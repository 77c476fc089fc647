/// Whether a ticket may be used at all, as the ticketing backend says.
public enum TicketStatus: UInt8, Sendable, Codable, CaseIterable {
    /// Sold and not cancelled: may enter, subject to the other rules.
    case valid = 0
    /// Cancelled, refunded, voided or deactivated: never admitted.
    case cancelled = 1
    /// Not admitted for another reason the backend gives (unpaid, blocked, needs attention).
    case blocked = 2
}

/// One ticket as downloaded from a backend, in the shape every adapter maps to.
public struct Ticket: Sendable, Hashable, Codable {
    /// The backend's id of the ticket (sent back with scans).
    public var id: String
    /// The barcode as printed, after the backend's own normalization.
    public var barcode: String
    /// Whether the ticket may be used at all.
    public var status: TicketStatus
    /// The ticket type shown to the steward, e.g. "Adult Standing".
    public var typeName: String
    /// The backend's id of the ticket type, where scans must name it (vivenu portier).
    public var typeID: String
    /// The price or seating category, may be empty.
    public var category: String
    /// Entry areas this ticket admits to; empty admits to every area.
    public var areas: [String]
    /// First instant the ticket is valid, if limited.
    public var validFrom: Timestamp?
    /// Last instant the ticket is valid, if limited.
    public var validUntil: Timestamp?
    /// How many entries the ticket allows (1 for most tickets).
    public var entriesAllowed: Int
    /// A message from the backend shown on the console when this ticket is scanned
    /// (a deactivation reason, an "attention" flag).
    public var message: String?

    /// Creates a ticket; most fields have the defaults of a plain single-entry ticket.
    public init(
        id: String, barcode: String, status: TicketStatus = .valid, typeName: String = "",
        typeID: String = "", category: String = "", areas: [String] = [], validFrom: Timestamp? = nil,
        validUntil: Timestamp? = nil, entriesAllowed: Int = 1, message: String? = nil
    ) {
        self.id = id
        self.barcode = barcode
        self.status = status
        self.typeName = typeName
        self.typeID = typeID
        self.category = category
        self.areas = areas
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.entriesAllowed = entriesAllowed
        self.message = message
    }
}

/// The parts of a ticket that many tickets share (type, category, areas, validity, entries),
/// stored once in the index and referenced by number from each ticket.
struct TicketProfile: Hashable, Sendable {
    var typeName: String
    var typeID: String
    var category: String
    var areas: [String]
    var validFrom: Timestamp?
    var validUntil: Timestamp?
    var entriesAllowed: Int

    init(_ ticket: Ticket) {
        typeName = ticket.typeName
        typeID = ticket.typeID
        category = ticket.category
        areas = ticket.areas
        validFrom = ticket.validFrom
        validUntil = ticket.validUntil
        entriesAllowed = ticket.entriesAllowed
    }
}
