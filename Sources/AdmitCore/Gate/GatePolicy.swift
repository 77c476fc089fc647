/// The rules of one gate, from its configuration.
public struct GatePolicy: Sendable, Equatable {
    /// The gate's name, shown on the console and sent to backends as the device id.
    public var gateName: String
    /// The direction of reads whose scanner does not set one.
    public var direction: Direction
    /// The entry area this gate admits to; nil admits tickets of every area.
    public var area: String?
    /// A repeat of the same barcode within this many milliseconds is a duplicate read.
    public var debounceMilliseconds: UInt64
    /// May a ticket that has left enter again?
    public var allowsReentry: Bool
    /// Must a ticket be inside to be scanned out?
    public var exitRequiresEntry: Bool
    /// Does the gate open the other way too? Only with an exit relay of its own: the one
    /// relay releases the turnstile in `direction`, so a read the other way is refused.
    public var opensBothWays: Bool
    /// Longer barcodes (UTF-8 bytes, after normalization) are refused, from every source.
    public var maximumBarcodeBytes: Int

    /// Creates a policy; defaults are those of a plain entrance gate.
    public init(
        gateName: String, direction: Direction = .in, area: String? = nil,
        debounceMilliseconds: UInt64 = 3000, allowsReentry: Bool = false,
        exitRequiresEntry: Bool = false, opensBothWays: Bool = false, maximumBarcodeBytes: Int = 256
    ) {
        self.gateName = gateName
        self.direction = direction
        self.area = area
        self.debounceMilliseconds = debounceMilliseconds
        self.allowsReentry = allowsReentry
        self.exitRequiresEntry = exitRequiresEntry
        self.opensBothWays = opensBothWays
        self.maximumBarcodeBytes = maximumBarcodeBytes
    }

    /// True when a read in `direction` may open the gate.
    public func opens(_ direction: Direction) -> Bool { opensBothWays || direction == self.direction }
}
