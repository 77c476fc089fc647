import AdmitCore

/// A ticket as vivenu's access-users API sends it (only the fields Admit uses).
package struct VivenuTicket: Decodable, Sendable {
    package struct PriceCategory: Decodable, Sendable {
        package var categoryId: String?
        package var description: String?
    }

    package var _id: String
    package var barcode: String
    package var name: String?
    package var ticketTypeId: String?
    package var ticketName: String?
    package var status: String?
    package var entry: [String]?
    package var priceCategory: PriceCategory?

    /// Admit's ticket: VALID admits; DETAILSREQUIRED (the holder's details are missing) is
    /// blocked, not cancelled; every other status (INVALID, RESERVED, …) is refused as
    /// cancelled; each with the status as message. `entry` names the entry areas.
    package var ticket: Ticket {
        let upper = (status ?? "VALID").uppercased()
        let valid = upper == "VALID"
        let state: TicketStatus = valid ? .valid : upper == "DETAILSREQUIRED" ? .blocked : .cancelled
        return Ticket(
            id: _id, barcode: barcode, status: state,
            typeName: ticketName ?? "", typeID: ticketTypeId ?? "",
            category: priceCategory?.description ?? "", areas: entry ?? [],
            message: valid ? nil : "status \(status ?? "")")
    }
}

/// One page of `GET tickets/v2/{event}`.
package struct VivenuTicketPage: Decodable, Sendable {
    package var docs: [VivenuTicket]
    package var total: Int
}

/// One item of `POST scans/{eventId}`. vivenu documents `ticketId`, `barcode`, `scanned_at`,
/// `type` and `direction`; `scanId` and `deviceId` are sent too but are not documented (the
/// schema allows extra properties): they let a log or the fake tell a re-send from a new
/// scan, and vivenu is not known to dedupe on them.
package struct VivenuScanUpload: Encodable, Sendable {
    package var ticketId: String
    package var barcode: String
    package var scanned_at: String
    package var type: String
    package var direction: String
    package var scanId: String
    package var deviceId: String

    package init(_ r: ScanRecord, deviceID: String) {
        ticketId = r.ticketID ?? ""
        barcode = r.barcode
        scanned_at = ISO8601.format(r.time)
        type = r.outcome == .granted ? "OK" : "FAIL"
        direction = r.direction == .in ? "IN" : "OUT"
        scanId = r.scanID
        deviceId = deviceID
    }
}

/// An event of `GET events`.
package struct VivenuEvent: Decodable, Sendable {
    package var _id: String
    package var name: String?
}

/// The answer of `POST tickets/scan`: `access` GRANTED or DENIED, with vivenu's ticket.
package struct VivenuScanAnswer: Decodable, Sendable {
    package var access: String
    package var ticket: VivenuTicket?
}

/// A scan as vivenu portier sends and takes it (`/api/scans`).
package struct PortierScan: Codable, Sendable {
    package var ticketId: String
    package var time: String?
    package var eventId: String
    package var barcode: String
    package var ticketTypeId: String
    package var ticketName: String?
    package var deviceId: String?
    package var type: String
    package var scanResult: String

    package init(
        ticketId: String, time: String?, eventId: String, barcode: String, ticketTypeId: String,
        ticketName: String?, deviceId: String?, type: String, scanResult: String
    ) {
        self.ticketId = ticketId
        self.time = time
        self.eventId = eventId
        self.barcode = barcode
        self.ticketTypeId = ticketTypeId
        self.ticketName = ticketName
        self.deviceId = deviceId
        self.type = type
        self.scanResult = scanResult
    }
}

/// One page of portier's `GET /api/scans`.
package struct PortierPage: Decodable, Sendable {
    package var docs: [PortierScan]
    package var total: Int
}
