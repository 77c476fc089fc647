/// The answer of `status/`, as in the spec's example; every field but the two counts is
/// optional, since the API is documented by example only.
public struct EventyayStatus: Decodable, Sendable {
    /// The event as eventyay names it.
    public struct Event: Decodable, Sendable {
        /// The organizer of the event.
        public struct Organizer: Decodable, Sendable {
            /// The organizer's name.
            public var name: String?
            /// The organizer's slug (the first path part of the event's address).
            public var slug: String?
        }

        /// The event's name.
        public var name: String?
        /// The event's slug (the second path part of its address).
        public var slug: String?
        /// Who runs it.
        public var organizer: Organizer?
    }

    /// A product (`items[]`) or one of its `variations`.
    public struct Item: Decodable, Sendable {
        /// The product's or variation's name.
        public var name: String?
        /// Its id.
        public var id: Int?
        /// Check-ins recorded for it.
        public var checkins: Int?
        /// Tickets of it.
        public var total: Int?
        /// False for a product that admits nobody (merchandise).
        public var admission: Bool?
        /// A product's variations.
        public var variations: [Item]?

        /// As `admitctl status` shows it.
        package var counted: BackendStatus.Item {
            BackendStatus.Item(
                name: name ?? id.map { "item \($0)" } ?? "?", checkins: checkins ?? 0, total: total ?? 0,
                admission: admission, variations: (variations ?? []).map(\.counted))
        }
    }

    /// Check-ins performed.
    public var checkins: Int
    /// Tickets in total.
    public var total: Int
    /// The event.
    public var event: Event?
    /// Per product.
    public var items: [Item]?
}
