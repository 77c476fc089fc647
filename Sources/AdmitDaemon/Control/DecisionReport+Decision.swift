import AdmitControl
import AdmitCore

extension DecisionReport {
    /// The report of a decision, in the console's words.
    public init(_ d: Decision, latencyNanoseconds: UInt64) {
        self.init(
            scanId: d.scanID, barcode: d.barcode, result: d.outcome.rawValue, reason: d.denial?.code,
            detail: DecisionText.detail(d), ticketId: d.ticket?.id, ticketType: d.ticket?.typeName, gate: d.gate,
            direction: d.direction.rawValue, source: d.source, time: ISO8601.format(d.time), repeat: d.isRepeat,
            latencyUs: (Double(latencyNanoseconds) / 1000 * 100).rounded() / 100)
    }
}
