import AdmitCore

/// One scan the vivenu fake accepted through `POST scans`, as the client sent it.
public struct VivenuScan: Sendable, Hashable {
    /// `ticketId`: the vivenu ticket id; empty only for a `FAIL` scan of an unknown barcode.
    public var ticketId: String
    /// `barcode` as scanned.
    public var barcode: String
    /// `scanned_at` exactly as sent (an ISO timestamp).
    public var scannedAtText: String
    /// `scanned_at` parsed.
    public var scannedAt: Timestamp
    /// `type`: `OK` or `FAIL`.
    public var type: String
    /// `direction`: `IN` or `OUT`.
    public var direction: String
    /// Every other attribute of the item (the spec's "Optional Attributes"), e.g. an
    /// idempotency id an adapter adds.
    public var extra: [String: FakeJSONValue]
    /// The fake's clock when the scan was accepted.
    public var receivedAt: Timestamp
}

/// Reads and checks the body of `POST scans`.
enum VivenuScanParser {
    /// A reason a scan batch was refused, worded for the 400 answer.
    struct Refusal: Error {
        var message: String
    }

    /// The scans in `body`, or the first problem found. `isKnownTicket` tells whether a ticket
    /// id exists (the barcode is not checked against it: a ticket may have been re-issued). Nothing is accepted unless every item is valid.
    static func parse(
        _ body: [UInt8], receivedAt: Timestamp, isKnownTicket: (String) -> Bool
    ) -> Result<[VivenuScan], Refusal> {
        guard let json = FakeJSONValue.parse(body) else {
            return .failure(Refusal(message: "body is not valid JSON"))
        }
        guard let items = json.arrayValue else {
            return .failure(Refusal(message: "body must be a JSON array of scans"))
        }
        var scans: [VivenuScan] = []
        scans.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            switch scan(item, receivedAt: receivedAt, isKnownTicket: isKnownTicket) {
            case .success(let scan): scans.append(scan)
            case .failure(let refusal):
                return .failure(Refusal(message: "scans[\(index)]: \(refusal.message)"))
            }
        }
        return .success(scans)
    }

    private static func scan(
        _ item: FakeJSONValue, receivedAt: Timestamp, isKnownTicket: (String) -> Bool
    ) -> Result<VivenuScan, Refusal> {
        guard var fields = item.objectValue else {
            return .failure(Refusal(message: "must be an object"))
        }
        func take(_ name: String) -> Result<String, Refusal> {
            guard let value = fields.removeValue(forKey: name) else {
                return .failure(Refusal(message: "\(name) is required"))
            }
            guard let text = value.stringValue else {
                return .failure(Refusal(message: "\(name) must be a string"))
            }
            return .success(text)
        }
        do {
            // `ticketId` is not required (vivenu's OpenAPI); left out it reads as empty.
            let ticketId = fields["ticketId"] == nil ? "" : try take("ticketId").get()
            let barcode = try take("barcode").get()
            let scannedAtText = try take("scanned_at").get()
            let type = try take("type").get()
            let direction = try take("direction").get()
            guard !barcode.isEmpty else { throw Refusal(message: "barcode must not be empty") }
            guard let scannedAt = ISO8601.parse(scannedAtText) else {
                throw Refusal(message: "scanned_at must be an ISO timestamp, got \"\(scannedAtText)\"")
            }
            guard type == "OK" || type == "FAIL" else {
                throw Refusal(message: "type must be OK or FAIL, got \"\(type)\"")
            }
            guard direction == "IN" || direction == "OUT" else {
                throw Refusal(message: "direction must be IN or OUT, got \"\(direction)\"")
            }
            if ticketId.isEmpty {
                guard type == "FAIL" else {
                    throw Refusal(message: "ticketId must not be empty for an OK scan")
                }
            } else {
                guard isKnownTicket(ticketId) else {
                    throw Refusal(message: "ticketId \"\(ticketId)\" is not a ticket of this event")
                }
            }
            return .success(
                VivenuScan(
                    ticketId: ticketId, barcode: barcode, scannedAtText: scannedAtText,
                    scannedAt: scannedAt, type: type, direction: direction, extra: fields,
                    receivedAt: receivedAt))
        } catch let refusal as Refusal {
            return .failure(refusal)
        } catch {
            return .failure(Refusal(message: "\(error)"))
        }
    }
}
