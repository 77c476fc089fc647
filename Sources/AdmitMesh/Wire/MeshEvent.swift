import AdmitCore
import Foundation

/// What one gate tells the others: a redemption it made, or one it took back because the
/// visitor did not pass. One message of the event's stream, JSON on the wire.
public enum MeshEvent: Sendable, Equatable {
    /// A GRANTED passage (origin `.peer` once decoded at another gate).
    case redemption(RedemptionEvent)
    /// A GRANTED visitor did not pass: the redemption `scanID` no longer counts.
    case revocation(scanID: String, barcode: String, gate: String, time: Timestamp)

    /// The scan this event is about.
    public var scanID: String {
        switch self {
        case .redemption(let event): event.scanID
        case .revocation(let scanID, _, _, _): scanID
        }
    }

    /// The gate that made it.
    public var gate: String {
        switch self {
        case .redemption(let event): event.gate
        case .revocation(_, _, let gate, _): gate
        }
    }

    /// The `Nats-Msg-Id` it is published with: the scan id for a redemption, the scan id
    /// with a `revoke:` prefix for its revocation, so a re-send of either is deduplicated
    /// and the revocation is not mistaken for a re-send of the redemption.
    public var messageID: String {
        switch self {
        case .redemption(let event): event.scanID
        case .revocation(let scanID, _, _, _): "revoke:" + scanID
        }
    }

    private struct Wire: Codable {
        var kind: String
        var scan: String
        var barcode: String
        var ticket: String?
        var gate: String
        var time: Int64
    }

    /// The JSON payload.
    public func encoded() -> [UInt8] {
        let wire: Wire
        switch self {
        case .redemption(let e):
            wire = Wire(kind: e.direction.rawValue, scan: e.scanID, barcode: e.barcode, ticket: e.ticketID, gate: e.gate, time: e.time.millisecondsSince1970)
        case .revocation(let scanID, let barcode, let gate, let time):
            wire = Wire(kind: "revoke", scan: scanID, barcode: barcode, ticket: nil, gate: gate, time: time.millisecondsSince1970)
        }
        return (try? Array(JSONEncoder().encode(wire))) ?? []
    }

    /// Decodes a payload; nil for anything that is not a well-formed event (a message some
    /// other publisher put on the subject), which the consumer counts and skips.
    public init?(decoding data: [UInt8]) {
        guard let wire = try? JSONDecoder().decode(Wire.self, from: Data(data)),
            !wire.scan.isEmpty, !wire.barcode.isEmpty, !wire.gate.isEmpty
        else { return nil }
        let time = Timestamp(millisecondsSince1970: wire.time)
        if wire.kind == "revoke" {
            self = .revocation(scanID: wire.scan, barcode: wire.barcode, gate: wire.gate, time: time)
        } else if let direction = Direction(rawValue: wire.kind) {
            self = .redemption(RedemptionEvent(
                scanID: wire.scan, barcode: wire.barcode, ticketID: wire.ticket, gate: wire.gate,
                direction: direction, time: time, origin: .peer))
        } else {
            return nil
        }
    }
}
