import AdmitCore
import Dispatch
import Logging

/// A keyboard-wedge scanner (`kind = "evdev"`): every input device that matches is
/// grabbed exclusively and decoded with the configured keymap; devices are attached and
/// detached as udev reports them, several at once, each with its own source name.
///
/// The hotplug monitor is started before the initial enumeration so that a scanner
/// plugged in between is not missed. All state lives on one serial queue.
public final class EvdevScanner: DeviceScanner, @unchecked Sendable {
    /// How to find and decode the scanner's devices.
    public struct Configuration: Sendable {
        /// The scanner's name; devices read as `name` (path match) or `name:eventN`.
        public var name: String
        /// Which devices are this scanner.
        public var match: DeviceMatch
        /// Keymap, terminators, timeout and framing.
        public var decoder: KeystrokeDecoder.Configuration
        /// This scanner's direction, nil for the gate's.
        public var direction: Direction?
        /// Key events per second beyond which input is a flood (a stuck key, noise).
        public var eventsPerSecond: Double = 4000
        /// Barcodes per second beyond which they are not passed to the gate.
        public var barcodesPerSecond: Double = 20

        /// A configuration with default flood limits.
        public init(name: String, match: DeviceMatch, decoder: KeystrokeDecoder.Configuration, direction: Direction? = nil) {
            self.name = name
            self.match = match
            self.decoder = decoder
            self.direction = direction
        }
    }

    public var name: String { configuration.name }
    private let configuration: Configuration
    private let logger: Logger
    private let monitor: any HotplugMonitor
    private let open: @Sendable (DeviceNode) throws(DeviceError) -> any InputDevice
    private let clock = MonotonicClock()
    private let queue: DispatchQueue
    // Everything below is touched on `queue` only.
    private var attached: [String: AttachedInputDevice] = [:]
    private var reported: [String: String] = [:]
    private var deliver: (@Sendable (ScannedBarcode) -> Void)?
    private var stopped = false

    /// A scanner over the system's udev monitor and evdev devices.
    public convenience init(configuration: Configuration, logger: Logger) {
        self.init(configuration: configuration, logger: logger, monitor: UdevMonitor(subsystem: "input")) { node throws(DeviceError) in
            try EvdevDevice(node: node.node, links: node.links)
        }
    }

    /// A scanner over any hotplug monitor and device opener (tests replay recorded devices).
    init(configuration: Configuration, logger: Logger, monitor: any HotplugMonitor,
         open: @escaping @Sendable (DeviceNode) throws(DeviceError) -> any InputDevice) {
        self.configuration = configuration
        self.logger = logger
        self.monitor = monitor
        self.open = open
        self.queue = DispatchQueue(label: "admit.scanner.\(configuration.name)", qos: .userInteractive)
    }

    public func start(deliver: @escaping @Sendable (ScannedBarcode) -> Void) throws(DeviceError) {
        queue.sync { self.deliver = deliver }
        try monitor.start(queue: queue) { [weak self] event in self?.hotplug(event) }
        let present = try monitor.enumerate()
        queue.async { [self] in
            for node in present { attach(node) }
            if attached.isEmpty {
                logger.notice("\(name): no device matching \(configuration.match) yet; waiting for one to be plugged in")
            }
        }
    }

    public func stop() {
        monitor.stop()
        queue.sync {
            stopped = true
            for device in attached.values { device.cancel() }
            attached = [:]
        }
    }

    public func status() -> [DeviceStatus] {
        queue.sync {
            if attached.isEmpty {
                return [DeviceStatus(
                    name: name, kind: "evdev", state: stopped ? "stopped" : "waiting for device",
                    device: reported.values.sorted().first ?? configuration.match.description,
                    reads: 0, discarded: 0, floods: 0, lastRead: nil, lastReadAt: nil)]
            }
            return attached.keys.sorted().compactMap { attached[$0]?.status() }
        }
    }

    /// Waits until every event queued so far has been handled (tests).
    func settle() { queue.sync {} }

    private func hotplug(_ event: HotplugEvent) {
        switch event {
        case .added(let node): attach(node)
        case .removed(let node): detach(node.node, because: "unplugged")
        }
    }

    private func attach(_ node: DeviceNode) {
        guard !stopped, attached[node.node] == nil, node.node.hasPrefix("/dev/input/event") else { return }
        // Skip devices udev already shows to be someone else, without opening them.
        if var identity = node.identity {
            identity.links = node.links
            if !configuration.match.matches(identity) { return }
        }
        if node.identity == nil, let path = configuration.match.path, path != node.node, !node.links.contains(path) { return }
        let device: any InputDevice
        do {
            device = try open(node)
        } catch {
            report(node.node, error)
            return
        }
        var identity = device.identity
        identity.links = node.links
        guard device.typesLetters, configuration.match.matches(identity) else { return }
        do {
            try device.grab()
        } catch {
            report(node.node, error)
            return
        }
        reported[node.node] = nil
        let source = configuration.match.path == nil ? "\(name):\(node.node.split(separator: "/").last ?? "")" : name
        guard let deliver else { return }
        let output = DecodedOutputHandler(
            source: source, direction: configuration.direction, barcodesPerSecond: configuration.barcodesPerSecond,
            logger: logger, deliver: deliver)
        let reader = AttachedInputDevice(
            device: device, decoder: KeystrokeDecoder(configuration.decoder), output: output,
            eventsPerSecond: configuration.eventsPerSecond, clock: clock, queue: queue)
        attached[node.node] = reader
        reader.start { [weak self] error in
            self?.detach(node.node, because: error.code == .vanished ? "gone" : "\(error)")
        }
        logger.info("\(source): attached \(node.node) \"\(identity.name)\" \(DeviceMatch.hex(identity.vendor)):\(DeviceMatch.hex(identity.product)), grabbed, keymap \(configuration.decoder.keymap.name)")
    }

    private func detach(_ node: String, because reason: String) {
        guard let reader = attached.removeValue(forKey: node) else { return }
        reader.cancel()
        logger.info("\(reader.output.source): detached \(node) (\(reason)); waiting for it to return")
    }

    /// Logs a device problem once per device until it changes (no log storm on re-plugs).
    private func report(_ node: String, _ error: DeviceError) {
        let text = "\(error)"
        guard reported[node] != text else { return }
        reported[node] = text
        switch error.code {
        case .permissionDenied, .busy: logger.error("\(name): \(text)")
        case .vanished: logger.debug("\(name): \(text)")
        case .unsuitable, .other: logger.warning("\(name): \(text)")
        }
    }
}
