import AdmitCore
import NIOCore
import NIOHTTP1
import Synchronization

/// The routes and data of the vivenu portier scans fake (base path `/api`).
final class PortierAPI: FakeRoutes {
    /// Query parameters `GET /api/scans` understands; any other is refused with 400.
    static let queryNames: Set<String> = ["eventId", "parentEventId", "barcode", "type", "top", "skip"]
    /// `time` operators understood, as `time[$op]=ISO`.
    static let timeOperators: Set<String> = ["$gt", "$gte", "$lt", "$lte"]
    /// Page size when `top` is left out, and the most served per page (vivenu's "get all"
    /// rule: 25 by default, up to 100).
    static let defaultTop = 25
    static let maximumTop = 100

    let basePath = "/api"
    let token: String
    let eventID: String
    let clock: FakeClock
    /// Every scan stored, in arrival order.
    let scans = Mutex<[StoredPortierScan]>([])

    init(token: String, eventID: String, clock: FakeClock) {
        self.token = token
        self.eventID = eventID
        self.clock = clock
    }

    func respond(to request: FakeHTTPRequest) -> FakeHTTPResponse {
        guard let segments = request.segments(under: basePath) else {
            return .error(.notFound, "Cannot \(request.method.rawValue) \(request.path)")
        }
        guard let authorization = request.headers.first(name: "authorization") else {
            return .error(.unauthorized, "missing header Authorization: Bearer <API key>")
        }
        guard authorization == "Bearer \(token)" else { return .error(.unauthorized, "invalid API key") }
        switch (request.method, segments) {
        case (.POST, ["scans"]): return create(request)
        case (.GET, ["scans"]): return list(request)
        default: return .error(.notFound, "Cannot \(request.method.rawValue) \(request.path)")
        }
    }

    private func create(_ request: FakeHTTPRequest) -> FakeHTTPResponse {
        guard request.hasJSONContentType else {
            return .error(.badRequest, "content-type must be application/json")
        }
        guard let body = FakeJSONValue.parse(request.body.readableBytesView) else {
            return .error(.badRequest, "body is not valid JSON")
        }
        let items = body.arrayValue ?? [body]
        let now = clock.now
        var created: [PortierScan] = []
        for (index, item) in items.enumerated() {
            switch PortierScanParser.scan(item, eventID: eventID, now: now) {
            case .success(let scan): created.append(scan)
            case .failure(let refusal):
                let prefix = body.arrayValue == nil ? "" : "scans[\(index)]: "
                return .error(.badRequest, prefix + refusal.message)
            }
        }
        scans.withLock { $0.append(contentsOf: created.map { StoredPortierScan(scan: $0, isInjected: false) }) }
        var json = JSONWriter()
        if body.arrayValue == nil {
            created[0].write(to: &json)
        } else {
            json.beginArray()
            for scan in created { scan.write(to: &json) }
            json.endArray()
        }
        return FakeHTTPResponse(json: json)
    }

    private func list(_ request: FakeHTTPRequest) -> FakeHTTPResponse {
        var filters: [String: String] = [:]
        var lower: (Timestamp, inclusive: Bool)?
        var upper: (Timestamp, inclusive: Bool)?
        var top = Self.defaultTop
        var skip = 0
        for (name, value) in request.query {
            if name.hasPrefix("time[") && name.hasSuffix("]") {
                let op = String(name.dropFirst(5).dropLast())
                guard Self.timeOperators.contains(op) else {
                    return .error(.badRequest, "time operator \(op) is not one of $gt, $gte, $lt, $lte")
                }
                guard let time = ISO8601.parse(value) else {
                    return .error(.badRequest, "\(name) must be an ISO date-time, got \"\(value)\"")
                }
                if op.hasPrefix("$g") { lower = (time, op == "$gte") } else { upper = (time, op == "$lte") }
                continue
            }
            if name == "time" {
                return .error(.badRequest, "time must be an object, e.g. time[$gte]=2030-01-23T23:00:00.000Z")
            }
            guard Self.queryNames.contains(name) else {
                return .error(.badRequest, "unknown query parameter \(name)")
            }
            switch name {
            case "top", "skip":
                guard let number = Double(value), number == number.rounded(), number >= (name == "top" ? 1 : 0),
                    number < 1e9
                else {
                    return .error(.badRequest, "\(name) must be a whole number \(name == "top" ? ">= 1" : ">= 0")")
                }
                if name == "top" { top = min(Int(number), Self.maximumTop) } else { skip = Int(number) }
            case "type" where value != "checkin" && value != "checkout":
                return .error(.badRequest, "type must be checkin or checkout")
            default:
                filters[name] = value
            }
        }
        let stored = scans.withLock { $0.map(\.scan) }
        let matching = stored.enumerated().filter { _, scan in
            if let lower, lower.inclusive ? scan.time < lower.0 : scan.time <= lower.0 { return false }
            if let upper, upper.inclusive ? scan.time > upper.0 : scan.time >= upper.0 { return false }
            for (name, wanted) in filters where Self.field(name, of: scan) != wanted { return false }
            return true
        }.sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
        var json = JSONWriter()
        json.beginObject()
        json.key("docs")
        json.beginArray()
        for (_, scan) in matching.dropFirst(skip).prefix(top) { scan.write(to: &json) }
        json.endArray()
        json.key("total")
        json.number(matching.count)
        json.endObject()
        return FakeHTTPResponse(json: json)
    }

    private static func field(_ name: String, of scan: PortierScan) -> String? {
        switch name {
        case "eventId": scan.eventId
        case "parentEventId": scan.parentEventId
        case "barcode": scan.barcode
        case "type": scan.type
        default: nil
        }
    }
}

/// A stored scan and whether it came from `PortierFake.addScan` rather than a client.
struct StoredPortierScan: Sendable {
    var scan: PortierScan
    var isInjected: Bool
}
