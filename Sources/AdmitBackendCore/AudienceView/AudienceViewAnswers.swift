import AdmitCore

/// What AudienceView's scanning API answers, read without I/O. The AudienceView adapter and
/// its session read every answer through these, so the fuzzer, which feeds them arbitrary
/// bytes, exercises the adapter's own code.
package struct AudienceViewAnswers: Sendable {
    /// The status check and decoding, with the password blanked out of errors.
    package let reader: AnswerReader

    /// Reads answers with `reader` (the adapter's, which knows the secrets).
    package init(reader: AnswerReader) { self.reader = reader }

    /// What an answer means for the request that got it.
    package enum Outcome: Sendable {
        /// No error: the answer is the result.
        case answer
        /// One of the codes that answer for the ticket asked about (8–14), where asked for.
        case ticketRefused(AudienceViewErrorCode)
        /// An error: thrown, after the token is dropped (`endsSession`) and, for codes 5
        /// and 6, the request is tried once more with a fresh token (`retryAfterLogin`).
        case failure(BackendError, endsSession: Bool, retryAfterLogin: Bool)
    }

    /// The decoded answer of a scanning request (`check` then JSON).
    package func answer<T: AudienceViewAnswer>(_ type: T.Type, _ response: BackendResponse, label: String) throws(BackendError) -> T {
        try reader.json(type, response, label: label)
    }

    /// What `answer` means. Errors inside the HTTP 200 answer become typed errors; with
    /// `ticketVerdicts`, codes that refuse the ticket come back as `.ticketRefused`.
    package func outcome(of answer: some AudienceViewAnswer, label: String, ticketVerdicts: Bool) -> Outcome {
        guard answer.error == true else { return .answer }
        let (code, failure) = self.failure(answer, label: label)
        if ticketVerdicts, let code, code.verdict != nil { return .ticketRefused(code) }
        let endsSession = code?.endsSession ?? true || answer.errorDetails?.forceLogout == true
        return .failure(failure, endsSession: endsSession, retryAfterLogin: code?.retryAfterLogin ?? false)
    }

    /// The typed error of a failed answer, and its code when it is one of the 17.
    package func failure(_ answer: some AudienceViewAnswer, label: String) -> (AudienceViewErrorCode?, BackendError) {
        guard let details = answer.errorDetails else {
            return (nil, reader.error(.malformed, label, "error without errorDetails"))
        }
        guard let code = AudienceViewErrorCode(rawValue: details.errorCodeId) else {
            return (nil, reader.error(.serverError, label, "unknown error \(details.errorCodeId) (\(details.errorCodeName ?? "?"))"))
        }
        let known = code.error(request: label, name: details.errorCodeName)
        return (code, reader.error(known.kind, known.request, known.message))
    }

    /// The token and its expiry from the answer of `POST authenticate`.
    package func authentication(_ response: BackendResponse, label: String) throws(BackendError) -> (token: String, expiry: Timestamp?) {
        let answer = try reader.json(AudienceViewAuthentication.self, response, label: label)
        if answer.error == true { throw failure(answer, label: label).1 }
        guard let token = answer.accessToken, !token.isEmpty else {
            throw reader.error(.malformed, label, "no accessToken in a successful answer")
        }
        return (token, answer.accessTokenExpiration.map(Timestamp.init(millisecondsSince1970:)))
    }

    /// True while a token that lapses at `expiry` may still be used at `now`: until
    /// `marginMilliseconds` before the expiry. Without an expiry or a server time the token
    /// is used until AudienceView refuses it.
    package static func tokenIsFresh(expiry: Timestamp?, now: Timestamp?, marginMilliseconds: Int64) -> Bool {
        guard let expiry, let now else { return true }
        return now < expiry.adding(milliseconds: -marginMilliseconds)
    }

    /// The tickets of `cache/validTickets` and the backend time they were heard at: the
    /// known server time, else an hour before the token's expiry (the token lives an hour
    /// after the last call), else 1970.
    package func validTickets(_ answer: AudienceViewValidTickets, serverNow: Timestamp?, label: String) throws(BackendError)
        -> (tickets: [AudienceViewTicket], heardAt: Timestamp)
    {
        guard let tickets = answer.tickets else { throw reader.error(.malformed, label, "no tickets in the answer") }
        let heardAt = serverNow
            ?? answer.accessTokenExpiration.map { Timestamp(millisecondsSince1970: $0).adding(milliseconds: -3_600_000) }
            ?? Timestamp(millisecondsSince1970: 0)
        return (tickets, heardAt)
    }

    /// Admit's tickets for `tickets`, and the `alreadyScanned` ones as redemptions learned
    /// from the backend (one per ticket, under a stable id, so repeated downloads apply once).
    package func page(_ tickets: ArraySlice<AudienceViewTicket>, heardAt: Timestamp) -> (tickets: [Ticket], redemptions: [RedemptionEvent]) {
        let redemptions = tickets.filter(\.alreadyScanned).map { scanned in
            RedemptionEvent(
                scanID: "audienceview:\(scanned.ticketId):scanned", barcode: scanned.barcode,
                ticketID: String(scanned.ticketId), gate: "AudienceView", direction: .in, time: heardAt, origin: .backend)
        }
        return (tickets.map(\.ticket), redemptions)
    }

    /// One result per uploaded barcode: each `failedBarcodes` entry rejects the scans of that
    /// barcode with AudienceView's reason; the others were taken.
    package func syncResults(_ answer: AudienceViewSyncAnswer, barcodes: [String]) -> [UploadResult] {
        var failures: [String: String] = [:]
        for failure in answer.failedBarcodes ?? [] { failures[failure.barcode] = failure.reason }
        return barcodes.map { barcode in
            failures[barcode].map { .rejected("AudienceView refused \(barcode): \($0)") } ?? .accepted
        }
    }

    /// Every client, series and performance the user may scan, from `filterOptions`: ids
    /// are `client`, `client/production` and `client/production/performance`, names the
    /// production, details what each is and when a performance starts (AudienceView's clock).
    package func events(_ answer: AudienceViewFilterOptions) -> [BackendEvent] {
        var events: [BackendEvent] = []
        for client in answer.clients ?? [] {
            events.append(BackendEvent(id: "\(client.id)", name: client.value ?? "", detail: "client"))
            for production in client.productions ?? [] {
                let path = "\(client.id)/\(production.productionId)"
                events.append(BackendEvent(id: path, name: production.productionName ?? "", detail: "series"))
                for performance in production.performances ?? [] {
                    let start = performance.performanceStart.map { "starts \(Timestamp(millisecondsSince1970: $0))" }
                    events.append(BackendEvent(
                        id: "\(path)/\(performance.performanceId)", name: production.productionName ?? "",
                        detail: start ?? "performance"))
                }
            }
        }
        return events
    }
}
