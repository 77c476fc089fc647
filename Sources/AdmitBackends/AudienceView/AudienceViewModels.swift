import AdmitCore

/// `errorDetails` of a scanning answer.
struct AudienceViewErrorDetails: Decodable, Sendable {
    var errorCodeId: Int
    var errorCodeKey: String?
    var errorCodeName: String?
    var forceLogout: Bool?
}

/// The fields every scanning answer carries (all optional: `syncScans` has none of them).
protocol AudienceViewAnswer: Decodable, Sendable {
    var accessTokenExpiration: Int64? { get }
    var error: Bool? { get }
    var errorDetails: AudienceViewErrorDetails? { get }
}

/// The answer of `POST authenticate`.
struct AudienceViewAuthentication: AudienceViewAnswer {
    var accessTokenExpiration: Int64?
    var error: Bool?
    var errorDetails: AudienceViewErrorDetails?
    var accessToken: String?
}

/// A bare answer (`validateToken`, or any answer whose body Admit does not need).
struct AudienceViewStatus: AudienceViewAnswer {
    var accessTokenExpiration: Int64?
    var error: Bool?
    var errorDetails: AudienceViewErrorDetails?
}

/// A "Scannable Ticket" of `cache/validTickets` (only the fields Admit uses).
struct AudienceViewTicket: Decodable, Sendable {
    var ticketId: Int64
    var performanceId: Int64
    var productionName: String?
    var performanceStartDate: Int64?
    var barcode: String
    var alreadyScanned: Bool
    var refundedOrVoided: Bool
    var performance: String?
    var section: String?
    var seat: String?

    /// Admit's ticket: refunded or voided is cancelled; the performance id travels as the
    /// ticket's type id so that a scan can name it in `syncScans`.
    var ticket: Ticket {
        let seating = [section, seat].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return Ticket(
            id: String(ticketId), barcode: barcode, status: refundedOrVoided ? .cancelled : .valid,
            typeName: performance ?? productionName ?? "", typeID: String(performanceId), category: seating,
            message: refundedOrVoided ? "refunded or voided in AudienceView" : nil)
    }
}

/// The answer of `GET cache/validTickets`.
struct AudienceViewValidTickets: AudienceViewAnswer {
    var accessTokenExpiration: Int64?
    var error: Bool?
    var errorDetails: AudienceViewErrorDetails?
    var tickets: [AudienceViewTicket]?
}

/// The body of `POST cache/syncScans`.
struct AudienceViewSyncRequest: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        var ticketId: Int64
        var performanceId: Int64
        var barcode: String
        var scanTime: Int64
    }

    var clientId: Int64
    var productionId: Int64?
    var performanceId: Int64?
    var tickets: [Item]
}

/// The answer of `POST cache/syncScans`.
struct AudienceViewSyncAnswer: AudienceViewAnswer {
    struct Failure: Decodable, Sendable {
        var barcode: String
        var reason: String
    }

    var accessTokenExpiration: Int64?
    var error: Bool?
    var errorDetails: AudienceViewErrorDetails?
    var failedBarcodes: [Failure]?
}

/// The answer of `GET filterOptions`.
struct AudienceViewFilterOptions: AudienceViewAnswer {
    struct Performance: Decodable, Sendable {
        var performanceId: Int64
        var performanceStart: Int64?
    }

    struct Production: Decodable, Sendable {
        var productionId: Int64
        var productionName: String?
        var performances: [Performance]?
    }

    struct Client: Decodable, Sendable {
        var id: Int64
        var value: String?
        var productions: [Production]?
    }

    var accessTokenExpiration: Int64?
    var error: Bool?
    var errorDetails: AudienceViewErrorDetails?
    var clients: [Client]?
}

/// The body of `POST validateTicket`.
struct AudienceViewValidateRequest: Encodable, Sendable {
    var barcodeString: String
    var clientId: Int64
    var productionId: Int64?
    var performanceId: Int64?
}

/// The answer of `POST validateTicket`.
struct AudienceViewValidation: AudienceViewAnswer {
    var accessTokenExpiration: Int64?
    var error: Bool?
    var errorDetails: AudienceViewErrorDetails?
    var name: String?
    var performance: String?
    var section: String?
    var seat: String?
}
