import AdmitBackendCore
import AdmitCore
import Foundation

/// AudienceView's "Validate Ticket Barcode" (`POST validateTicket`), asked first where
/// `realtime = true`. A valid answer records the scan at AudienceView (its "n scanned of
/// m sold" counts it), so such a scan is kept locally but not uploaded again. Codes 8–14
/// become the gate's answer; anything else (including a lapsed budget) throws, and the
/// gate decides from its index.
extension AudienceViewBackend: RealtimeBackend {
    public var realtimeRecordsScan: Bool { true }

    public func check(barcode: String, direction: Direction, budgetMilliseconds: Int64) async throws -> BackendVerdict {
        let request = AudienceViewValidateRequest(
            barcodeString: barcode, clientId: settings.clientID, productionId: settings.productionID,
            performanceId: settings.performanceID)
        let reply = try await session.exchange(
            AudienceViewValidation.self, .POST, "validateTicket", body: Array(try JSONEncoder().encode(request)),
            timeoutMilliseconds: budgetMilliseconds, label: "POST validateTicket (realtime)", ticketVerdicts: true)
        switch reply {
        case .answer: return .granted(nil)
        case .ticketRefused(let code): return code.verdict ?? .unknown
        }
    }
}
