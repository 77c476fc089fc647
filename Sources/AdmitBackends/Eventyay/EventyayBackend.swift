import AdmitCore
import Foundation

/// eventyay through the pretixdroid protocol (`eventyaydroid/api/{organizer}/{event}/…`,
/// query parameter `key`): tickets from `download/` (no delta: every sync downloads the
/// event again and the syncer diffs it into the index), scans out through `redeem/` one per
/// scan (see `EventyayBackend+Upload`), realtime `redeem/`, and `status/`.
public final class EventyayBackend: TicketBackend {
    public let name = "eventyay"
    public let supportsDelta = false
    /// Scans per flush batch; each is one `redeem/` request, `uploadConcurrency` at a time.
    public let maximumBatchSize = 500
    public var identity: String { "eventyay:\(settings.organizer)/\(settings.event)" }

    let settings: EventyaySettings
    let http: BackendHTTP
    let context: BackendContext
    /// Tickets per delivered page (the download is one answer, handed on in pieces).
    static let pageSize = 10_000

    /// An adapter for one event.
    public init(settings: EventyaySettings, context: BackendContext) {
        self.settings = settings
        self.context = context
        // 100 k positions are about 25 MB of JSON.
        http = BackendHTTP(backend: "eventyay", context: context, maximumResponseBytes: 256 << 20)
    }

    /// Downloads every position. Each pass is a whole load (`supportsDelta` is false);
    /// positions eventyay reports as `redeemed` also come as redemptions.
    public func sync(from cursor: SyncCursor, deliver: @Sendable (TicketPage) async throws -> Void) async throws -> SyncCursor {
        let label = "GET download/"
        let response = try await http.send(
            .GET, settings.url("download"), headers: [("Accept", "application/json")],
            timeoutMilliseconds: settings.downloadTimeoutMilliseconds, label: label)
        try check(response, label: label)
        let download = try http.decode(EventyayDownload.self, response.body, label: label)
        let mapping = EventyayMapping(settings: settings, questions: download.questions ?? [])
        let time = response.date ?? context.serverNow() ?? Timestamp(millisecondsSince1970: 0)
        var final = cursor
        final.fullLoadComplete = true
        final.resumeOffset = 0
        final.windowStart = response.date
        var start = 0
        repeat {
            let end = min(download.results.count, start + Self.pageSize)
            let slice = download.results[start..<end]
            var page = cursor
            if end == download.results.count { page = final }
            let redemptions = slice.filter { $0.redeemed ?? false }.map {
                RedemptionEvent(scanID: "eventyay-redeemed:\($0.secret)", barcode: $0.secret, ticketID: $0.secret,
                                gate: "eventyay", direction: .in, time: time, origin: .backend)
            }
            try await deliver(TicketPage(tickets: slice.map(mapping.ticket), redemptions: redemptions, cursor: page))
            start = end
        } while start < download.results.count
        return final
    }

    /// Maps the documented statuses: 403 invalid key, 404 unknown organizer or event.
    func check(_ response: BackendResponse, label: String) throws(BackendError) {
        switch response.status {
        case 403: throw BackendError(.unauthorized, backend: name, request: label, message: "HTTP 403: invalid authorization key")
        case 404: throw BackendError(.rejected, backend: name, request: label, message: "HTTP 404: unknown organizer or event \(settings.organizer)/\(settings.event)")
        default: try http.check(response, label: label)
        }
    }

    /// `status/`: check-ins and totals as eventyay counts them.
    public func status() async throws(BackendError) -> EventyayStatus {
        let label = "GET status/"
        let response = try await http.send(
            .GET, settings.url("status"), headers: [("Accept", "application/json")],
            timeoutMilliseconds: settings.requestTimeoutMilliseconds, label: label)
        try check(response, label: label)
        return try http.decode(EventyayStatus.self, response.body, label: label)
    }

    /// The pretixdroid API lists no events: a device key belongs to one event, named by the
    /// organizer and event slugs in the URL. `status/` confirms the configured one.
    public func listEvents() async throws -> EventListing {
        let status = try await status()
        let slug = status.event?.slug ?? settings.event
        let organizer = status.event?.organizer?.slug ?? settings.organizer
        return EventListing(
            listed: false,
            events: [BackendEvent(
                id: "\(organizer)/\(slug)", name: status.event?.name ?? "",
                detail: "\(status.total) tickets, \(status.checkins) checked in")],
            configKey: "organizer/event", configured: "\(settings.organizer)/\(settings.event)",
            note: "eventyay's pretixdroid API offers no list of events: a device key belongs to one event. "
                + "Set [backend] organizer and event to the two slugs of the event's address "
                + "(https://…/ORGANIZER/EVENT/); the one configured is shown as eventyay confirms it.")
    }

    public func shutdown() async { await http.shutdown() }
}
