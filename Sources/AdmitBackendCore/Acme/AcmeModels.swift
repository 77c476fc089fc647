import AdmitCore
import Foundation

/// A Barcode JSON object of ACME b2b (only the fields Admit uses; all but `barcode` optional).
package struct AcmeBarcodeObject: Decodable, Sendable {
    package var id: String?
    package var barcode: String
    package var eventId: String?
    package var ticketTypeId: String?
    package var status: String?
    package var active: Bool?
    package var updatedOn: String?
    package var usedOn: String?
    package var deactivationCode: Int?
    package var deactivationMessage: String?
    /// Also accepted under the deactivation body's own names.
    package var code: Int?
    package var message: String?

    private enum CodingKeys: String, CodingKey {
        case id, barcode, eventId, ticketTypeId, status, active, updatedOn, usedOn, deactivationCode,
            deactivationMessage, code, message
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        barcode = try c.decode(String.self, forKey: .barcode)
        // ACME's ids are strings in the examples; accept numbers too.
        id = (try? c.decodeIfPresent(String.self, forKey: .id)) ?? (try? c.decodeIfPresent(Int.self, forKey: .id)).flatMap { $0.map(String.init) }
        eventId = try? c.decodeIfPresent(String.self, forKey: .eventId)
        ticketTypeId = try? c.decodeIfPresent(String.self, forKey: .ticketTypeId)
        status = try? c.decodeIfPresent(String.self, forKey: .status)
        active = try? c.decodeIfPresent(Bool.self, forKey: .active)
        updatedOn = try? c.decodeIfPresent(String.self, forKey: .updatedOn)
        usedOn = try? c.decodeIfPresent(String.self, forKey: .usedOn)
        deactivationCode = try? c.decodeIfPresent(Int.self, forKey: .deactivationCode)
        deactivationMessage = try? c.decodeIfPresent(String.self, forKey: .deactivationMessage)
        code = try? c.decodeIfPresent(Int.self, forKey: .code)
        message = try? c.decodeIfPresent(String.self, forKey: .message)
    }

    /// The deactivation message, under whichever name the server used.
    package var reason: String? { deactivationMessage ?? message }

    /// True when ACME reports the barcode as used: converted into an order, a `usedOn`, or
    /// deactivated by an Admit gate with the "used" message.
    package var isUsed: Bool {
        status?.lowercased() == "converted" || usedOn != nil || AcmeUsedMessage.scanID(in: reason) != nil
            || (reason?.hasPrefix(AcmeUsedMessage.prefix) ?? false)
    }

    /// Admit's ticket. Used barcodes stay valid (the use is a redemption, so exits and
    /// re-entries follow the gate's policy); inactive, voided and error barcodes are refused
    /// with ACME's deactivation message.
    package var ticket: Ticket {
        let state = status?.lowercased() ?? "new"
        var status = TicketStatus.valid
        var note: String?
        if active == false && !isUsed {
            status = .cancelled
            note = reason ?? "deactivated in ACME"
        } else if state == "voided" {
            status = .cancelled
            note = reason ?? "voided in ACME"
        } else if state == "error" {
            status = .blocked
            note = reason ?? "barcode in error state in ACME"
        }
        return Ticket(
            id: id ?? barcode, barcode: barcode, status: status, typeName: ticketTypeId ?? "",
            typeID: ticketTypeId ?? "", message: note)
    }

    /// The use ACME reports, as a redemption (by an Admit gate's scan id where the message
    /// carries one, so it merges with the local record of the same scan).
    package var redemption: RedemptionEvent? {
        guard isUsed else { return nil }
        let time = usedOn.flatMap(ISO8601.parse) ?? updatedOn.flatMap(ISO8601.parse) ?? Timestamp(millisecondsSince1970: 0)
        let scanID = AcmeUsedMessage.scanID(in: reason) ?? "acme-used:\(barcode)"
        return RedemptionEvent(
            scanID: scanID, barcode: barcode, ticketID: id, gate: AcmeUsedMessage.gate(in: reason) ?? "acme",
            direction: .in, time: time, origin: .backend)
    }
}

/// A page of `GET v2/b2b/barcodes` in ACME's documented envelope (ACME's "Pagination"
/// article, docs/backends/acme.md): `{"list": [...], "pagination": {"page", "pageSize",
/// "sortDirection", "sortField", "count"}}`, where `count` is the total of the whole call.
/// Both `list` and `pagination.count` are required: without the total the last page
/// cannot be told.
package struct AcmeBarcodePage: Decodable, Sendable {
    /// The page's barcodes (`list`).
    package var list: [AcmeBarcodeObject]
    /// `pagination`.
    package var pagination: Pagination

    /// ACME's `pagination` object (only the fields Admit uses; `count` required).
    package struct Pagination: Decodable, Sendable {
        /// The page answered.
        package var page: Int?
        /// Records per page, as ACME applied it.
        package var pageSize: Int?
        /// Records of the whole call.
        package var count: Int
    }

    private enum CodingKeys: String, CodingKey { case list, pagination }

    package init(from decoder: any Decoder) throws {
        guard let c = try? decoder.container(keyedBy: CodingKeys.self), c.contains(.list), c.contains(.pagination) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [], debugDescription: #"not ACME's page envelope {"list": [...], "pagination": {..., "count"}}"#))
        }
        list = try c.decode([AcmeBarcodeObject].self, forKey: .list)
        pagination = try c.decode(Pagination.self, forKey: .pagination)
    }
}

/// The deactivation message an Admit gate writes for a GRANTED entry, in the spec's own
/// wording ("Barcode was used on …"), with the gate and scan id so a sync can recognize it:
/// `Barcode was used on 2030-01-23T23:00:00.000Z at gate north-1 (Admit scan S1)`.
package enum AcmeUsedMessage {
    package static let prefix = "Barcode was used on "
    /// The deactivation `code` sent with it (the spec's example uses 2 for "used").
    package static let code = 2

    package static func text(for scan: ScanRecord) -> String {
        "\(prefix)\(ISO8601.format(scan.time)) at gate \(scan.gate) (Admit scan \(scan.scanID))"
    }

    package static func scanID(in message: String?) -> String? {
        guard let message, message.hasPrefix(prefix), let open = message.range(of: "(Admit scan ", options: .backwards),
            message.hasSuffix(")")
        else { return nil }
        return String(message[open.upperBound..<message.index(before: message.endIndex)])
    }

    package static func gate(in message: String?) -> String? {
        guard let message, scanID(in: message) != nil, let at = message.range(of: " at gate "),
            let open = message.range(of: " (Admit scan ", options: .backwards), at.upperBound <= open.lowerBound
        else { return nil }
        return String(message[at.upperBound..<open.lowerBound])
    }
}
