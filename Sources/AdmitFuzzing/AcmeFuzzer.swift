import AdmitBackendCore
import AdmitCore

/// Answers of ACME b2b, through the adapter's own reading (`AcmeAnswers`).
enum AcmeFuzzer {
    static let endpoints = ["barcodes", "barcode", "deactivations", "confirm"]

    static func run(_ bytes: [UInt8]) {
        let input = BackendInput(bytes, endpoints: endpoints)
        let answers = AcmeAnswers(reader: BackendInput.reader("acme"))
        let response = input.response
        BackendInput.expectingErrors { () throws(BackendError) in
            switch input.endpoint {
            case "barcodes":
                let page = try answers.barcodePage(response, label: "GET v2/b2b/barcodes")
                expect(page.tickets.count == page.count, "tickets lost from a page")
                _ = TicketIndex(tickets: page.tickets)
                BackendInput.use(page.redemptions)
            case "barcode":
                for direction in [Direction.in, .out] {
                    _ = try answers.realtimeVerdict(response, eventID: "ev1", direction: direction, label: "GET v2/b2b/barcodes/x")
                }
            case "deactivations":
                _ = try answers.deactivated(response, label: "PUT v2/b2b/barcodes/deactivations")
            default:
                _ = try answers.confirmation(response, barcode: "4006381000000", label: "GET v2/b2b/barcodes/x")
            }
        }
    }
}
