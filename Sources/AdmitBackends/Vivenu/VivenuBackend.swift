import AdmitBackendCore
import AdmitCore
import Foundation

/// vivenu access control: tickets from `tickets/v2/{event}` (paged with `top`/`skip`,
/// deltas with `from`), scans out through `POST scans/{event}`, and optionally vivenu
/// portier for scans of the other gates. Every fact relied on, with its source, is in
/// docs/backends/vivenu-access-control.md.
///
/// Idempotency: the API documents no idempotency key (the scan item has five documented
/// properties, none an id), and access control offers no way to read scans back, so after a request whose answer was lost nothing can tell whether vivenu
/// stored it. Admit therefore: never re-sends a batch that was acknowledged (the journal marks
/// it in the same step); sends every scan with its own `scanId` (not a documented attribute; the item
/// schema does not forbid extra ones) so a log or the fake can tell a re-send; re-sends only a batch whose answer did not
/// arrive; and keeps portier apart from this upload (a portier outage never causes a re-send
/// here). What remains is one case: the request reached vivenu and the answer was lost; the
/// re-send may then be stored twice. Admission never depends on the upload: a duplicate
/// record at worst, never a second person through the gate.
///
/// Time windows: a delta asks for everything changed `from` the backend's time at which
/// the previous poll began (from the HTTP `Date` of its answers, carried on the monotonic
/// clock; never the kiosk's), less `overlapMilliseconds`, so an update committed late on the
/// server is fetched again rather than missed. The window is left open at the end (no
/// `until`): a ticket that changes while the gate pages through a closed window drops out
/// of it, and the tickets behind it shift onto a page already read and are never fetched;
/// in an open window a changed ticket keeps its place (pages are in creation order), so the
/// worst case is reading a ticket twice.
public final class VivenuBackend: TicketBackend {
    public let name = "vivenu"
    public let supportsDelta = true
    public let maximumBatchSize = 500
    public var identity: String { "vivenu:\(settings.eventID)" }

    let settings: VivenuSettings
    let http: BackendHTTP
    let answers: VivenuAnswers
    let context: BackendContext
    let portier: PortierClient?

    /// An adapter for one event.
    public init(settings: VivenuSettings, context: BackendContext) {
        self.settings = settings
        self.context = context
        http = BackendHTTP(backend: "vivenu", context: context, secrets: [settings.token])
        answers = VivenuAnswers(reader: http.reader)
        portier = settings.portierURL.map { _ in PortierClient(settings: settings, context: context) }
    }

    var headers: [(String, String)] { [("token", settings.token), ("Accept", "application/json")] }

    public func sync(from cursor: SyncCursor, deliver: @Sendable (TicketPage) async throws -> Void) async throws -> SyncCursor {
        var cursor = cursor
        if cursor.fullLoadComplete {
            cursor = try await delta(from: cursor, deliver: deliver)
        } else {
            cursor = try await fullLoad(from: cursor, deliver: deliver)
        }
        if let portier, let windowStart = cursor.windowStart {
            cursor = try await readOtherGates(portier, windowStart: windowStart, cursor: cursor, deliver: deliver)
        }
        return cursor
    }

    /// Other gates' check-ins from portier since the last successful read (kept in the
    /// cursor's `extra`), less the overlap. Portier failing never fails the ticket sync: the
    /// tickets are good, the problem goes to `status`, and the next pass reads again from
    /// the same point, so no check-in at another gate is skipped.
    private func readOtherGates(
        _ portier: PortierClient, windowStart: Timestamp, cursor: SyncCursor, deliver: @Sendable (TicketPage) async throws -> Void
    ) async throws -> SyncCursor {
        var cursor = cursor
        let since = cursor.extra.flatMap(ISO8601.parse).map { min($0, windowStart) } ?? windowStart
        do {
            let redemptions = try await portier.otherGatesScans(since: since.adding(milliseconds: -settings.overlapMilliseconds))
            cursor.extra = ISO8601.format(windowStart)
            try await deliver(TicketPage(tickets: [], redemptions: redemptions, cursor: cursor))
        } catch let error as BackendError {
            cursor.extra = ISO8601.format(since)
            try await deliver(TicketPage(tickets: [], cursor: cursor, problem: "\(error)"))
        }
        return cursor
    }

    private func fullLoad(from start: SyncCursor, deliver: @Sendable (TicketPage) async throws -> Void) async throws -> SyncCursor {
        var cursor = start
        var skip = start.resumeOffset
        while true {
            let (page, date) = try await fetchPage(skip: skip, from: nil)
            if cursor.windowStart == nil, let date {
                // Deltas after this load start where it started (less the overlap).
                cursor.windowStart = date.adding(milliseconds: -settings.overlapMilliseconds)
            }
            skip += page.tickets.count
            cursor.resumeOffset = skip
            let done = page.tickets.isEmpty || skip >= page.total
            if done { cursor.fullLoadComplete = true; cursor.resumeOffset = 0 }
            try await deliver(TicketPage(tickets: page.tickets, cursor: cursor))
            if done { return cursor }
        }
    }

    private func delta(from start: SyncCursor, deliver: @Sendable (TicketPage) async throws -> Void) async throws -> SyncCursor {
        var cursor = start
        guard let from = start.windowStart else { return cursor }
        // The server's time as this poll begins (known from earlier answers, else from the
        // first page's Date): the next window starts there, less the overlap.
        var began = context.serverNow()
        var skip = 0
        while true {
            let (page, date) = try await fetchPage(skip: skip, from: from)
            guard let start = began ?? date else {
                throw BackendError(.malformed, backend: name, request: "GET tickets", message: "the answer has no Date header; cannot place the delta window")
            }
            began = start
            skip += page.tickets.count
            let done = page.tickets.isEmpty || skip >= page.total
            if done { cursor.windowStart = start.adding(milliseconds: -settings.overlapMilliseconds) }
            try await deliver(TicketPage(tickets: page.tickets, cursor: cursor))
            if done { return cursor }
        }
    }

    func fetchPage(skip: Int, from: Timestamp?) async throws(BackendError)
        -> ((tickets: [Ticket], total: Int), Timestamp?)
    {
        var query = "top=\(settings.pageSize)&skip=\(skip)"
        if let from { query += "&from=\(ISO8601.format(from))" }
        let label = "GET tickets/v2/\(settings.eventID) (skip \(skip)\(from == nil ? "" : ", delta"))"
        let response = try await http.send(
            .GET, "\(settings.baseURL)/tickets/v2/\(settings.eventID)?\(query)", headers: headers,
            timeoutMilliseconds: settings.requestTimeoutMilliseconds, label: label)
        return (try answers.ticketPage(response, label: label), response.date)
    }

    public func upload(_ scans: [ScanRecord]) async throws -> [UploadResult] {
        var results = [UploadResult](repeating: .skipped, count: scans.count)
        // A scan of an unknown barcode names no ticket vivenu could attach it to.
        let sendable = scans.indices.filter { scans[$0].ticketID != nil }
        if !sendable.isEmpty {
            let outcome = try await post(sendable.map { scans[$0] })
            for (i, index) in sendable.enumerated() { results[index] = outcome[i] }
        }
        return results
    }

    /// vivenu portier, when configured: fed from the journal apart from `upload`, so a
    /// portier outage never makes access control receive a batch twice.
    public var mirror: (any ScanMirror)? { portier }

    /// Posts a batch; a batch refused as malformed is split until the bad scans are found,
    /// so one bad scan never holds back the others.
    private func post(_ scans: [ScanRecord]) async throws -> [UploadResult] {
        let body = Array(try JSONEncoder().encode(scans.map { VivenuScanUpload($0, deviceID: settings.deviceID) }))
        let label = "POST scans/\(settings.eventID) (\(scans.count))"
        // "Create scans" is `POST /api/accessusers/scans/{eventId}` (vivenu's OpenAPI; see
        // docs/backends/vivenu-access-control.md).
        let response = try await http.send(
            .POST, "\(settings.baseURL)/scans/\(FormEncoding.escape(settings.eventID))", headers: headers, body: body,
            timeoutMilliseconds: settings.requestTimeoutMilliseconds, label: label)
        if let refusal = answers.scansRefusal(response, label: label) {
            guard refusal.kind == .rejected else { throw refusal }
            if scans.count == 1 { return [.rejected(refusal.message)] }
            let middle = scans.count / 2
            let first = try await post(Array(scans[..<middle]))
            return first + (try await post(Array(scans[middle...])))
        }
        return Array(repeating: .accepted, count: scans.count)
    }

    /// "Get all accessible Events": every event the token may check in for.
    public func listEvents() async throws -> EventListing {
        let label = "GET events"
        let response = try await http.send(
            .GET, "\(settings.baseURL)/events", headers: headers, timeoutMilliseconds: settings.requestTimeoutMilliseconds,
            label: label)
        let listed = try answers.events(response, label: label)
        return EventListing(
            listed: true, events: listed, configKey: "event",
            configured: listed.contains { $0.id == settings.eventID } ? settings.eventID : nil)
    }

    public func shutdown() async {
        await http.shutdown()
        await portier?.shutdown()
    }
}
