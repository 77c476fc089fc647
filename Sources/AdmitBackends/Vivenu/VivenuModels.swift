import AdmitCore

/// A ticket as vivenu's access-users API sends it (only the fields Admit uses).
struct VivenuTicket: Decodable, Sendable {
    struct PriceCategory: Decodable, Sendable {
        var categoryId: String?
        var description: String?
    }

    var _id: String
    var barcode: String
    var name: String?
    var ticketTypeId: String?
    var ticketName: String?
    var status: String?
    var entry: [String]?
    var priceCategory: PriceCategory?

    /// Admit's ticket: VALID admits, every other status (INVALID, RESERVED, …) is refused
    /// as cancelled with the status as message; `entry` names the entry areas.
    var ticket: Ticket {
        let valid = (status ?? "VALID").uppercased() == "VALID"
        return Ticket(
            id: _id, barcode: barcode, status: valid ? .valid : .cancelled,
            typeName: ticketName ?? "", typeID: ticketTypeId ?? "",
            category: priceCategory?.description ?? "", areas: entry ?? [],
            message: valid ? nil : "status \(status ?? "")")
    }
}

/// One page of `GET tickets/v2/{event}`.
struct VivenuTicketPage: Decodable, Sendable {
    var docs: [VivenuTicket]
    var total: Int
}

/// One item of `POST scans`. `scanId` and `deviceId` are optional attributes: the scan id
/// lets the backend recognize a re-sent scan after a lost reply.
struct VivenuScanUpload: Encodable, Sendable {
    var ticketId: String
    var barcode: String
    var scanned_at: String
    var type: String
    var direction: String
    var scanId: String
    var deviceId: String

    init(_ r: ScanRecord, deviceID: String) {
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
struct VivenuEvent: Decodable, Sendable {
    var _id: String
    var name: String?
}
