import AdmitBackendCore
import AdmitCore
import Foundation

/// ACME b2b barcodes: tickets from `GET v2/b2b/barcodes` (paged with `page`/`pageSize` in
/// ACME's `{"list", "pagination"}` envelope until its `count` is reached, filtered by
/// `eventId` or `eventTemplateId`; docs/backends/acme.md), deltas with `updatedAfter`, and GRANTED
/// entries reported by deactivating the barcode with the message "Barcode was used on …"
/// (see `AcmeBackend+Upload`).
///
/// Every listing, full load and delta, is paged in `createdOn` order, and a delta's window
/// is open at the end (no `updatedBefore`), so a barcode updated while the gate pages keeps
/// its place and nothing shifts onto a page already read; in `updatedOn` order or in a
/// closed window it would move or drop out, and the barcodes behind it would be skipped.
/// Windows come from the server's clock (HTTP `Date`): each delta starts where the previous
/// poll (or the full load) began, less the overlap.
public final class AcmeBackend: TicketBackend {
    public let name = "acme"
    public let supportsDelta = true
    /// The deactivation list has no documented limit; 100 matches ACME's default page size
    /// (a guess, docs/backends/acme.md).
    public let maximumBatchSize = 100
    public var identity: String { "acme:\(settings.eventID ?? "template-" + (settings.eventTemplateID ?? ""))" }

    let settings: AcmeSettings
    let http: BackendHTTP
    let answers: AcmeAnswers
    let context: BackendContext

    /// An adapter for one event (or event template).
    public init(settings: AcmeSettings, context: BackendContext) {
        self.settings = settings
        self.context = context
        http = BackendHTTP(backend: "acme", context: context, secrets: [settings.apiKey])
        answers = AcmeAnswers(reader: http.reader)
    }

    var headers: [(String, String)] { [("x-acme-api-key", settings.apiKey), ("Accept", "application/json")] }
    var barcodesURL: String { "\(settings.baseURL)/v2/b2b/barcodes" }

    public func sync(from cursor: SyncCursor, deliver: @Sendable (TicketPage) async throws -> Void) async throws -> SyncCursor {
        if cursor.fullLoadComplete { return try await delta(from: cursor, deliver: deliver) }
        return try await fullLoad(from: cursor, deliver: deliver)
    }

    private func fullLoad(from start: SyncCursor, deliver: @Sendable (TicketPage) async throws -> Void) async throws -> SyncCursor {
        var cursor = start
        // resumeOffset counts pages already stored.
        var page = start.resumeOffset + 1
        while true {
            let (items, date) = try await fetch(page: page)
            if cursor.windowStart == nil, let date { cursor.windowStart = date.adding(milliseconds: -settings.overlapMilliseconds) }
            cursor.resumeOffset = page
            let done = isLast(items, page: page)
            if done { cursor.fullLoadComplete = true; cursor.resumeOffset = 0 }
            try await deliver(TicketPage(tickets: items.tickets, redemptions: items.redemptions, cursor: cursor))
            if done { return cursor }
            page += 1
        }
    }

    private func delta(from start: SyncCursor, deliver: @Sendable (TicketPage) async throws -> Void) async throws -> SyncCursor {
        var cursor = start
        guard let from = start.windowStart else { return cursor }
        // The server's time as this poll begins (known from earlier answers, else from the
        // first page's Date): the next window starts there, less the overlap.
        var began = context.serverNow()
        var page = 1
        while true {
            let (items, date) = try await fetch(page: page, updatedAfter: from)
            guard let start = began ?? date else {
                throw BackendError(.malformed, backend: name, request: "GET v2/b2b/barcodes", message: "the answer has no Date header; cannot place the delta window")
            }
            began = start
            let done = isLast(items, page: page)
            if done { cursor.windowStart = start.adding(milliseconds: -settings.overlapMilliseconds) }
            try await deliver(TicketPage(tickets: items.tickets, redemptions: items.redemptions, cursor: cursor))
            if done { return cursor }
            page += 1
        }
    }

    /// True when `items` (page number `page`) is the last: ACME's `count` is reached.
    private func isLast(_ items: AcmePage, page: Int) -> Bool {
        items.isLast(page: page, requestedPageSize: settings.pageSize)
    }

    private func fetch(page: Int, updatedAfter: Timestamp? = nil, pageSize: Int? = nil) async throws(BackendError)
        -> (items: AcmePage, date: Timestamp?)
    {
        var query = "\(settings.eventFilter)&page=\(page)&pageSize=\(pageSize ?? settings.pageSize)&sortDirection=asc&sortField=createdOn"
        if let updatedAfter { query += "&updatedAfter=\(ISO8601.format(updatedAfter))" }
        let label = "GET v2/b2b/barcodes (page \(page)\(updatedAfter == nil ? "" : ", delta"))"
        let response = try await http.send(.GET, "\(barcodesURL)?\(query)", headers: headers, timeoutMilliseconds: settings.requestTimeoutMilliseconds, label: label)
        return (try answers.barcodePage(response, label: label), response.date)
    }

    /// The spec offers no list of events: the operator takes the event (or event template)
    /// id from ACME. The configured one is confirmed by counting its barcodes (one page of one).
    public func listEvents() async throws -> EventListing {
        let total = try await fetch(page: 1, pageSize: 1).items.total
        let id = settings.eventID ?? settings.eventTemplateID ?? ""
        let kind = settings.eventID == nil ? "event template" : "event"
        let count = total == 0 ? "no barcodes: check the id" : "\(total) barcodes"
        return EventListing(
            listed: false, events: [BackendEvent(id: id, name: "", detail: count)],
            configKey: settings.eventID == nil ? "event_template" : "event", configured: id,
            note: "ACME's b2b barcodes API offers no list of events. Take the \(kind) id from ACME's back office "
                + "and set [backend] event (or event_template for a template); the one configured is shown with its barcodes.")
    }

    public func shutdown() async { await http.shutdown() }
}
