import AdmitBackendCore

/// The backend's own counts as `status` reports them (eventyay `status/`).
public struct BackendStatusReport: Codable, Sendable, Equatable {
    /// The event's name at the backend.
    public var event: String?
    /// Check-ins the backend recorded, by every device.
    public var checkins: Int?
    /// Tickets in total.
    public var total: Int?
    /// Per product, with variations.
    public var items: [BackendStatus.Item]?
    /// ISO 8601 backend time of the counts, nil when they were never fetched.
    public var asOf: String?
    /// Why the last fetch failed, nil when it worked.
    public var error: String?

    /// A report from its fields.
    public init(
        event: String? = nil, checkins: Int? = nil, total: Int? = nil, items: [BackendStatus.Item]? = nil,
        asOf: String? = nil, error: String? = nil
    ) {
        self.event = event
        self.checkins = checkins
        self.total = total
        self.items = items
        self.asOf = asOf
        self.error = error
    }
}
