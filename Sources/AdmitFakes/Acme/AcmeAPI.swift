import AdmitCore
import NIOCore
import NIOHTTP1
import Synchronization

/// The routes and data of the ACME b2b fake (base path `/v2/b2b`), following
/// docs/backends/acme.md; what it does where ACME documents nothing is marked (guess) there.
///
/// - `GET /barcodes?page=&pageSize=&sortField=&sortDirection=&eventId=&eventTemplateId=&
///   ticketTypeId=&externalOrderNumber=&createdAfter=&createdBefore=&updatedAfter=&updatedBefore=`
///   → ACME's documented envelope `{"list":[Barcode…],"pagination":{"page","pageSize",
///   "sortDirection","sortField","count"}}`, `count` the total of the call. `page` starts at 1;
///   `pageSize` defaults to 100 (documented) with no maximum (ACME documents none); a `page` or
///   `pageSize` below 1 is refused (guess). `usedAfter`/`usedBefore`/`status` are "not yet
///   working" in the spec and refused here so a client never relies on them.
/// - `GET /barcodes/{barcode}` → the Barcode object, 404 when unknown.
/// - `PUT /barcodes/deactivations`, body `[{barcode, code?, message?}]` → the Barcode objects
///   deactivated. Unknown barcodes are left out of the answer. Deactivating an inactive
///   barcode changes nothing (the first code and message stay) but it is still returned (guess).
///
/// Every request needs header `x-acme-api-key` (401 otherwise); errors are
/// `{"statusCode":N,"error":"…","message":"…"}` (guess: ACME documents no error body).
final class AcmeAPI: FakeRoutes {
    struct State {
        var store = AcmeStore()
        var deactivations: [AcmeDeactivation] = []
        /// Changes to make right after a list page with a given number was answered.
        var afterPage: [Int: @Sendable () -> Void] = [:]
    }

    let basePath = "/v2/b2b"
    let apiKey: String
    let tenantId = "tenant-1"
    let collaboratorId = 9
    let clock: FakeClock
    let state = Mutex(State())

    init(apiKey: String, clock: FakeClock) {
        self.apiKey = apiKey
        self.clock = clock
    }

    func respond(to request: FakeHTTPRequest) -> FakeHTTPResponse {
        guard let segments = request.segments(under: basePath), segments.first == "barcodes" else {
            return .error(.notFound, "Cannot \(request.method.rawValue) \(request.path)")
        }
        guard let sent = request.headers.first(name: "x-acme-api-key") else {
            return .error(.unauthorized, "missing header x-acme-api-key")
        }
        guard sent == apiKey else { return .error(.unauthorized, "invalid api key") }
        switch (request.method, segments.count) {
        case (.GET, 1): return list(request)
        case (.PUT, 2) where segments[1] == "deactivations": return deactivate(request)
        case (.GET, 2): return one(barcode: segments[1])
        default: return .error(.notFound, "Cannot \(request.method.rawValue) \(request.path)")
        }
    }

    private func list(_ request: FakeHTTPRequest) -> FakeHTTPResponse {
        for name in ["usedAfter", "usedBefore", "status"] where request.queryValue(name) != nil {
            return .error(.badRequest, "\(name) is not supported yet")
        }
        let pageText = request.queryValue("page") ?? "1"
        guard let page = Int(pageText), page >= 1 else {
            return .error(.badRequest, "page must be an integer >= 1, got \"\(pageText)\"")
        }
        let sizeText = request.queryValue("pageSize") ?? "100"
        guard let pageSize = Int(sizeText), pageSize >= 1 else {
            return .error(.badRequest, "pageSize must be an integer >= 1, got \"\(sizeText)\"")
        }
        let sortField = request.queryValue("sortField") ?? "createdOn"
        let fields = ["createdOn", "updatedOn", "usedOn", "barcode", "externalOrderNumber", "eventTemplateId"]
        guard fields.contains(sortField) else {
            return .error(.badRequest, "sortField must be one of \(fields.joined(separator: ", "))")
        }
        let direction = request.queryValue("sortDirection") ?? "asc"
        guard direction == "asc" || direction == "desc" else {
            return .error(.badRequest, "sortDirection must be asc or desc")
        }
        var times: [String: Timestamp] = [:]
        for name in ["createdAfter", "createdBefore", "updatedAfter", "updatedBefore"] {
            guard let text = request.queryValue(name) else { continue }
            guard let time = ISO8601.parse(text) else {
                return .error(.badRequest, "\(name) must be an ISO8601 date, got \"\(text)\"")
            }
            times[name] = time
        }
        let query = AcmeStore.Query(
            eventId: request.queryValue("eventId"), eventTemplateId: request.queryValue("eventTemplateId"),
            ticketTypeId: request.queryValue("ticketTypeId"), externalOrderNumber: request.queryValue("externalOrderNumber"),
            createdAfter: times["createdAfter"], createdBefore: times["createdBefore"],
            updatedAfter: times["updatedAfter"], updatedBefore: times["updatedBefore"],
            sortField: sortField, descending: direction == "desc")
        let response = state.withLock { state in
            let slots = state.store.select(query)
            let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: pageSize)
            let start = overflow ? slots.count : min(slots.count, offset)
            let end = start + min(pageSize, slots.count - start)
            var json = JSONWriter(capacity: 160 + (end - start) * 520)
            json.beginObject()
            json.key("list")
            json.beginArray()
            for slot in slots[start..<end] {
                state.store[slot].write(tenantId: tenantId, collaboratorId: collaboratorId, to: &json)
            }
            json.endArray()
            json.key("pagination")
            json.beginObject()
            json.key("page"); json.number(page)
            json.key("pageSize"); json.number(pageSize)
            json.key("sortDirection"); json.string(direction)
            json.key("sortField"); json.string(sortField)
            json.key("count"); json.number(slots.count)
            json.endObject()
            json.endObject()
            return FakeHTTPResponse(json: json)
        }
        state.withLock { $0.afterPage.removeValue(forKey: page) }?()
        return response
    }

    private func one(barcode: String) -> FakeHTTPResponse {
        state.withLock { state in
            guard let slot = state.store.slot(barcode: barcode) else {
                return .error(.notFound, "barcode \(barcode) does not exist")
            }
            var json = JSONWriter()
            state.store[slot].write(tenantId: tenantId, collaboratorId: collaboratorId, to: &json)
            return FakeHTTPResponse(json: json)
        }
    }

    private func deactivate(_ request: FakeHTTPRequest) -> FakeHTTPResponse {
        guard request.hasJSONContentType else { return .error(.badRequest, "content-type must be application/json") }
        guard let items = FakeJSONValue.parse(request.body.readableBytesView)?.arrayValue else {
            return .error(.badRequest, "body must be a JSON array of {barcode, code, message}")
        }
        let now = clock.now
        var parsed: [AcmeDeactivation] = []
        for (index, item) in items.enumerated() {
            guard let fields = item.objectValue, let barcode = fields["barcode"]?.stringValue, !barcode.isEmpty else {
                return .error(.badRequest, "[\(index)]: barcode is required")
            }
            var code: Int?
            if let value = fields["code"], value != .null {
                guard case .number(let n) = value, n == n.rounded(), (0...3000).contains(n) else {
                    return .error(.badRequest, "[\(index)]: code must be a number from 0 to 3000")
                }
                code = Int(n)
            }
            let message = fields["message"]?.stringValue
            if let message, message.count > 2048 {
                return .error(.badRequest, "[\(index)]: message is longer than 2048 characters")
            }
            parsed.append(AcmeDeactivation(barcode: barcode, code: code, message: message, receivedAt: now))
        }
        return state.withLock { state in
            state.deactivations += parsed
            var json = JSONWriter()
            json.beginArray()
            for item in parsed {
                guard let slot = state.store.slot(barcode: item.barcode) else { continue }
                if state.store[slot].active {
                    state.store.update(slot) { b in
                        b.active = false
                        b.updatedOn = now
                        b.deactivationCode = item.code
                        b.deactivationMessage = item.message
                    }
                }
                state.store[slot].write(tenantId: tenantId, collaboratorId: collaboratorId, to: &json)
            }
            json.endArray()
            return FakeHTTPResponse(json: json)
        }
    }
}
