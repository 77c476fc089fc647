/// One event, series or performance a backend lets the credentials scan.
public struct BackendEvent: Sendable, Equatable, Codable {
    /// What the configuration key takes (`EventListing.configKey`), e.g. an event id or, for
    /// AudienceView, `client/production/performance`.
    public var id: String
    /// The name the backend gives it (empty when it gives none).
    public var name: String
    /// More to tell it apart: a start time, a number of tickets.
    public var detail: String?

    /// Creates an entry.
    public init(id: String, name: String, detail: String? = nil) {
        self.id = id
        self.name = name
        self.detail = detail
    }
}

/// The answer behind `admitctl backend events`: what the credentials can see, to help an
/// operator fill in the configuration.
///
/// Not every API lists events. Where it does not (`listed == false`), `events` holds at most
/// the configured event as the backend confirmed it, and `note` says where the id comes from
/// instead.
public struct EventListing: Sendable, Equatable {
    /// True when the API lists the events the credentials can see (vivenu, AudienceView).
    public var listed: Bool
    /// The events, series or performances; for an API without a list, the configured one
    /// as the backend confirmed it (or nothing).
    public var events: [BackendEvent]
    /// The `[backend]` key(s) an id goes into, e.g. `event`.
    public var configKey: String
    /// The id of the entry the running configuration names, nil when it names none of them.
    public var configured: String?
    /// Words for the operator: why there is no list and where to take the id from instead.
    public var note: String?

    /// Creates a listing.
    public init(listed: Bool, events: [BackendEvent], configKey: String, configured: String?, note: String? = nil) {
        self.listed = listed
        self.events = events
        self.configKey = configKey
        self.configured = configured
        self.note = note
    }
}
