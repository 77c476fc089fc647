import AdmitCore

/// `errorDetails` of a scanning answer.
package struct AudienceViewErrorDetails: Decodable, Sendable {
    package var errorCodeId: Int
    package var errorCodeKey: String?
    package var errorCodeName: String?
    package var forceLogout: Bool?
}

/// The fields every scanning answer carries (all optional: `syncScans` has none of them).
package protocol AudienceViewAnswer: Decodable, Sendable {
    var accessTokenExpiration: Int64? { get }
    var error: Bool? { get }
    var errorDetails: AudienceViewErrorDetails? { get }
}

/// The answer of `POST authenticate`.
package struct AudienceViewAuthentication: AudienceViewAnswer {
    package var accessTokenExpiration: Int64?
    package var error: Bool?
    package var errorDetails: AudienceViewErrorDetails?
    package var accessToken: String?
}

/// A bare answer (`validateToken`, or any answer whose body Admit does not need).
package struct AudienceViewStatus: AudienceViewAnswer {
    package var accessTokenExpiration: Int64?
    package var error: Bool?
    package var errorDetails: AudienceViewErrorDetails?
}

/// A "Scannable Ticket" of `cache/validTickets` (only the fields Admit uses).
package struct AudienceViewTicket: Decodable, Sendable {
    package var ticketId: Int64
    package var performanceId: Int64
    package var productionName: String?
    package var performanceStartDate: Int64?
    package var barcode: String
    package var alreadyScanned: Bool
    package var refundedOrVoided: Bool
    package var performance: String?
    package var section: String?
    package var seat: String?

    /// Admit's ticket: refunded or voided is cancelled; the performance id travels as the
    /// ticket's type id so that a scan can name it in `syncScans`.
    package var ticket: Ticket {
        let seating = [section, seat].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return Ticket(
            id: String(ticketId), barcode: barcode, status: refundedOrVoided ? .cancelled : .valid,
            typeName: performance ?? productionName ?? "", typeID: String(performanceId), category: seating,
            message: refundedOrVoided ? "refunded or voided in AudienceView" : nil)
    }
}

/// The answer of `GET cache/validTickets`.
package struct AudienceViewValidTickets: AudienceViewAnswer {
    package var accessTokenExpiration: Int64?
    package var error: Bool?
    package var errorDetails: AudienceViewErrorDetails?
    package var tickets: [AudienceViewTicket]?
}

/// The body of `POST cache/syncScans`.
package struct AudienceViewSyncRequest: Encodable, Sendable {
    package struct Item: Encodable, Sendable {
        package var ticketId: Int64
        package var performanceId: Int64
        package var barcode: String
        package var scanTime: Int64

        package init(ticketId: Int64, performanceId: Int64, barcode: String, scanTime: Int64) {
            self.ticketId = ticketId
            self.performanceId = performanceId
            self.barcode = barcode
            self.scanTime = scanTime
        }
    }

    package var clientId: Int64
    package var productionId: Int64?
    package var performanceId: Int64?
    package var tickets: [Item]

    package init(clientId: Int64, productionId: Int64?, performanceId: Int64?, tickets: [Item]) {
        self.clientId = clientId
        self.productionId = productionId
        self.performanceId = performanceId
        self.tickets = tickets
    }
}

/// The answer of `POST cache/syncScans`.
package struct AudienceViewSyncAnswer: AudienceViewAnswer {
    package struct Failure: Decodable, Sendable {
        package var barcode: String
        package var reason: String
    }

    package var accessTokenExpiration: Int64?
    package var error: Bool?
    package var errorDetails: AudienceViewErrorDetails?
    package var failedBarcodes: [Failure]?
}

/// The answer of `GET filterOptions`.
package struct AudienceViewFilterOptions: AudienceViewAnswer {
    package struct Performance: Decodable, Sendable {
        package var performanceId: Int64
        package var performanceStart: Int64?
    }

    package struct Production: Decodable, Sendable {
        package var productionId: Int64
        package var productionName: String?
        package var performances: [Performance]?
    }

    package struct Client: Decodable, Sendable {
        package var id: Int64
        package var value: String?
        package var productions: [Production]?
    }

    package var accessTokenExpiration: Int64?
    package var error: Bool?
    package var errorDetails: AudienceViewErrorDetails?
    package var clients: [Client]?
}

/// The body of `POST validateTicket`.
package struct AudienceViewValidateRequest: Encodable, Sendable {
    package var barcodeString: String
    package var clientId: Int64
    package var productionId: Int64?
    package var performanceId: Int64?

    package init(barcodeString: String, clientId: Int64, productionId: Int64?, performanceId: Int64?) {
        self.barcodeString = barcodeString
        self.clientId = clientId
        self.productionId = productionId
        self.performanceId = performanceId
    }
}

/// The answer of `POST validateTicket`.
package struct AudienceViewValidation: AudienceViewAnswer {
    package var accessTokenExpiration: Int64?
    package var error: Bool?
    package var errorDetails: AudienceViewErrorDetails?
    package var name: String?
    package var performance: String?
    package var section: String?
    package var seat: String?
}
