import AdmitCore

/// What eventyay's pretixdroid API answers, read without I/O. The eventyay adapter reads
/// every answer through these, so the fuzzer, which feeds them arbitrary bytes, exercises
/// the adapter's own code.
package struct EventyayAnswers: Sendable {
    /// The status check and decoding, with the key blanked out of errors.
    package let reader: AnswerReader
    /// The gate's settings: products, questions, organizer and event.
    package let settings: EventyaySettings

    /// Reads answers with `reader` (the adapter's, which knows the secrets).
    package init(reader: AnswerReader, settings: EventyaySettings) {
        self.reader = reader
        self.settings = settings
    }

    /// Maps the documented statuses: 403 invalid key, 404 unknown organizer or event.
    package func check(_ response: BackendResponse, label: String) throws(BackendError) {
        switch response.status {
        case 403: throw reader.error(.unauthorized, label, "HTTP 403: invalid authorization key")
        case 404: throw reader.error(.rejected, label, "HTTP 404: unknown organizer or event \(settings.organizer)/\(settings.event)")
        default: try reader.check(response, label: label)
        }
    }

    /// The positions of `download/` and how they map to tickets (with the download's questions).
    package func download(_ response: BackendResponse, label: String) throws(BackendError)
        -> (positions: [EventyayPosition], mapping: EventyayMapping)
    {
        try check(response, label: label)
        let download = try reader.decode(EventyayDownload.self, response.body, label: label)
        return (download.results, EventyayMapping(settings: settings, questions: download.questions ?? []))
    }

    /// Admit's tickets for `positions`, and the ones eventyay reports as `redeemed` as
    /// redemptions at `time` (one per position, under a stable id).
    package func page(_ positions: ArraySlice<EventyayPosition>, mapping: EventyayMapping, time: Timestamp)
        -> (tickets: [Ticket], redemptions: [RedemptionEvent])
    {
        let redemptions = positions.filter { $0.redeemed ?? false }.map {
            RedemptionEvent(
                scanID: "eventyay-redeemed:\($0.secret)", barcode: $0.secret, ticketID: $0.secret,
                gate: "eventyay", direction: .in, time: time, origin: .backend)
        }
        return (positions.map(mapping.ticket), redemptions)
    }

    /// The result of uploading one scan through `redeem/`: `ok` delivered; `incomplete` and
    /// `error` rejected with the questions or the reason; any other status is malformed.
    package func redeemResult(_ response: BackendResponse, label: String) throws(BackendError) -> UploadResult {
        try check(response, label: label)
        let answer = try reader.decode(EventyayRedeemAnswer.self, response.body, label: label)
        switch answer.status {
        case "ok": return .accepted
        case "incomplete": return .rejected(EventyayMapping.questionsNote(answer.questions ?? []))
        case "error": return .rejected(EventyayMapping.reasonText(answer.reason))
        default: throw reader.error(.malformed, label, "unknown status \(answer.status)")
        }
    }

    /// The verdict of a realtime `redeem/`: `ok` admits, `incomplete` refuses with the
    /// questions, an unknown ticket falls back to the index, other errors refuse.
    package func realtimeVerdict(_ response: BackendResponse, label: String) throws(BackendError) -> BackendVerdict {
        try check(response, label: label)
        let answer = try reader.decode(EventyayRedeemAnswer.self, response.body, label: label)
        let mapping = EventyayMapping(settings: settings, questions: [])
        switch (answer.status, answer.reason) {
        case ("ok", _): return .granted(answer.data.map(mapping.ticket))
        case ("incomplete", _): return .denied(EventyayMapping.questionsNote(answer.questions ?? []))
        case ("error", "unknown_ticket"), ("error", "unkown_ticket"): return .unknown
        case ("error", let reason): return .denied("eventyay: \(EventyayMapping.reasonText(reason))")
        default: return .denied("eventyay: unknown status \(answer.status)")
        }
    }

    /// The answer of `status/`.
    package func status(_ response: BackendResponse, label: String) throws(BackendError) -> EventyayStatus {
        try check(response, label: label)
        return try reader.decode(EventyayStatus.self, response.body, label: label)
    }
}
