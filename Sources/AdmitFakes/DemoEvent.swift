import AdmitCore

/// A deterministic demo event: the same barcodes every run, validity windows placed around
/// `now` so the demo always has valid, cancelled, not-yet-valid, expired and other-area
/// tickets. Used by `admitd --demo`, tests and benchmarks.
public struct DemoEvent: Sendable {
    /// The event id the fake backends serve it under.
    public static let eventID = "demo-event-2026"

    /// Barcodes of each kind, for the demo banner and tests.
    public struct Samples: Sendable {
        public var valid: [String]
        public var cancelled: String
        public var notYetValid: String
        public var expired: String
        public var otherArea: String
        public var unknown: String
    }

    /// Number of tickets.
    public let count: Int
    /// The time the validity windows are placed around.
    public let now: Timestamp

    /// A demo event of `count` tickets around `now`.
    public init(count: Int = 5000, now: Timestamp) {
        self.count = count
        self.now = now
    }

    /// All tickets of the event.
    public var tickets: [Ticket] { (0..<count).map(ticket) }

    /// The `i`th ticket.
    public func ticket(_ i: Int) -> Ticket {
        let hour: Int64 = 3_600_000
        var t = Ticket(
            id: "t\(100_000 + i)", barcode: Self.barcode(i), typeName: Self.typeName(i),
            category: i % 10 == 8 ? "Seated" : "Standing", areas: ["north"],
            validFrom: now.adding(milliseconds: -6 * hour), validUntil: now.adding(milliseconds: 18 * hour))
        switch Self.kind(i) {
        case .cancelled:
            t.status = .cancelled
            t.message = "refunded"
        case .notYetValid:
            t.validFrom = now.adding(milliseconds: 24 * hour)
            t.validUntil = now.adding(milliseconds: 48 * hour)
        case .expired:
            t.validFrom = now.adding(milliseconds: -48 * hour)
            t.validUntil = now.adding(milliseconds: -24 * hour)
        case .otherArea:
            t.areas = ["south"]
        case .staff:
            t.areas = []
            t.entriesAllowed = 99
        case .valid:
            break
        }
        return t
    }

    /// Sample barcodes of each kind.
    public var samples: Samples {
        func first(_ kind: Kind, after start: Int = 0) -> String {
            Self.barcode((start..<count).first { Self.kind($0) == kind } ?? 0)
        }
        let valid = (0..<count).filter { Self.kind($0) == .valid }.prefix(3).map(Self.barcode)
        return Samples(
            valid: Array(valid), cancelled: first(.cancelled), notYetValid: first(.notYetValid),
            expired: first(.expired), otherArea: first(.otherArea), unknown: "99999999")
    }

    enum Kind { case valid, cancelled, notYetValid, expired, otherArea, staff }

    static func kind(_ i: Int) -> Kind {
        if i % 50 == 7 { return .cancelled }
        if i % 40 == 11 { return .notYetValid }
        if i % 60 == 13 { return .expired }
        if i % 7 == 3 { return .otherArea }
        if i % 10 == 9 { return .staff }
        return .valid
    }

    static func typeName(_ i: Int) -> String {
        switch i % 10 {
        case 6, 7: "Child"
        case 8: "VIP Seated"
        case 9: "Staff"
        default: "Adult Standing"
        }
    }

    /// An EAN-13 barcode: a prefix (400638 for the first 900 000 tickets, 400639 for the
    /// next, …), a six-digit serial, and the check digit. Distinct for every `i` below 8.1 M.
    public static func barcode(_ i: Int) -> String {
        let serial = String(100_000 + i % 900_000)
        let body = Array(String(400_638 + i / 900_000) + serial)
        var sum = 0
        for (position, character) in body.enumerated() {
            let digit = Int(character.asciiValue! - 48)
            sum += position % 2 == 0 ? digit : digit * 3
        }
        return String(body) + String((10 - sum % 10) % 10)
    }
}
