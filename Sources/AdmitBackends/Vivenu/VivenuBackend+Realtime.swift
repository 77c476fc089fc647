import AdmitBackendCore
import AdmitCore
import Foundation

/// vivenu's "Scan Ticket with barcode" (`POST tickets/scan`): asked first where
/// `realtime = true`. It checks the ticket in on vivenu's side when it grants, so such a
/// scan is recorded locally but not uploaded again.
extension VivenuBackend: RealtimeBackend {
    public var realtimeRecordsScan: Bool { true }

    public func check(barcode: String, direction: Direction, budgetMilliseconds: Int64) async throws -> BackendVerdict {
        let label = "POST tickets/scan (realtime)"
        let body = Array(try JSONEncoder().encode(["barcode": barcode]))
        let response = try await http.send(
            .POST, "\(settings.baseURL)/tickets/scan", headers: headers, body: body,
            timeoutMilliseconds: budgetMilliseconds, label: label)
        return try answers.scanVerdict(response, label: label)
    }
}
