import AdmitCore

/// `[gate]`: the gate's identity, rules and where it keeps its state.
public struct GateConfig: Sendable, Equatable {
    /// Gate name, shown on the console and sent to backends as the device id.
    public var name: String
    /// Direction of reads from scanners that do not set one.
    public var direction: Direction
    /// Entry area this gate admits to; nil admits every area.
    public var area: String?
    /// Folder for the SQLite store.
    public var stateDirectory: String
    /// Path of the control socket.
    public var controlSocket: String
    /// Repeat reads of one barcode within this many seconds are duplicates.
    public var debounceSeconds: Double
    /// May a ticket that has left enter again?
    public var reentry: Bool
    /// Must a ticket be inside to be scanned out?
    public var exitRequiresEntry: Bool
    /// Prefix the scanners add, stripped before lookup.
    public var barcodePrefix: String
    /// Suffix the scanners add, stripped before lookup.
    public var barcodeSuffix: String
    /// `max_barcode_bytes`: longer barcodes are DENIED (`barcode_too_long`), from every source.
    public var maximumBarcodeBytes = 256
    /// True when the gate opens both ways (an exit relay of its own; not configurable yet).
    public var opensBothWays = false

    /// Creates a gate configuration with the documented defaults.
    public init(
        name: String, direction: Direction = .in, area: String? = nil,
        stateDirectory: String = "/var/lib/admit", controlSocket: String = "/run/admit/control.sock",
        debounceSeconds: Double = 3, reentry: Bool = false, exitRequiresEntry: Bool = false,
        barcodePrefix: String = "", barcodeSuffix: String = ""
    ) {
        self.name = name
        self.direction = direction
        self.area = area
        self.stateDirectory = stateDirectory
        self.controlSocket = controlSocket
        self.debounceSeconds = debounceSeconds
        self.reentry = reentry
        self.exitRequiresEntry = exitRequiresEntry
        self.barcodePrefix = barcodePrefix
        self.barcodeSuffix = barcodeSuffix
    }

    init(_ s: inout ConfigSection) throws(ConfigError) {
        self.init(name: try s.requiredString("name"))
        direction = try s.choice("direction", as: Direction.self) ?? .in
        area = try s.string("area").flatMap { $0.isEmpty ? nil : $0 }
        stateDirectory = try s.string("state_dir", default: stateDirectory)
        controlSocket = try s.string("control_socket", default: controlSocket)
        debounceSeconds = try s.number("debounce_s", in: 0...3600) ?? debounceSeconds
        reentry = try s.bool("reentry") ?? false
        exitRequiresEntry = try s.bool("exit_requires_entry") ?? false
        barcodePrefix = try s.string("barcode_prefix", default: "")
        barcodeSuffix = try s.string("barcode_suffix", default: "")
        maximumBarcodeBytes = try s.integer("max_barcode_bytes", in: 16...65_536) ?? maximumBarcodeBytes
        if s.has("socket_scan") { throw s.error("socket_scan", "moved: write allow_scan in a [control] table") }
    }

    /// The core's policy for this gate.
    public var policy: GatePolicy {
        GatePolicy(
            gateName: name, direction: direction, area: area,
            debounceMilliseconds: UInt64(debounceSeconds * 1000), allowsReentry: reentry,
            exitRequiresEntry: exitRequiresEntry, opensBothWays: opensBothWays,
            maximumBarcodeBytes: maximumBarcodeBytes)
    }

    /// The core's barcode normalizer for this gate.
    public var normalizer: BarcodeNormalizer {
        BarcodeNormalizer(prefix: barcodePrefix, suffix: barcodeSuffix)
    }
}
