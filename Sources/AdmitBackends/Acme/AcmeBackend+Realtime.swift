import AdmitCore

/// "Get a barcode" (`GET v2/b2b/barcodes/{barcode}`, 404 = unknown) for barcodes the index
/// does not know yet (sold a minute ago). It only reads: the entry is reported later by the
/// upload like any other.
extension AcmeBackend: RealtimeBackend {
    public var realtimeRecordsScan: Bool { false }

    public func check(barcode: String, direction: Direction, budgetMilliseconds: Int64) async throws -> BackendVerdict {
        let label = "GET v2/b2b/barcodes/{barcode} (realtime)"
        let response = try await http.send(
            .GET, "\(barcodesURL)/\(AcmeSettings.escape(barcode))", headers: headers,
            timeoutMilliseconds: budgetMilliseconds, label: label)
        if response.status == 404 { return .unknown }
        try http.check(response, label: label)
        let object = try http.decode(AcmeBarcodeObject.self, response.body, label: label)
        if let event = settings.eventID, let other = object.eventId, other != event {
            return .denied("ACME: barcode is for another event")
        }
        let ticket = object.ticket
        guard ticket.status == .valid else { return .denied("ACME: \(ticket.message ?? "not valid")") }
        if direction == .in, object.isUsed { return .denied("ACME: \(object.reason ?? "already used")") }
        return .granted(ticket)
    }
}
