import AdmitBackendCore
import AdmitCore
import Foundation

/// AudienceView Professional scanning API: all valid tickets from `cache/validTickets`
/// (no delta: every pass is a full download), this gate's GRANTED entries out through
/// `cache/syncScans`, `validateTicket` for realtime checks, `filterOptions` for
/// `admitctl backend events`, and `invalidateToken` on shutdown. Authentication and
/// error codes are handled by `AudienceViewSession`.
///
/// - `alreadyScanned` tickets are delivered as redemptions learned from the backend (one
///   per ticket, under a stable id, so repeated downloads apply once) and refused at the gate.
/// - `refundedOrVoided` tickets are cancelled.
/// - Only GRANTED entries are uploaded (AudienceView takes valid scans only and knows no
///   exits); DENIED scans and exits are `.skipped`.
/// - `failedBarcodes` become `.rejected(reason)` for the scans of that barcode: recorded,
///   never retried. Scans more than 48 hours old by the backend's clock are rejected before
///   sending, with a reason saying so, because AudienceView refuses them.
/// - `scanTime` is the scan's time, which the gate takes from the backend's clock; it is
///   never sent later than the backend's current time (AudienceView refuses future scans).
///
/// Idempotency: a re-sent scan carries the same ticket and `scanTime`, so AudienceView sees
/// the same scan again rather than a new entry; admission never depends on the upload.
public final class AudienceViewBackend: TicketBackend {
    public let name = "audienceview"
    public let supportsDelta = false
    public let maximumBatchSize = 500
    public var identity: String {
        "audienceview:\(settings.clientID):\(settings.productionID.map(String.init) ?? "*"):\(settings.performanceID.map(String.init) ?? "*")"
    }

    let settings: AudienceViewSettings
    let context: BackendContext
    let session: AudienceViewSession
    let answers: AudienceViewAnswers

    /// An adapter for one client (and optionally one series or performance).
    public init(settings: AudienceViewSettings, context: BackendContext) {
        self.settings = settings
        self.context = context
        let http = BackendHTTP(
            backend: "audienceview", context: context, secrets: [settings.password], maximumResponseBytes: 512 << 20)
        session = AudienceViewSession(settings: settings, http: http, context: context)
        answers = AudienceViewAnswers(reader: http.reader)
    }

    /// True while the adapter holds an access token.
    public var isLoggedIn: Bool { get async { await session.hasToken } }

    public func sync(from cursor: SyncCursor, deliver: @Sendable (TicketPage) async throws -> Void) async throws -> SyncCursor {
        var query = "clientId=\(settings.clientID)"
        if let production = settings.productionID { query += "&productionId=\(production)" }
        if let performance = settings.performanceID { query += "&performanceId=\(performance)" }
        let answer = try await session.call(
            AudienceViewValidTickets.self, .GET, "cache/validTickets?\(query)",
            timeoutMilliseconds: settings.downloadTimeoutMilliseconds, label: "GET cache/validTickets")
        let (tickets, heardAt) = try answers.validTickets(answer, serverNow: context.serverNow(), label: "GET cache/validTickets")
        var result = cursor
        result.windowStart = heardAt
        var start = 0
        repeat {
            let end = min(tickets.count, start + settings.pageSize)
            result.resumeOffset = end
            if end == tickets.count {
                result.fullLoadComplete = true
                result.resumeOffset = 0
            }
            let page = answers.page(tickets[start..<end], heardAt: heardAt)
            try await deliver(TicketPage(tickets: page.tickets, redemptions: page.redemptions, cursor: result))
            start = end
        } while start < tickets.count
        return result
    }

    public func upload(_ scans: [ScanRecord]) async throws -> [UploadResult] {
        var results = [UploadResult](repeating: .skipped, count: scans.count)
        let now = context.serverNow()
        var items: [(index: Int, item: AudienceViewSyncRequest.Item)] = []
        for (index, scan) in scans.enumerated() where scan.outcome == .granted && scan.direction == .in {
            switch item(for: scan, now: now) {
            case .success(let item): items.append((index, item))
            case .failure(let refusal): results[index] = .rejected(refusal.reason)
            }
        }
        for start in stride(from: 0, to: items.count, by: maximumBatchSize) {
            let chunk = Array(items[start..<min(items.count, start + maximumBatchSize)])
            let outcome = try await post(chunk.map(\.item))
            for (position, entry) in chunk.enumerated() { results[entry.index] = outcome[position] }
        }
        return results
    }

    /// Why a scan is not sent.
    struct Refusal: Error {
        var reason: String
    }

    /// The `syncScans` item of a GRANTED entry, or why it cannot be sent.
    func item(for scan: ScanRecord, now: Timestamp?) -> Result<AudienceViewSyncRequest.Item, Refusal> {
        guard let ticketID = scan.ticketID.flatMap({ Int64($0) }) else {
            return .failure(Refusal(reason: "not an AudienceView ticket (no ticket id); not sent"))
        }
        guard let performanceID = scan.ticketTypeID.flatMap({ Int64($0) }) ?? settings.performanceID else {
            return .failure(Refusal(reason: "the ticket's performance is unknown; not sent"))
        }
        var scanTime = scan.time
        if let now {
            let age = now.millisecondsSince1970 - scanTime.millisecondsSince1970
            if age > settings.maximumScanAgeMilliseconds {
                let hours = Double(age) / 3_600_000
                let reason = "scanned \(scanTime) (\(String(format: "%.1f", hours)) h ago by AudienceView's clock): "
                    + "AudienceView refuses scans more than 48 hours old; not sent, record it in AudienceView by hand"
                return .failure(Refusal(reason: reason))
            }
            if scanTime > now { scanTime = now }
        }
        return .success(.init(ticketId: ticketID, performanceId: performanceID, barcode: scan.barcode, scanTime: scanTime.millisecondsSince1970))
    }

    /// Posts one batch. A batch refused as a whole (codes 8–15) is split until the bad scan
    /// is found, so one bad scan never holds back the others.
    private func post(_ items: [AudienceViewSyncRequest.Item]) async throws -> [UploadResult] {
        let request = AudienceViewSyncRequest(
            clientId: settings.clientID, productionId: settings.productionID, performanceId: settings.performanceID,
            tickets: items)
        let label = "POST cache/syncScans (\(items.count))"
        do {
            let answer = try await session.call(
                AudienceViewSyncAnswer.self, .POST, "cache/syncScans", body: Array(try JSONEncoder().encode(request)),
                timeoutMilliseconds: settings.requestTimeoutMilliseconds, label: label)
            return answers.syncResults(answer, barcodes: items.map(\.barcode))
        } catch let error as BackendError where error.kind == .rejected {
            if items.count == 1 { return [.rejected(error.message)] }
            let middle = items.count / 2
            let first = try await post(Array(items[..<middle]))
            return first + (try await post(Array(items[middle...])))
        }
    }

    /// Every client, series and performance the user may scan, from `filterOptions`: ids
    /// are `client`, `client/production` and `client/production/performance` (what
    /// `[backend] client`, `production` and `performance` take), names the client or
    /// production, and the detail the performance's start by AudienceView's clock.
    public func listEvents() async throws -> EventListing {
        let answer = try await session.call(
            AudienceViewFilterOptions.self, .GET, "filterOptions",
            timeoutMilliseconds: settings.requestTimeoutMilliseconds, label: "GET filterOptions")
        let events = answers.events(answer)
        return EventListing(
            listed: true, events: events, configKey: "client/production/performance",
            configured: configuredEntry(in: events))
    }

    /// The listed id the configuration names: the performance, else the series, else the client.
    private func configuredEntry(in events: [BackendEvent]) -> String? {
        let client = "\(settings.clientID)"
        let matches = events.map(\.id).filter { id in
            let parts = id.split(separator: "/").map(String.init)
            guard parts.first == client else { return false }
            if let performance = settings.performanceID {
                return parts.count == 3 && parts[2] == "\(performance)"
                    && settings.productionID.map { parts[1] == "\($0)" } ?? true
            }
            if let production = settings.productionID { return parts.count == 2 && parts[1] == "\(production)" }
            return parts.count == 1
        }
        return matches.first
    }

    /// Logs out (`invalidateToken`), as AudienceView prefers to letting the token lapse.
    public func shutdown() async {
        await session.invalidate(timeoutMilliseconds: min(2000, settings.requestTimeoutMilliseconds))
    }
}
