import AdmitCore

/// A barcode read by a device scanner, ready for the gate.
public struct ScannedBarcode: Sendable, Hashable {
    /// The barcode, framing stripped, with its AIM symbology when reported.
    public var barcode: DecodedBarcode
    /// The name decisions are attributed to (the scanner's, plus the device for several).
    public var source: String
    /// The scanner's configured direction, nil for the gate's.
    public var direction: Direction?
}

/// What `admitctl devices` shows for one device of a scanner.
public struct DeviceStatus: Sendable, Hashable {
    /// The source name of the device (or the scanner's name while none is attached).
    public var name: String
    /// `evdev` or `serial`.
    public var kind: String
    /// `reading`, `waiting for device`, `stopped`, or the last error.
    public var state: String
    /// The device node and, for evdev, its name and ids.
    public var device: String?
    /// Barcodes delivered.
    public var reads: Int
    /// Partial or invalid barcodes thrown away.
    public var discarded: Int
    /// Floods that were rate-limited.
    public var floods: Int
    /// The last barcode delivered.
    public var lastRead: String?
    /// When it was delivered.
    public var lastReadAt: MonotonicInstant?
}

/// A scanner backed by devices (evdev keyboards, serial ports) that come and go: it
/// attaches when they appear, delivers barcodes, and waits when they vanish.
public protocol DeviceScanner: AnyObject, Sendable {
    /// The configured name.
    var name: String { get }
    /// Starts watching for and reading devices; barcodes go to `deliver` (on the scanner's queue).
    func start(deliver: @escaping @Sendable (ScannedBarcode) -> Void) throws(DeviceError)
    /// Stops reading and releases every device (grabs, descriptors).
    func stop()
    /// One entry per attached device, or one for the scanner while none is.
    func status() -> [DeviceStatus]
}
