import AdmitBackendCore
import AdmitCore

/// Answers of vivenu and vivenu portier, through the adapter's own reading
/// (`VivenuAnswers`), and HTTP `Date` headers.
enum VivenuFuzzer {
    static let endpoints = ["tickets", "scan", "events", "scans", "portier", "date"]

    static func run(_ bytes: [UInt8]) {
        let input = BackendInput(bytes, endpoints: endpoints)
        let answers = VivenuAnswers(reader: BackendInput.reader("vivenu"))
        let response = input.response
        BackendInput.expectingErrors { () throws(BackendError) in
            switch input.endpoint {
            case "tickets":
                let page = try answers.ticketPage(response, label: "GET tickets/v2/ev1")
                _ = TicketIndex(tickets: page.tickets).applying(changes: page.tickets)
            case "scan":
                if case .granted(let ticket?) = try answers.scanVerdict(response, label: "POST tickets/scan") {
                    _ = TicketIndex(tickets: [ticket]).lookup(ticket.barcode)
                }
            case "events":
                _ = try answers.events(response, label: "GET events")
            case "scans":
                if let refusal = answers.scansRefusal(response, label: "POST scans") { throw refusal }
            case "portier":
                BackendInput.use(try answers.portierScans(response, ownDevice: "north-1", label: "GET /api/scans").redemptions)
            default:
                // The adapter places every delta window by the server's Date, less the overlap.
                if let date = HTTPDate.parse(String(decoding: response.body, as: UTF8.self)) {
                    _ = ISO8601.format(date.adding(milliseconds: -60_000))
                }
            }
        }
    }
}
