/// The names an event uses on the NATS servers, all derived from the event's name and the
/// gate's: the stream `ADMIT_<event>` over subjects `admit.<event>.<gate>` (one per gate),
/// and the claims bucket `ADMIT_<event>_CLAIMS`.
public struct MeshNames: Sendable, Equatable {
    /// The event's name as configured (letters, digits, `-`, `_`).
    public let event: String
    /// The stream every gate of the event publishes to.
    public let stream: String
    /// The filter for every gate's subject.
    public let allSubjects: String
    /// This gate's subject.
    public let gateSubject: String
    /// The strict-mode key-value bucket.
    public let claimsBucket: String

    /// The names for `event` (already checked by `isValidEvent`) and gate `gate`.
    public init(event: String, gate: String) {
        self.event = event
        stream = "ADMIT_\(event)"
        allSubjects = "admit.\(event).>"
        gateSubject = "admit.\(event).\(Self.token(gate))"
        claimsBucket = "ADMIT_\(event)_CLAIMS"
    }

    /// True for a name usable in stream and bucket names: 1–64 letters, digits, `-`, `_`.
    public static func isValidEvent(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy(isNameScalar)
    }

    /// A gate name as one subject token: anything but letters, digits, `-` and `_` becomes `_`.
    static func token(_ gate: String) -> String {
        let token = String(String.UnicodeScalarView(gate.unicodeScalars.map { isNameScalar($0) ? $0 : "_" }))
        return token.isEmpty ? "_" : token
    }

    private static func isNameScalar(_ s: Unicode.Scalar) -> Bool {
        s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == "_")
    }

    /// The claims key of a barcode: `t` and the barcode's UTF-8 in hex (keys allow few
    /// characters; a barcode may hold any).
    public static func claimKey(_ barcode: String) -> String {
        "t" + barcode.utf8.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
