import AdmitBackendCore
import AdmitCore

/// Answers of AudienceView's scanning API, through the adapter's own reading
/// (`AudienceViewAnswers`): the error codes inside HTTP 200 answers, the token's expiry,
/// tickets, scan results and the list of performances.
enum AudienceViewFuzzer {
    static let endpoints = ["authenticate", "validTickets", "syncScans", "filterOptions", "validateTicket"]
    /// The backend's clock as the session knows it (2030).
    static let serverNow = Timestamp(millisecondsSince1970: 1_900_000_000_000)

    static func run(_ bytes: [UInt8]) {
        let input = BackendInput(bytes, endpoints: endpoints)
        let answers = AudienceViewAnswers(reader: BackendInput.reader("audienceview"))
        let response = input.response
        let label = "\(input.endpoint) (fuzz)"
        BackendInput.expectingErrors { () throws(BackendError) in
            switch input.endpoint {
            case "authenticate":
                let (_, expiry) = try answers.authentication(response, label: label)
                _ = AudienceViewAnswers.tokenIsFresh(expiry: expiry, now: serverNow, marginMilliseconds: 60_000)
            case "validTickets":
                let answer = try session(answers, AudienceViewValidTickets.self, response, label)
                for now in [serverNow, nil] {
                    let (tickets, heardAt) = try answers.validTickets(answer, serverNow: now, label: label)
                    let page = answers.page(tickets[...], heardAt: heardAt)
                    _ = TicketIndex(tickets: page.tickets)
                    BackendInput.use(page.redemptions)
                }
            case "syncScans":
                let answer = try session(answers, AudienceViewSyncAnswer.self, response, label)
                let barcodes = ["4006381000000", "4006381000017", "4006381000000"]
                expect(answers.syncResults(answer, barcodes: barcodes).count == barcodes.count, "a result per scan")
            case "filterOptions":
                _ = answers.events(try session(answers, AudienceViewFilterOptions.self, response, label))
            default:
                _ = try session(answers, AudienceViewValidation.self, response, label, ticketVerdicts: true)
            }
        }
    }

    /// What the session does with every answer: decode, note the token's expiry, classify.
    private static func session<T: AudienceViewAnswer>(
        _ answers: AudienceViewAnswers, _ type: T.Type, _ response: BackendResponse, _ label: String,
        ticketVerdicts: Bool = false
    ) throws(BackendError) -> T {
        let answer = try answers.answer(type, response, label: label)
        let expiry = answer.accessTokenExpiration.map(Timestamp.init(millisecondsSince1970:))
        _ = AudienceViewAnswers.tokenIsFresh(expiry: expiry, now: serverNow, marginMilliseconds: 60_000)
        switch answers.outcome(of: answer, label: label, ticketVerdicts: ticketVerdicts) {
        case .answer, .ticketRefused: return answer
        case .failure(let error, _, _): throw error
        }
    }
}
