import AdmitBackendCore
import AdmitCore
import Foundation

/// vivenu portier scans: this gate's scans go to `POST /api/scans` with its `deviceId`;
/// `GET /api/scans` tells which tickets other gates let in, so a ticket used at another
/// gate is refused here too (cross-gate anti-passback, within one poll).
///
/// Portier's scan object has no id and the fake refuses attributes the spec does not name,
/// so a portier scan is identified by ticket, time, device and type (`VivenuAnswers`).
final class PortierClient: ScanMirror {
    let name = "vivenu portier"
    let maximumBatchSize = 500

    let settings: VivenuSettings
    let http: BackendHTTP
    let answers: VivenuAnswers
    var base: String { settings.portierURL ?? "" }
    var headers: [(String, String)] { [("token", settings.token), ("Accept", "application/json")] }

    init(settings: VivenuSettings, context: BackendContext) {
        self.settings = settings
        http = BackendHTTP(backend: "vivenu portier", context: context, secrets: [settings.token])
        answers = VivenuAnswers(reader: http.reader)
    }

    /// Posts this gate's scans of known tickets (portier requires the ticket and its type).
    func post(_ scans: [ScanRecord]) async throws {
        let items = scans.filter { $0.ticketID != nil }.map { r in
            PortierScan(
                ticketId: r.ticketID ?? "", time: ISO8601.format(r.time), eventId: settings.eventID, barcode: r.barcode,
                ticketTypeId: r.ticketTypeID ?? "", ticketName: nil, deviceId: settings.deviceID,
                type: r.direction == .in ? "checkin" : "checkout",
                scanResult: r.outcome == .granted ? "approved" : "declined")
        }
        guard !items.isEmpty else { return }
        let label = "POST /api/scans (\(items.count))"
        let response = try await http.send(
            .POST, "\(base)/scans", headers: headers, body: Array(try JSONEncoder().encode(items)),
            timeoutMilliseconds: settings.requestTimeoutMilliseconds, label: label)
        try http.check(response, label: label)
    }

    /// Approved scans of other devices since `since`, as redemptions.
    func otherGatesScans(since: Timestamp) async throws -> [RedemptionEvent] {
        var events: [RedemptionEvent] = []
        var skip = 0
        while true {
            let query = "eventId=\(settings.eventID)&time%5B%24gte%5D=\(ISO8601.format(since))&top=1000&skip=\(skip)"
            let label = "GET /api/scans (skip \(skip))"
            let response = try await http.send(
                .GET, "\(base)/scans?\(query)", headers: headers,
                timeoutMilliseconds: settings.requestTimeoutMilliseconds, label: label)
            let page = try answers.portierScans(response, ownDevice: settings.deviceID, label: label)
            events += page.redemptions
            skip += page.count
            if page.count == 0 || skip >= page.total { return events }
        }
    }

    func shutdown() async { await http.shutdown() }
}
