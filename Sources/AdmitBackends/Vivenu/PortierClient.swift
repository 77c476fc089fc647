import AdmitCore
import Foundation

/// vivenu portier scans: this gate's scans go to `POST /api/scans` with its `deviceId`;
/// `GET /api/scans` tells which tickets other gates let in, so a ticket used at another
/// gate is refused here too (cross-gate anti-passback, within one poll).
///
/// Portier's scan object has no id and the fake refuses attributes the spec does not name,
/// so a portier scan is identified by ticket, time, device and type: the same scan learned
/// twice is applied once.
final class PortierClient: ScanMirror {
    let name = "vivenu portier"
    let maximumBatchSize = 500

    struct Scan: Codable, Sendable {
        var ticketId: String
        var time: String?
        var eventId: String
        var barcode: String
        var ticketTypeId: String
        var ticketName: String?
        var deviceId: String?
        var type: String
        var scanResult: String
    }

    struct Page: Decodable, Sendable {
        var docs: [Scan]
        var total: Int
    }

    let settings: VivenuSettings
    let http: BackendHTTP
    var base: String { settings.portierURL ?? "" }
    var headers: [(String, String)] { [("token", settings.token), ("Accept", "application/json")] }

    init(settings: VivenuSettings, context: BackendContext) {
        self.settings = settings
        http = BackendHTTP(backend: "vivenu portier", context: context)
    }

    /// Posts this gate's scans of known tickets (portier requires the ticket and its type).
    func post(_ scans: [ScanRecord]) async throws {
        let items = scans.filter { $0.ticketID != nil }.map { r in
            Scan(
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
            let page = try await http.json(
                Page.self, .GET, "\(base)/scans?\(query)", headers: headers,
                timeoutMilliseconds: settings.requestTimeoutMilliseconds, label: label)
            for scan in page.docs where scan.deviceId != settings.deviceID && scan.scanResult == "approved" {
                guard let time = scan.time.flatMap(ISO8601.parse) else { continue }
                let direction: Direction = scan.type == "checkout" ? .out : .in
                events.append(RedemptionEvent(
                    scanID: "portier:\(scan.ticketId):\(scan.time ?? ""):\(scan.deviceId ?? ""):\(scan.type)",
                    barcode: scan.barcode, ticketID: scan.ticketId, gate: scan.deviceId ?? "another gate",
                    direction: direction, time: time, origin: .peer))
            }
            skip += page.docs.count
            if page.docs.isEmpty || skip >= page.total { return events }
        }
    }

    func shutdown() async { await http.shutdown() }
}
