import AdmitBackendCore
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
        return try answers.realtimeVerdict(response, eventID: settings.eventID, direction: direction, label: label)
    }
}
