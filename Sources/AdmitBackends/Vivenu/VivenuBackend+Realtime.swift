import AdmitCore
import Foundation

/// vivenu's "Scan Ticket with barcode" (`POST tickets/scan`): asked first where
/// `realtime = true`. It checks the ticket in on vivenu's side when it grants, so such a
/// scan is recorded locally but not uploaded again.
extension VivenuBackend: RealtimeBackend {
    public var realtimeRecordsScan: Bool { true }

    struct ScanAnswer: Decodable {
        var access: String
        var ticket: VivenuTicket?
    }

    public func check(barcode: String, direction: Direction, budgetMilliseconds: Int64) async throws -> BackendVerdict {
        let label = "POST tickets/scan (realtime)"
        let body = Array(try JSONEncoder().encode(["barcode": barcode]))
        let response = try await http.send(
            .POST, "\(settings.baseURL)/tickets/scan", headers: headers, body: body,
            timeoutMilliseconds: budgetMilliseconds, label: label)
        if response.status == 404 { return .unknown }
        try http.check(response, label: label)
        let answer = try http.decode(ScanAnswer.self, response.body, label: label)
        if answer.access.uppercased() == "GRANTED" { return .granted(answer.ticket?.ticket) }
        return .denied("vivenu says \(answer.access.lowercased())")
    }
}
