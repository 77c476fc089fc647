import AdmitCore

/// What ACME b2b answers, read without I/O. The ACME adapter reads every answer through
/// these, so the fuzzer, which feeds them arbitrary bytes, exercises the adapter's own code.
package struct AcmeAnswers: Sendable {
    /// The status check and decoding, with the API key blanked out of errors.
    package let reader: AnswerReader

    /// Reads answers with `reader` (the adapter's, which knows the secrets).
    package init(reader: AnswerReader) { self.reader = reader }

    /// One page of `GET v2/b2b/barcodes`: Admit's tickets, the uses ACME reports as
    /// redemptions, the number of barcodes on the page and the total, when ACME sends one.
    package func barcodePage(_ response: BackendResponse, label: String) throws(BackendError)
        -> (tickets: [Ticket], redemptions: [RedemptionEvent], count: Int, total: Int?)
    {
        let page = try reader.json(AcmeBarcodePage.self, response, label: label)
        return (page.items.map(\.ticket), page.items.compactMap(\.redemption), page.items.count, page.totalCount)
    }

    /// The verdict of "get a barcode" for a realtime check: 404 is unknown; a barcode of
    /// another event, an invalid one, or (on the way in) a used one is refused.
    package func realtimeVerdict(_ response: BackendResponse, eventID: String?, direction: Direction, label: String)
        throws(BackendError) -> BackendVerdict
    {
        if response.status == 404 { return .unknown }
        let object = try reader.json(AcmeBarcodeObject.self, response, label: label)
        if let eventID, let other = object.eventId, other != eventID {
            return .denied("ACME: barcode is for another event")
        }
        let ticket = object.ticket
        guard ticket.status == .valid else { return .denied("ACME: \(ticket.message ?? "not valid")") }
        if direction == .in, object.isUsed { return .denied("ACME: \(object.reason ?? "already used")") }
        return .granted(ticket)
    }

    /// The barcodes a successful `PUT v2/b2b/barcodes/deactivations` answered for.
    package func deactivated(_ response: BackendResponse, label: String) throws(BackendError) -> Set<String> {
        Set(try reader.json([AcmeBarcodeObject].self, response, label: label).map(\.barcode))
    }

    /// The result for a barcode the deactivation answer left out, from "get a barcode":
    /// unknown (404) is rejected, inactive counts as delivered, still active is an error.
    package func confirmation(_ response: BackendResponse, barcode: String, label: String) throws(BackendError) -> UploadResult {
        if response.status == 404 { return .rejected("ACME does not know barcode \(barcode)") }
        let object = try reader.json(AcmeBarcodeObject.self, response, label: label)
        if object.active == false { return .accepted }
        throw reader.error(.serverError, label, "barcode \(barcode) is still active after deactivation")
    }
}
