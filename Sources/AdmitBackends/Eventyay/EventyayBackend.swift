import AdmitBackendCore
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
    let answers: EventyayAnswers
    let context: BackendContext
    /// Tickets per delivered page (the download is one answer, handed on in pieces).
    static let pageSize = 10_000

    /// An adapter for one event.
    public init(settings: EventyaySettings, context: BackendContext) {
        self.settings = settings
        self.context = context
        // 100 k positions are about 25 MB of JSON.
        http = BackendHTTP(backend: "eventyay", context: context, secrets: [settings.key], maximumResponseBytes: 256 << 20)
        answers = EventyayAnswers(reader: http.reader, settings: settings)
    }

    /// Downloads every position. Each pass is a whole load (`supportsDelta` is false);
    /// positions eventyay reports as `redeemed` also come as redemptions.
    public func sync(from cursor: SyncCursor, deliver: @Sendable (TicketPage) async throws -> Void) async throws -> SyncCursor {
        let label = "GET download/"
        let response = try await http.send(
            .GET, settings.url("download"), headers: [("Accept", "application/json")],
            timeoutMilliseconds: settings.downloadTimeoutMilliseconds, label: label)
        let (positions, mapping) = try answers.download(response, label: label)
        let time = response.date ?? context.serverNow() ?? Timestamp(millisecondsSince1970: 0)
        var final = cursor
        final.fullLoadComplete = true
        final.resumeOffset = 0
        final.windowStart = response.date
        var start = 0
        repeat {
            let end = min(positions.count, start + Self.pageSize)
            let (tickets, redemptions) = answers.page(positions[start..<end], mapping: mapping, time: time)
            try await deliver(TicketPage(tickets: tickets, redemptions: redemptions, cursor: end == positions.count ? final : cursor))
            start = end
        } while start < positions.count
        return final
    }

    /// `status/`: check-ins and totals as eventyay counts them.
    public func status() async throws(BackendError) -> EventyayStatus {
        let label = "GET status/"
        let response = try await http.send(
            .GET, settings.url("status"), headers: [("Accept", "application/json")],
            timeoutMilliseconds: settings.requestTimeoutMilliseconds, label: label)
        return try answers.status(response, label: label)
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
