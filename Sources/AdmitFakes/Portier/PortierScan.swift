import AdmitCore

/// One scan object of the vivenu portier API.
public struct PortierScan: Sendable, Hashable {
    /// `ticketId` (required).
    public var ticketId: String
    /// `eventId` (required).
    public var eventId: String
    /// `barcode` (required).
    public var barcode: String
    /// `ticketTypeId` (required).
    public var ticketTypeId: String
    /// `type`: `checkin` or `checkout` (required).
    public var type: String
    /// `scanResult`: `approved` or `declined` (required).
    public var scanResult: String
    /// `time`; the fake's clock at arrival when the client left it out.
    public var time: Timestamp
    /// `parentEventId` (optional).
    public var parentEventId: String?
    /// `name` (optional): the ticket holder.
    public var name: String?
    /// `ticketName` (optional).
    public var ticketName: String?
    /// `deviceId` (optional): the gate that scanned.
    public var deviceId: String?
    /// `sellerId` (optional).
    public var sellerId: String?

    /// A scan; `type` and `scanResult` default to an approved check-in.
    public init(
        ticketId: String, eventId: String, barcode: String, ticketTypeId: String,
        type: String = "checkin", scanResult: String = "approved", time: Timestamp,
        parentEventId: String? = nil, name: String? = nil, ticketName: String? = nil,
        deviceId: String? = nil, sellerId: String? = nil
    ) {
        self.ticketId = ticketId
        self.eventId = eventId
        self.barcode = barcode
        self.ticketTypeId = ticketTypeId
        self.type = type
        self.scanResult = scanResult
        self.time = time
        self.parentEventId = parentEventId
        self.name = name
        self.ticketName = ticketName
        self.deviceId = deviceId
        self.sellerId = sellerId
    }

    /// Writes the scan in the spec's field order; absent optional fields are left out.
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("ticketId")
        json.string(ticketId)
        json.key("time")
        json.timestamp(time)
        json.key("eventId")
        json.string(eventId)
        optional("parentEventId", parentEventId, &json)
        json.key("barcode")
        json.string(barcode)
        optional("name", name, &json)
        json.key("ticketTypeId")
        json.string(ticketTypeId)
        optional("ticketName", ticketName, &json)
        optional("deviceId", deviceId, &json)
        json.key("type")
        json.string(type)
        json.key("scanResult")
        json.string(scanResult)
        optional("sellerId", sellerId, &json)
        json.endObject()
    }

    private func optional(_ key: StaticString, _ value: String?, _ json: inout JSONWriter) {
        guard let value else { return }
        json.key(key)
        json.string(value)
    }
}

/// Reads and checks scan objects posted to `POST /api/scans`.
enum PortierScanParser {
    static let required = ["ticketId", "eventId", "barcode", "ticketTypeId", "type", "scanResult"]
    static let optional = ["time", "parentEventId", "name", "ticketName", "deviceId", "sellerId"]

    /// The scan in `item`, or a message naming the offending attribute. Unknown attributes
    /// are refused: the spec lists every attribute of the scan object.
    static func scan(_ item: FakeJSONValue, eventID: String, now: Timestamp) -> Result<PortierScan, PortierRefusal> {
        guard let fields = item.objectValue else { return .failure(PortierRefusal("must be an object")) }
        if let unknown = fields.keys.sorted().first(where: { !required.contains($0) && !optional.contains($0) }) {
            return .failure(PortierRefusal("unknown attribute \(unknown)"))
        }
        var values: [String: String] = [:]
        for name in required {
            guard let value = fields[name] else { return .failure(PortierRefusal("\(name) is required")) }
            guard let text = value.stringValue, !text.isEmpty else {
                return .failure(PortierRefusal("\(name) must be a non-empty string"))
            }
            values[name] = text
        }
        for name in optional {
            guard let value = fields[name], value != .null else { continue }
            guard let text = value.stringValue else { return .failure(PortierRefusal("\(name) must be a string")) }
            values[name] = text
        }
        guard values["type"] == "checkin" || values["type"] == "checkout" else {
            return .failure(PortierRefusal("type must be checkin or checkout"))
        }
        guard values["scanResult"] == "approved" || values["scanResult"] == "declined" else {
            return .failure(PortierRefusal("scanResult must be approved or declined"))
        }
        guard values["eventId"] == eventID else {
            return .failure(PortierRefusal("eventId \(values["eventId"]!) is not an event of this account"))
        }
        var time = now
        if let text = values["time"] {
            guard let parsed = ISO8601.parse(text) else {
                return .failure(PortierRefusal("time must be an ISO date-time, got \"\(text)\""))
            }
            time = parsed
        }
        return .success(
            PortierScan(
                ticketId: values["ticketId"]!, eventId: values["eventId"]!, barcode: values["barcode"]!,
                ticketTypeId: values["ticketTypeId"]!, type: values["type"]!,
                scanResult: values["scanResult"]!, time: time, parentEventId: values["parentEventId"],
                name: values["name"], ticketName: values["ticketName"], deviceId: values["deviceId"],
                sellerId: values["sellerId"]))
    }
}

/// Why a posted scan was refused, worded for the 400 answer.
struct PortierRefusal: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
