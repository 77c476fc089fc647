/// The way a person passes a gate.
public enum Direction: String, Sendable, Codable, CaseIterable {
    /// Entering the venue or area.
    case `in`
    /// Leaving it.
    case out

    /// "IN" or "OUT", as shown on the console and sent to most backends.
    public var label: String { rawValue.uppercased() }
}
