/// A token, key or password: there to be sent, never to be shown. Printed, interpolated,
/// dumped or reflected it reads `<redacted>`, so a configuration or settings value can be
/// logged without care. Settings keep their secrets in one of these.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself, for the request that needs it.
    public var value: String

    /// Wraps `value`.
    public init(_ value: String) { self.value = value }

    /// `<redacted>`.
    public var description: String { Redacted.mark }

    /// `<redacted>`.
    public var debugDescription: String { Redacted.mark }

    /// No children: reflection shows nothing of the value.
    public var customMirror: Mirror { Mirror(self, children: [:], displayStyle: .struct) }
}
