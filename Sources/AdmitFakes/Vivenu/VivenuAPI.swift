import AdmitCore
import NIOCore
import NIOHTTP1
import Synchronization

/// The routes and data of the vivenu access-control fake (base path `/api/accessusers`).
///
/// Endpoints (paths from vivenu's OpenAPI, docs/backends/vivenu-access-control.md):
/// - `GET /events` → `[{"_id","name"}]`
/// - `GET /tickets/v2/{eventId}?top=&skip=&from=&until=` → `{"docs":[…],"total":N}`
/// - `GET /tickets/{barcode}` ("Get Ticket with barcode") → ticket or 404
/// - `POST /tickets/{barcode}/scan` ("Scan Ticket with barcode") →
///   `{"access":"GRANTED"|"DENIED","ticket":{…}}`, 404 for an unknown barcode
/// - `POST /scans/{eventId}` with `[{ticketId?, barcode, scanned_at, type, direction, …}]` →
///   `{"status":"OK"}`
///
/// Every request needs the header `token`; a missing or wrong one gets 401.
final class VivenuAPI: FakeRoutes {
    struct State {
        var store = VivenuTicketStore()
        /// Slots checked in (realtime scan, or an `OK`/`IN` batch scan; `OK`/`OUT` clears).
        var checkedIn: Set<Int> = []
        var scans: [VivenuScan] = []
        /// Per connection, the items of the last batch stored from it that no later
        /// `POST scans` on the same connection has followed yet.
        var awaitingNextBatch: [Int: Int] = [:]
        /// Items of batches whose connection closed while they were awaiting the next batch.
        var unconfirmedScans = 0
        /// How long the answer to a stored `POST scans` batch takes to leave.
        var scanReplyDelayMilliseconds: Int64 = 0
        /// Changes to make right after the tickets page at a given `skip` was answered.
        var afterPage: [Int: @Sendable () -> Void] = [:]
    }

    let basePath = "/api/accessusers"
    let token: String
    let eventID: String
    let eventName: String
    let clock: FakeClock
    let state = Mutex(State())

    init(token: String, eventID: String, eventName: String, clock: FakeClock) {
        self.token = token
        self.eventID = eventID
        self.eventName = eventName
        self.clock = clock
    }

    func connectionClosed(_ connection: Int) {
        state.withLock { state in
            if let items = state.awaitingNextBatch.removeValue(forKey: connection) { state.unconfirmedScans += items }
        }
    }

    func respond(to request: FakeHTTPRequest) -> FakeHTTPResponse {
        guard let segments = request.segments(under: basePath) else {
            return .error(.notFound, "Cannot \(request.method.rawValue) \(request.path)")
        }
        guard let sent = request.headers.first(name: "token") else {
            return .error(.unauthorized, "missing header token")
        }
        guard sent == token else { return .error(.unauthorized, "invalid token") }
        switch (request.method, segments.count, segments.first) {
        case (.GET, 1, "events"):
            return events()
        case (.GET, 3, "tickets") where segments[1] == "v2":
            return tickets(eventID: segments[2], request)
        case (.GET, 2, "tickets"):
            return ticket(barcode: segments[1])
        case (.POST, 3, "tickets") where segments[2] == "scan":
            return scanRealtime(barcode: segments[1])
        case (.POST, 2, "scans"):
            guard segments[1] == eventID else { return .error(.notFound, "event \(segments[1]) not found") }
            return createScans(request)
        default:
            return .error(.notFound, "Cannot \(request.method.rawValue) \(request.path)")
        }
    }

    private func events() -> FakeHTTPResponse {
        var json = JSONWriter()
        json.beginArray()
        json.beginObject()
        json.key("_id")
        json.string(eventID)
        json.key("name")
        json.string(eventName)
        json.endObject()
        json.endArray()
        return FakeHTTPResponse(json: json)
    }

    private func tickets(eventID requested: String, _ request: FakeHTTPRequest) -> FakeHTTPResponse {
        guard requested == eventID else { return .error(.notFound, "event \(requested) not found") }
        // `top` defaults to 25 and ranges from 1 to 1000 (vivenu's OpenAPI).
        let topText = request.queryValue("top") ?? "25"
        guard let top = Int(topText), (1...1000).contains(top) else {
            return .error(.badRequest, "top must be an integer from 1 to 1000, got \"\(topText)\"")
        }
        let skipText = request.queryValue("skip") ?? "0"
        guard let skip = Int(skipText), skip >= 0 else {
            return .error(.badRequest, "skip must be an integer >= 0, got \"\(skipText)\"")
        }
        var bounds: [Timestamp?] = []
        for name in ["from", "until"] {
            guard let text = request.queryValue(name) else {
                bounds.append(nil)
                continue
            }
            guard let time = ISO8601.parse(text) else {
                return .error(.badRequest, "\(name) must be an ISO timestamp, got \"\(text)\"")
            }
            bounds.append(time)
        }
        let response = state.withLock { state in
            let window = state.store.window(from: bounds[0], until: bounds[1])
            let end = min(window.count, skip + top)
            var json = JSONWriter(capacity: 64 + max(0, end - skip) * 480)
            json.beginObject()
            json.key("docs")
            json.beginArray()
            if skip < end {
                for position in skip..<end {
                    VivenuTicketJSON.writeV2(state.store[window[position]], eventID: eventID, to: &json)
                }
            }
            json.endArray()
            json.key("total")
            json.number(window.count)
            json.endObject()
            return FakeHTTPResponse(json: json)
        }
        state.withLock { $0.afterPage.removeValue(forKey: skip) }?()
        return response
    }

    private func ticket(barcode: String) -> FakeHTTPResponse {
        state.withLock { state in
            guard let slot = state.store.slot(barcode: barcode) else {
                return .error(.notFound, "ticket with barcode \(barcode) not found")
            }
            var json = JSONWriter()
            VivenuTicketJSON.writeByBarcode(state.store[slot], eventID: eventID, to: &json)
            return FakeHTTPResponse(json: json)
        }
    }

    private func scanRealtime(barcode: String) -> FakeHTTPResponse {
        state.withLock { state in
            guard let slot = state.store.slot(barcode: barcode) else {
                return .error(.notFound, "ticket with barcode \(barcode) not found")
            }
            let stored = state.store[slot]
            let granted = stored.ticket.status == .valid && !state.checkedIn.contains(slot)
            if granted { state.checkedIn.insert(slot) }
            var json = JSONWriter()
            json.beginObject()
            json.key("access")
            json.string(granted ? "GRANTED" : "DENIED")
            json.key("ticket")
            VivenuTicketJSON.writeScanned(stored, eventID: eventID, to: &json)
            json.endObject()
            return FakeHTTPResponse(json: json)
        }
    }

    private func createScans(_ request: FakeHTTPRequest) -> FakeHTTPResponse {
        guard request.hasJSONContentType else {
            return .error(.badRequest, "content-type must be application/json")
        }
        let now = clock.now
        return state.withLock { state in
            // A client sends a connection's next request only after reading the previous
            // answer, and its next batch only after recording it.
            state.awaitingNextBatch[request.connection] = nil
            let parsed = VivenuScanParser.parse(
                Array(request.body.readableBytesView), receivedAt: now,
                isKnownTicket: { state.store.slot(id: $0) != nil })
            switch parsed {
            case .failure(let refusal):
                return .error(.badRequest, refusal.message)
            case .success(let scans):
                for scan in scans where scan.type == "OK" {
                    guard let slot = state.store.slot(id: scan.ticketId) else { continue }
                    if scan.direction == "IN" {
                        state.checkedIn.insert(slot)
                    } else {
                        state.checkedIn.remove(slot)
                    }
                }
                state.scans.append(contentsOf: scans)
                if request.connection != 0 { state.awaitingNextBatch[request.connection] = scans.count }
                var json = JSONWriter()
                json.beginObject()
                json.key("status")
                json.string("OK")
                json.endObject()
                var response = FakeHTTPResponse(json: json)
                response.delayMilliseconds = state.scanReplyDelayMilliseconds
                return response
            }
        }
    }
}
