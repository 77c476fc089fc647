/// One barcode as a scanner delivered it, stamped by the shell.
public struct Read: Sendable, Hashable {
    /// A unique id given to the scan when it was read; it follows the scan to the backend.
    public var scanID: String
    /// The text the scanner produced, before normalization.
    public var rawBarcode: String
    /// The scanner's name (e.g. "stdin", "evdev:usb-honeywell", "socket").
    public var source: String
    /// The scanner's own direction, overriding the gate's; nil uses the gate's.
    public var direction: Direction?
    /// Monotonic instant of the read.
    public var instant: MonotonicInstant
    /// Best known wall time of the read.
    public var time: Timestamp

    /// Creates a read.
    public init(
        scanID: String, rawBarcode: String, source: String, direction: Direction? = nil,
        instant: MonotonicInstant, time: Timestamp
    ) {
        self.scanID = scanID
        self.rawBarcode = rawBarcode
        self.source = source
        self.direction = direction
        self.instant = instant
        self.time = time
    }
}
