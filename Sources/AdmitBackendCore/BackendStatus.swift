/// The backend's own view of the event: check-ins and totals as the ticketing system counts
/// them (eventyay's `status/`), shown by `admitctl status` beside the gate's own counts.
public struct BackendStatus: Sendable, Equatable, Codable {
    /// One product (and its variations) as the backend counts it.
    public struct Item: Sendable, Equatable, Codable {
        /// The product's name.
        public var name: String
        /// Check-ins the backend recorded for it.
        public var checkins: Int
        /// Tickets of it in total.
        public var total: Int
        /// False for products that admit nobody (a T-shirt); nil when the backend does not say.
        public var admission: Bool?
        /// The product's variations, each counted on its own.
        public var variations: [Item]

        /// Creates an item.
        public init(name: String, checkins: Int, total: Int, admission: Bool? = nil, variations: [Item] = []) {
            self.name = name
            self.checkins = checkins
            self.total = total
            self.admission = admission
            self.variations = variations
        }
    }

    /// The event's name, when the backend gives one.
    public var event: String?
    /// Check-ins the backend recorded (every device, not only this gate).
    public var checkins: Int
    /// Tickets in total.
    public var total: Int
    /// Per product.
    public var items: [Item]

    /// Creates a status.
    public init(event: String?, checkins: Int, total: Int, items: [Item] = []) {
        self.event = event
        self.checkins = checkins
        self.total = total
        self.items = items
    }
}

/// A backend that can report its own view of the event. The daemon asks it on the sync
/// cadence, off the gate queue, and shows the last answer in `admitctl status`.
public protocol StatusReportingBackend: TicketBackend {
    /// Asks the backend for its counts; throws a `BackendError` when it cannot.
    func remoteStatus() async throws -> BackendStatus
}
