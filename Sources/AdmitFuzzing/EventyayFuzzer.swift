import AdmitBackendCore
import AdmitCore

/// Answers of eventyay's pretixdroid API, through the adapter's own reading
/// (`EventyayAnswers`), with and without a product filter and questions ignored.
enum EventyayFuzzer {
    static let endpoints = ["download", "redeem", "realtime", "status"]

    static func run(_ bytes: [UInt8]) {
        let input = BackendInput(bytes, endpoints: endpoints)
        let settings = EventyaySettings(
            baseURL: "https://eventyay.test", key: BackendInput.secret, organizer: "org", event: "ev",
            questions: bytes.count % 2 == 0 ? .ignore : .refuse, products: bytes.count % 3 == 0 ? ["Adult", "7"] : [])
        let answers = EventyayAnswers(reader: BackendInput.reader("eventyay"), settings: settings)
        let response = input.response
        BackendInput.expectingErrors { () throws(BackendError) in
            switch input.endpoint {
            case "download":
                let (positions, mapping) = try answers.download(response, label: "GET download/")
                let page = answers.page(positions[...], mapping: mapping, time: Timestamp(millisecondsSince1970: 1_900_000_000_000))
                expect(page.tickets.count == positions.count, "tickets lost from the download")
                _ = TicketIndex(tickets: page.tickets)
                BackendInput.use(page.redemptions)
            case "redeem":
                _ = try answers.redeemResult(response, label: "POST redeem/")
            case "realtime":
                _ = try answers.realtimeVerdict(response, label: "POST redeem/ (realtime)")
            default:
                let status = try answers.status(response, label: "GET status/")
                _ = (status.items ?? []).map(\.counted)
            }
        }
    }
}
