import AdmitCore

/// A ticket as the AudienceView fake holds it (a "Scannable Ticket" of the spec).
public struct AudienceViewFakeTicket: Sendable, Hashable {
    /// Why a ticket is not valid, where it is not.
    public enum Cancellation: Sendable, Hashable {
        /// Refunded within the order (validateTicket code 14).
        case refunded
        /// Voided within the order (validateTicket code 13).
        case voided
    }

    /// `ticketId`.
    public var ticketId: Int64
    /// `performanceId`.
    public var performanceId: Int64
    /// The series (`productionId`).
    public var productionId: Int64
    /// `productionName`.
    public var productionName: String
    /// Start of the performance, epoch milliseconds.
    public var performanceStart: Int64
    /// `barcode` as printed.
    public var barcode: String
    /// Set when refunded or voided (`refundedOrVoided` on the wire).
    public var cancellation: Cancellation?
    /// `orderConsumerName`.
    public var orderConsumerName: String?
    /// `section`.
    public var section: String?
    /// `seat`.
    public var seat: String?

    /// Creates a fake ticket.
    public init(
        ticketId: Int64, performanceId: Int64, productionId: Int64, productionName: String, performanceStart: Int64,
        barcode: String, cancellation: Cancellation? = nil, orderConsumerName: String? = nil, section: String? = nil,
        seat: String? = nil
    ) {
        self.ticketId = ticketId
        self.performanceId = performanceId
        self.productionId = productionId
        self.productionName = productionName
        self.performanceStart = performanceStart
        self.barcode = barcode
        self.cancellation = cancellation
        self.orderConsumerName = orderConsumerName
        self.section = section
        self.seat = seat
    }
}

/// One scan the AudienceView fake accepted through `cache/syncScans`.
public struct AudienceViewSyncedScan: Sendable, Hashable {
    /// `ticketId` as sent.
    public var ticketId: Int64
    /// `performanceId` as sent.
    public var performanceId: Int64
    /// The barcode as sent.
    public var barcode: String
    /// `scanTime` as sent.
    public var scanTime: Timestamp
    /// The fake's clock when it was accepted.
    public var receivedAt: Timestamp
}
