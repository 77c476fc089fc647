import AdmitCore
import NIOCore

/// `cache/validTickets`, `cache/syncScans` and `validateTicket`.
extension AudienceViewAPI {
    /// The client, series and performance a request filters on; nil fields are not filtered.
    struct Filter {
        var clientId: Int64
        var productionId: Int64?
        var performanceId: Int64?

        func matches(_ ticket: AudienceViewFakeTicket) -> Bool {
            (productionId.map { $0 == ticket.productionId } ?? true) && (performanceId.map { $0 == ticket.performanceId } ?? true)
        }
    }

    /// Reads the filter from query or body values; code 15 when `clientId` is missing or
    /// a value is not a number, 7 when the client is not the user's.
    func filter(_ value: (String) -> FakeJSONValue?) -> Result<Filter, FakeError> {
        func number(_ name: String) -> Result<Int64?, FakeError> {
            switch value(name) {
            case nil, .null?: return .success(nil)
            case .number(let n)? where n == n.rounded(): return .success(Int64(n))
            case .string(let s)? where Int64(s) != nil: return .success(Int64(s))
            default: return .failure(FakeError(code: 15))
            }
        }
        do {
            guard let client = try number("clientId").get() else { throw FakeError(code: 15) }
            guard client == clientID else { throw FakeError(code: 7) }
            return .success(Filter(clientId: client, productionId: try number("productionId").get(), performanceId: try number("performanceId").get()))
        } catch let error as FakeError {
            return .failure(error)
        } catch {
            return .failure(FakeError(code: 16))
        }
    }

    /// A documented error code, as a Swift error inside the fake.
    struct FakeError: Error {
        var code: Int
        func response(expiration: Int64) -> FakeHTTPResponse { AudienceViewErrorTable.response(code: code, expiration: expiration) }
    }

    func validTickets(_ request: FakeHTTPRequest, state: AudienceViewFakeState, expiration: Int64) -> FakeHTTPResponse {
        let chosen: Filter
        switch filter({ request.queryValue($0).map(FakeJSONValue.string) }) {
        case .failure(let error): return error.response(expiration: expiration)
        case .success(let value): chosen = value
        }
        var json = JSONWriter(capacity: 256 + state.tickets.count * 460)
        AudienceViewErrorTable.beginSuccess(&json, expiration: expiration)
        for (name, value) in [("clientId", Optional(chosen.clientId)), ("productionId", chosen.productionId), ("performanceId", chosen.performanceId)] {
            json.key(name)
            if let value { json.number(Int(value)) } else { json.raw(Array("null".utf8)) }
        }
        json.key("tickets")
        json.beginArray()
        for (slot, ticket) in state.tickets.enumerated() where chosen.matches(ticket) {
            AudienceViewTicketJSON.write(ticket, alreadyScanned: state.scanned.contains(slot), to: &json)
        }
        json.endArray()
        json.endObject()
        return FakeHTTPResponse(json: json)
    }

    func validateTicket(_ request: FakeHTTPRequest, state: inout AudienceViewFakeState, expiration: Int64) -> FakeHTTPResponse {
        guard request.hasJSONContentType, let body = FakeJSONValue.parse(request.body.readableBytesView)?.objectValue,
            let barcode = body["barcodeString"]?.stringValue, !barcode.isEmpty
        else { return FakeError(code: 15).response(expiration: expiration) }
        let chosen: Filter
        switch filter({ body[$0] }) {
        case .failure(let error): return error.response(expiration: expiration)
        case .success(let value): chosen = value
        }
        guard let slot = state.slotByBarcode[barcode] else { return FakeError(code: 11).response(expiration: expiration) }
        let ticket = state.tickets[slot]
        if let production = chosen.productionId, production != ticket.productionId { return FakeError(code: 9).response(expiration: expiration) }
        if let performance = chosen.performanceId, performance != ticket.performanceId { return FakeError(code: 10).response(expiration: expiration) }
        switch ticket.cancellation {
        case .refunded?: return FakeError(code: 14).response(expiration: expiration)
        case .voided?: return FakeError(code: 13).response(expiration: expiration)
        case nil: break
        }
        guard !state.scanned.contains(slot) else { return FakeError(code: 12).response(expiration: expiration) }
        state.scanned.insert(slot)
        var json = JSONWriter()
        AudienceViewErrorTable.beginSuccess(&json, expiration: expiration)
        json.key("name")
        json.string(ticket.orderConsumerName ?? "")
        json.key("performance")
        json.string(ticket.productionName)
        json.key("section")
        json.string(ticket.section ?? "")
        json.key("seat")
        json.string(ticket.seat ?? "")
        json.key("successMsg")
        json.string("<div style='font-size:1.4em;background-color:green;color:white;padding:5px;'><div>\(ticket.productionName)</div></div>")
        json.endObject()
        return FakeHTTPResponse(json: json)
    }

    /// Takes the valid scans in the body; per-ticket problems go to `failedBarcodes` with the
    /// spec's reasons, a malformed body is code 15 (nothing taken). A scan re-sent with the
    /// same ticket and `scanTime` is taken again without a second entry.
    func syncScans(_ request: FakeHTTPRequest, now: Timestamp, state: inout AudienceViewFakeState, expiration: Int64) -> FakeHTTPResponse {
        guard request.hasJSONContentType, let body = FakeJSONValue.parse(request.body.readableBytesView)?.objectValue,
            let items = body["tickets"]?.arrayValue
        else { return FakeError(code: 15).response(expiration: expiration) }
        let chosen: Filter
        switch filter({ body[$0] }) {
        case .failure(let error): return error.response(expiration: expiration)
        case .success(let value): chosen = value
        }
        var parsed: [(ticketId: Int64, performanceId: Int64, barcode: String, scanTime: Int64)] = []
        for item in items {
            guard let fields = item.objectValue, case .number(let ticket)? = fields["ticketId"],
                case .number(let performance)? = fields["performanceId"], case .number(let time)? = fields["scanTime"],
                let barcode = (fields["barcode"] ?? fields["barcodeString"])?.stringValue
            else { return FakeError(code: 15).response(expiration: expiration) }
            parsed.append((Int64(ticket), Int64(performance), barcode, Int64(time)))
        }
        var failures: [(String, String)] = []
        for item in parsed {
            guard let slot = state.slotByTicketID[item.ticketId], state.tickets[slot].barcode == item.barcode else {
                failures.append((item.barcode, "Ticket ID not found."))
                continue
            }
            let ticket = state.tickets[slot]
            if item.performanceId != ticket.performanceId || !chosen.matches(ticket) {
                failures.append((item.barcode, "Ticket does not belong to performance #\(chosen.performanceId ?? item.performanceId)"))
            } else if ticket.cancellation != nil {
                failures.append((item.barcode, "Ticket is refunded or voided."))
            } else if item.scanTime > now.millisecondsSince1970 {
                failures.append((item.barcode, "Scan time is in the future."))
            } else if now.millisecondsSince1970 - item.scanTime > 48 * 3_600_000 {
                failures.append((item.barcode, "Scan time is more than 48 hours ago. We cannot process scans that old."))
            } else if state.scanKeys.insert(.init(ticketId: item.ticketId, scanTime: item.scanTime)).inserted {
                state.scanned.insert(slot)
                state.scans.append(AudienceViewSyncedScan(
                    ticketId: item.ticketId, performanceId: item.performanceId, barcode: item.barcode,
                    scanTime: Timestamp(millisecondsSince1970: item.scanTime), receivedAt: now))
            }
        }
        var json = JSONWriter()
        AudienceViewErrorTable.beginSuccess(&json, expiration: expiration)
        json.key("failedBarcodes")
        json.beginArray()
        for (barcode, reason) in failures {
            json.beginObject()
            json.key("barcode")
            json.string(barcode)
            json.key("reason")
            json.string(reason)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return FakeHTTPResponse(json: json)
    }
}
