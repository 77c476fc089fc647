import AdmitCore

/// One page of barcodes as the ACME adapter uses it.
package struct AcmePage: Sendable {
    /// Admit's tickets.
    package var tickets: [Ticket]
    /// The uses ACME reports, as redemptions.
    package var redemptions: [RedemptionEvent]
    /// Barcodes on this page.
    package var count: Int
    /// Barcodes of the whole call (`pagination.count`).
    package var total: Int
    /// Records per page as ACME applied it, nil when the answer does not say.
    package var pageSize: Int?

    /// True when page number `page` is the last: ACME's pages are `total / pageSize` rounded
    /// up, so the total is reached at `page × pageSize`; an empty page also ends (the data
    /// shrank while the gate paged).
    package func isLast(page: Int, requestedPageSize: Int) -> Bool {
        count == 0 || page * max(1, pageSize ?? requestedPageSize) >= total
    }
}

/// What ACME b2b answers, read without I/O. The ACME adapter reads every answer through
/// these, so the fuzzer, which feeds them arbitrary bytes, exercises the adapter's own code.
package struct AcmeAnswers: Sendable {
    /// The status check and decoding, with the API key blanked out of errors.
    package let reader: AnswerReader

    /// Reads answers with `reader` (the adapter's, which knows the secrets).
    package init(reader: AnswerReader) { self.reader = reader }

    /// One page of `GET v2/b2b/barcodes`: Admit's tickets, the uses ACME reports as
    /// redemptions, the number of barcodes on the page, the call's total (`count`) and the
    /// page size ACME applied (`pagination.pageSize`, when it says).
    package func barcodePage(_ response: BackendResponse, label: String) throws(BackendError) -> AcmePage {
        let page = try reader.json(AcmeBarcodePage.self, response, label: label)
        return AcmePage(
            tickets: page.list.map(\.ticket), redemptions: page.list.compactMap(\.redemption), count: page.list.count,
            total: page.pagination.count, pageSize: page.pagination.pageSize)
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
