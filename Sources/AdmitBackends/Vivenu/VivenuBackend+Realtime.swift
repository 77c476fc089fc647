import AdmitBackendCore
import AdmitCore
import Foundation

/// vivenu's "Scan Ticket with barcode" (`POST tickets/{barcode}/scan`, no body): asked first where
/// `realtime = true`. It checks the ticket in on vivenu's side when it grants, so such a
/// scan is recorded locally but not uploaded again.
extension VivenuBackend: RealtimeBackend {
    public var realtimeRecordsScan: Bool { true }

    public func check(barcode: String, direction: Direction, budgetMilliseconds: Int64) async throws -> BackendVerdict {
        let label = "POST tickets/{barcode}/scan (realtime)"
        let response = try await http.send(
            .POST, "\(settings.baseURL)/tickets/\(FormEncoding.escape(barcode))/scan", headers: headers,
            timeoutMilliseconds: budgetMilliseconds, label: label)
        return try answers.scanVerdict(response, label: label)
    }
}
