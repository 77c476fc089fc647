import AdmitCore

/// A barcode reader the daemon runs: it delivers complete barcodes to `deliver` and keeps
/// doing so until stopped. Device scanners reattach themselves when unplugged.
public protocol ScannerSource: AnyObject, Sendable {
    /// The name decisions are attributed to.
    var name: String { get }
    /// Starts reading; each complete barcode goes to `deliver(barcode, direction)`.
    func start(deliver: @escaping @Sendable (String, Direction?) -> Void) throws
    /// Stops reading and releases the device.
    func stop()
    /// One line for `admitctl devices`: state, last read, counts.
    func describe() -> ScannerDescription
    /// Like `start(deliver:)`, with the source name of each barcode: a scanner that reads
    /// several devices names each (`honeywell:event5`). By default the scanner's `name`.
    func start(deliverFrom: @escaping @Sendable (_ barcode: String, _ source: String, _ direction: Direction?) -> Void) throws
    /// One line per device for `admitctl devices`; by default `describe()`.
    func describeDevices() -> [ScannerDescription]
}

extension ScannerSource {
    public func start(deliverFrom: @escaping @Sendable (String, String, Direction?) -> Void) throws {
        let name = name
        try start { barcode, direction in deliverFrom(barcode, name, direction) }
    }

    public func describeDevices() -> [ScannerDescription] { [describe()] }
}

/// What `admitctl devices` shows for a scanner.
public struct ScannerDescription: Codable, Sendable, Equatable {
    public var name: String
    public var kind: String
    /// "reading", "waiting for device", "stopped", or an error.
    public var state: String
    public var device: String?
    public var reads: Int
    public var lastRead: String?
    /// Seconds since the last read, when known.
    public var lastReadSecondsAgo: Int?
    /// Partial or invalid barcodes thrown away (device scanners).
    public var discarded: Int?
    /// Floods that were rate-limited (device scanners).
    public var floods: Int?

    public init(name: String, kind: String, state: String, device: String? = nil, reads: Int = 0, lastRead: String? = nil) {
        self.name = name
        self.kind = kind
        self.state = state
        self.device = device
        self.reads = reads
        self.lastRead = lastRead
    }
}
