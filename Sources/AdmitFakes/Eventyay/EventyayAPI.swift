import AdmitCore
import NIOCore
import NIOHTTP1
import Synchronization

/// The routes and data of the eventyay fake, under `/eventyaydroid/api/{organizer}/{event}/`:
///
/// - `GET download/` → `{"version":3,"results":[position…],"questions":[…]}` (positions carry
///   `item_id` as the redeem answer does).
/// - `GET status/` → `{"checkins","total","version","event":{…},"items":[…]}`, items per
///   `item_id` with their variations, counting positions (`total`) and check-ins.
/// - `GET search/?query=` → `{"results":[…≤25],"version":3}`, empty below 4 characters.
/// - `POST redeem/`, form-encoded (`Content-Type: application/x-www-form-urlencoded`, else
///   400): `secret` (required), `nonce`, `datetime` (ISO 8601, 400 when unreadable), `force`,
///   `ignore_unpaid`, `questions_supported`, `answer_<id>`. Checked in this order:
///   a known `nonce` replays the first answer and checks nothing in again; unknown secret →
///   `error`/`unknown_ticket` (no data); not paid (unless `ignore_unpaid`) → `unpaid`;
///   `checkin_allowed == false` → `product`; required questions unanswered with
///   `questions_supported=true` and no `force` → `incomplete` with `questions`; checked in
///   before and no `force` → `already_redeemed`; else a check-in at `datetime` → `ok`.
///
/// The path must end in `/`; unknown organizer or event → 404; missing or wrong `key` → 403.
/// Errors other than redeem's own are `{"statusCode":N,"error":"…","message":"…"}`.
final class EventyayAPI: FakeRoutes {
    struct State {
        var positions: [EventyayFakePosition] = []
        var slot: [String: Int] = [:]
        var questions: [EventyayFakeQuestion] = []
        var checkins: [EventyayCheckin] = []
        var checkinCount: [String: Int] = [:]
        var answersByNonce: [String: (status: String, reason: String?)] = [:]
        /// Redeems answered from `answersByNonce` (a re-send the nonce made harmless).
        var replayedNonces = 0

        mutating func add(_ position: EventyayFakePosition) {
            if let existing = slot[position.secret] {
                positions[existing] = position
            } else {
                slot[position.secret] = positions.count
                positions.append(position)
            }
        }

        mutating func remove(_ secret: String) -> Bool {
            guard let index = slot.removeValue(forKey: secret) else { return false }
            positions.remove(at: index)
            for i in index..<positions.count { slot[positions[i].secret] = i }
            return true
        }
    }

    let basePath = "/eventyaydroid/api"
    let key: String
    let organizer: String
    let event: String
    let eventName: String
    let clock: FakeClock
    let state = Mutex(State())

    init(key: String, organizer: String, event: String, eventName: String, clock: FakeClock) {
        self.key = key
        self.organizer = organizer
        self.event = event
        self.eventName = eventName
        self.clock = clock
    }

    func respond(to request: FakeHTTPRequest) -> FakeHTTPResponse {
        guard let segments = request.segments(under: basePath), segments.count == 3, request.path.hasSuffix("/") else {
            return .error(.notFound, "Not found: \(request.path)")
        }
        guard segments[0] == organizer, segments[1] == event else {
            return .error(.notFound, "unknown organizer or event")
        }
        guard request.queryValue("key") == key else { return .error(.forbidden, "invalid authorization key") }
        switch (request.method, segments[2]) {
        case (.GET, "download"): return download()
        case (.GET, "status"): return status()
        case (.GET, "search"): return search(request.queryValue("query") ?? "")
        case (.POST, "redeem"): return redeem(request)
        default: return .error(.methodNotAllowed, "\(request.method.rawValue) not allowed on \(segments[2])/")
        }
    }

    private func download() -> FakeHTTPResponse {
        state.withLock { state in
            var json = JSONWriter(capacity: 256 + state.positions.count * 260)
            json.beginObject()
            json.key("version"); json.number(3)
            json.key("results")
            json.beginArray()
            for p in state.positions { p.write(redeemed: state.checkinCount[p.secret, default: 0] > 0, to: &json) }
            json.endArray()
            json.key("questions")
            json.beginArray()
            for q in state.questions { q.write(to: &json) }
            json.endArray()
            json.endObject()
            return FakeHTTPResponse(json: json)
        }
    }

    /// Totals, the event, and per item (the positions' `item`/`item_id`) and variation the
    /// positions and their check-ins, in the spec's shape.
    private func status() -> FakeHTTPResponse {
        state.withLock { state in
            struct Count {
                var name: String
                var total = 0
                var checkins = 0
                var variations: [String: (total: Int, checkins: Int)] = [:]
            }
            var items: [Int: Count] = [:]
            for p in state.positions {
                let checkins = state.checkinCount[p.secret, default: 0]
                var count = items[p.itemID] ?? Count(name: p.item)
                count.total += 1
                count.checkins += checkins
                if let variation = p.variation {
                    let known = count.variations[variation] ?? (0, 0)
                    count.variations[variation] = (known.total + 1, known.checkins + checkins)
                }
                items[p.itemID] = count
            }
            var json = JSONWriter()
            json.beginObject()
            json.key("checkins"); json.number(state.checkinCount.values.reduce(0, +))
            json.key("total"); json.number(state.positions.count)
            json.key("version"); json.number(3)
            json.key("event")
            json.beginObject()
            json.key("name"); json.string(eventName)
            json.key("slug"); json.string(event)
            json.key("timezone"); json.string("UTC")
            json.key("url"); json.string("https://eventyay.example/\(organizer)/\(event)/")
            json.key("organizer")
            json.beginObject()
            json.key("name"); json.string(organizer)
            json.key("slug"); json.string(organizer)
            json.endObject()
            json.endObject()
            json.key("items")
            json.beginArray()
            for (id, item) in items.sorted(by: { $0.key < $1.key }) {
                json.beginObject()
                json.key("name"); json.string(item.name)
                json.key("id"); json.number(id)
                json.key("checkins"); json.number(item.checkins)
                json.key("admission"); json.raw(Array("true".utf8))
                json.key("total"); json.number(item.total)
                json.key("variations")
                json.beginArray()
                for (position, (name, count)) in item.variations.sorted(by: { $0.key < $1.key }).enumerated() {
                    json.beginObject()
                    json.key("name"); json.string(name)
                    json.key("id"); json.number(position + 1)
                    json.key("checkins"); json.number(count.checkins)
                    json.key("total"); json.number(count.total)
                    json.endObject()
                }
                json.endArray()
                json.endObject()
            }
            json.endArray()
            json.endObject()
            return FakeHTTPResponse(json: json)
        }
    }

    private func search(_ query: String) -> FakeHTTPResponse {
        state.withLock { state in
            var json = JSONWriter()
            json.beginObject()
            json.key("results")
            json.beginArray()
            if query.count >= 4 {
                let hits = state.positions.lazy.filter {
                    $0.secret.hasPrefix(query) || $0.attendeeName.contains(query) || $0.order == query
                }.prefix(25)
                for p in hits { p.write(redeemed: state.checkinCount[p.secret, default: 0] > 0, to: &json) }
            }
            json.endArray()
            json.key("version"); json.number(3)
            json.endObject()
            return FakeHTTPResponse(json: json)
        }
    }

    private func redeem(_ request: FakeHTTPRequest) -> FakeHTTPResponse {
        let contentType = request.headers.first(name: "content-type")?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            return .error(.badRequest, "content-type must be application/x-www-form-urlencoded")
        }
        let form = Self.form(request.body)
        guard let secret = form["secret"], !secret.isEmpty else { return .error(.badRequest, "secret is required") }
        var time = clock.now
        if let text = form["datetime"] {
            guard let parsed = ISO8601.parse(text) else { return .error(.badRequest, "datetime is not ISO 8601: \(text)") }
            time = parsed
        }
        let force = form["force"] == "true"
        let nonce = form["nonce"]
        return state.withLock { state in
            if let nonce, let first = state.answersByNonce[nonce] {
                state.replayedNonces += 1
                return Self.answer(first.status, reason: first.reason, state: state, secret: secret)
            }
            let (status, reason) = Self.decide(secret, form: form, force: force, state: state)
            if status == "ok" {
                state.checkins.append(EventyayCheckin(secret: secret, nonce: nonce, time: time, forced: force))
                state.checkinCount[secret, default: 0] += 1
            }
            if let nonce, status != "incomplete" { state.answersByNonce[nonce] = (status, reason) }
            return Self.answer(status, reason: reason, state: state, secret: secret)
        }
    }

    private static func decide(_ secret: String, form: [String: String], force: Bool, state: State) -> (String, String?) {
        guard let slot = state.slot[secret] else { return ("error", "unknown_ticket") }
        let p = state.positions[slot]
        if !p.paid && form["ignore_unpaid"] != "true" { return ("error", "unpaid") }
        if !p.checkinAllowed { return ("error", "product") }
        if !force, form["questions_supported"] == "true",
            state.questions.contains(where: { $0.items.contains(p.itemID) && form["answer_\($0.id)"] == nil })
        {
            return ("incomplete", nil)
        }
        if !force, state.checkinCount[secret, default: 0] > 0 { return ("error", "already_redeemed") }
        return ("ok", nil)
    }

    private static func answer(_ status: String, reason: String?, state: State, secret: String) -> FakeHTTPResponse {
        var json = JSONWriter()
        json.beginObject()
        json.key("status"); json.string(status)
        if let reason { json.key("reason"); json.string(reason) }
        json.key("version"); json.number(3)
        if let slot = state.slot[secret] {
            let p = state.positions[slot]
            json.key("data")
            p.write(redeemed: state.checkinCount[secret, default: 0] > 0, to: &json)
            if status == "incomplete" {
                json.key("questions")
                json.beginArray()
                for q in state.questions where q.items.contains(p.itemID) { q.write(to: &json) }
                json.endArray()
            }
        }
        json.endObject()
        return FakeHTTPResponse(json: json)
    }

    /// Decodes a form body (`a=1&b=2`, `+` as space).
    private static func form(_ body: ByteBuffer) -> [String: String] {
        var result: [String: String] = [:]
        let text = String(buffer: body)
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count == 2 ? FakeHTTPRequest.decode(parts[1], plusIsSpace: true) : ""
            result[FakeHTTPRequest.decode(parts[0], plusIsSpace: true)] = value
        }
        return result
    }
}
