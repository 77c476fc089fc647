import AdmitBackendCore
import AdmitCore
import Foundation
import Synchronization

/// vivenu portier scans: this gate's scans go to `POST /api/scans` with its `deviceId`;
/// `GET /api/scans` tells which tickets other gates let in, so a ticket used at another
/// gate is refused here too (cross-gate anti-passback, within one poll).
///
/// Facts and guesses, with sources: docs/backends/vivenu-portier.md.
///
/// Portier's scan object has no id and the fake refuses attributes the spec does not name,
/// so a portier scan is identified by ticket, time, device and type (`VivenuAnswers`).
///
/// Exactly once: a post whose answer was lost (a timeout, a dropped connection, admitd
/// killed mid-request) may have been stored. Portier can be read back, so before posting
/// after such a doubt (and at start-up, when a crash may have left one) the client asks
/// `GET /api/scans` for this device's scans since the batch's first and posts only the
/// ones portier does not hold.
final class PortierClient: ScanMirror {
    let name = "vivenu portier"
    let maximumBatchSize = 500

    let settings: VivenuSettings
    let http: BackendHTTP
    let answers: VivenuAnswers
    /// True while a post may have reached portier without its answer reaching us.
    private let inDoubt = Mutex(true)
    var base: String { settings.portierURL ?? "" }
    /// vivenu's API-wide authentication: `Authorization: Bearer <API key>`
    /// (docs/backends/vivenu-portier.md).
    var headers: [(String, String)] { [("Authorization", "Bearer \(settings.portierKey)"), ("Accept", "application/json")] }
    /// Scans asked for per page: vivenu's "get all" methods go up to 100 where an endpoint
    /// names no other limit, and portier names none.
    static let pageSize = 100

    init(settings: VivenuSettings, context: BackendContext) {
        self.settings = settings
        http = BackendHTTP(backend: "vivenu portier", context: context, secrets: [settings.token, settings.portierKey])
        answers = VivenuAnswers(reader: http.reader)
    }

    /// Posts this gate's scans of known tickets (portier requires the ticket and its type).
    func post(_ scans: [ScanRecord]) async throws {
        var items = scans.filter { $0.ticketID != nil }.map { r in
            PortierScan(
                ticketId: r.ticketID ?? "", time: ISO8601.format(r.time), eventId: settings.eventID, barcode: r.barcode,
                ticketTypeId: r.ticketTypeID ?? "", ticketName: nil, deviceId: settings.deviceID,
                type: r.direction == .in ? "checkin" : "checkout",
                scanResult: r.outcome == .granted ? "approved" : "declined")
        }
        guard !items.isEmpty else { return }
        if inDoubt.withLock({ $0 }), let earliest = scans.map(\.time).min() {
            let held = try await heldScans(since: earliest)
            items.removeAll { PortierScanKey($0).map(held.contains) ?? false }
            guard !items.isEmpty else { return }
        }
        let label = "POST /api/scans (\(items.count))"
        inDoubt.withLock { $0 = true }
        let response = try await http.send(
            .POST, "\(base)/scans", headers: headers, body: Array(try JSONEncoder().encode(items)),
            timeoutMilliseconds: settings.requestTimeoutMilliseconds, label: label)
        try http.check(response, label: label)
        inDoubt.withLock { $0 = false }
    }

    /// This device's scans portier holds from `since` on.
    private func heldScans(since: Timestamp) async throws -> Set<PortierScanKey> {
        var held: Set<PortierScanKey> = []
        try await forEachScansPage(since: since, what: "own") { response, label in
            let page = try answers.ownPortierScans(response, ownDevice: settings.deviceID, label: label)
            held.formUnion(page.held)
            return (page.count, page.total)
        }
        return held
    }

    /// Approved scans of other devices since `since`, as redemptions.
    func otherGatesScans(since: Timestamp) async throws -> [RedemptionEvent] {
        var events: [RedemptionEvent] = []
        try await forEachScansPage(since: since, what: "others") { response, label in
            let page = try answers.portierScans(response, ownDevice: settings.deviceID, label: label)
            events += page.redemptions
            return (page.count, page.total)
        }
        return events
    }

    /// Pages through `GET /api/scans` of the event from `since` on, handing each answer to
    /// `read`, which returns the number of scans on the page and portier's `total`.
    private func forEachScansPage(
        since: Timestamp, what: String, _ read: (BackendResponse, String) throws -> (count: Int, total: Int)
    ) async throws {
        var skip = 0
        while true {
            let query = "eventId=\(settings.eventID)&time%5B%24gte%5D=\(ISO8601.format(since))&top=\(Self.pageSize)&skip=\(skip)"
            let label = "GET /api/scans (\(what), skip \(skip))"
            let response = try await http.send(
                .GET, "\(base)/scans?\(query)", headers: headers,
                timeoutMilliseconds: settings.requestTimeoutMilliseconds, label: label)
            let (count, total) = try read(response, label)
            skip += count
            if count == 0 || skip >= total { return }
        }
    }

    func shutdown() async { await http.shutdown() }
}
