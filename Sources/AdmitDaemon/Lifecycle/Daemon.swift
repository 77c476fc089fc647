import AdmitCore
import Dispatch
import Foundation
import Logging

/// The running gate: wires configuration, store, gate loop, control socket and scanners,
/// starts them in dependency order and stops them in reverse.
public final class Daemon: @unchecked Sendable {
    /// What the daemon needs from outside that the configuration cannot say.
    public struct Environment: Sendable {
        /// Tickets of the embedded demo event (for `kind = "demo"`).
        public var demoTickets: @Sendable () -> [Ticket]
        /// Process environment (NOTIFY_SOCKET, CREDENTIALS_DIRECTORY…).
        public var variables: [String: String]
        /// Where decision lines go; nil for none.
        public var console: ConsoleOutput?

        public init(demoTickets: @escaping @Sendable () -> [Ticket], variables: [String: String], console: ConsoleOutput?) {
            self.demoTickets = demoTickets
            self.variables = variables
            self.console = console
        }
    }

    /// The configuration in force.
    public let config: AdmitConfig
    private let environment: Environment
    private let logger: Logger
    private let clock = SystemClock()
    private let startedAt: MonotonicInstant
    private let notifier: SystemdNotifier
    private var state = "starting"
    private var journal: (any ScanJournal)?
    private var gateLoop: GateLoop?
    private var control: ControlServer?
    private var scanners: [any ScannerSource] = []
    private var watchdogTimer: (any DispatchSourceTimer)?

    /// Creates a daemon; nothing runs until `start()`.
    public init(config: AdmitConfig, environment: Environment, logger: Logger) {
        self.config = config
        self.environment = environment
        self.logger = logger
        self.startedAt = SystemClock().monotonic()
        self.notifier = SystemdNotifier(environment: environment.variables)
    }

    /// The gate loop, once started.
    public var gate: GateLoop? { gateLoop }

    /// Starts everything; READY is sent to systemd only when the gate can decide.
    public func start() throws {
        try makeDirectory(config.gate.stateDirectory)
        try makeDirectory((config.gate.controlSocket as NSString).deletingLastPathComponent)
        let journal: any ScanJournal = MemoryScanJournal()
        self.journal = journal

        let tickets = environment.demoTickets()
        let index = TicketIndex(tickets: tickets)
        logger.info("loaded \(index.count) tickets of the demo event")

        var outputs: [any DecisionOutput] = []
        if let console = environment.console { outputs.append(console) }
        let gate = Gate(policy: config.gate.policy, normalizer: config.gate.normalizer, index: index)
        let loop = GateLoop(gate: gate, journal: journal, outputs: outputs, clock: clock)
        gateLoop = loop

        let commands = ControlCommands(daemon: self)
        control = try ControlServer(path: config.gate.controlSocket, logger: logger) { request, peer, reply in
            commands.handle(request, peer: peer, reply: reply)
        }

        for scannerConfig in config.scanners {
            let scanner = makeScanner(scannerConfig)
            try scanner.start(deliverFrom: { [loop] barcode, source, direction in
                loop.submit(barcode: barcode, source: source, direction: direction)
            })
            scanners.append(scanner)
        }
        state = "ready"
        startWatchdog(loop)
        notifier.notify("READY=1\nSTATUS=\(index.count) tickets, ready")
        logger.info("gate \(config.gate.name) ready: control socket \(config.gate.controlSocket)")
    }

    /// Stops in reverse order: scanners, control socket, then the gate loop drains.
    public func stop() {
        state = "stopping"
        notifier.notify("STOPPING=1")
        for scanner in scanners.reversed() { scanner.stop() }
        watchdogTimer?.cancel()
        control?.stop()
        // Let the scan in hand finish: the gate queue runs everything submitted before this.
        _ = gateLoop?.inspectNow { _ in true }
        logger.info("stopped")
    }

    /// The answer to `status`, assembled on the gate queue.
    func status(reply: @escaping @Sendable (StatusReport) -> Void) {
        guard let gateLoop else { return }
        let config = config
        let state = state
        let pending = journal?.pendingCount() ?? 0
        let uptime = Int(clock.monotonic().milliseconds(since: startedAt) / 1000)
        let scannerCount = scanners.count
        gateLoop.inspect({ snapshot in
            let (health, reason) = Self.health(state: state, pending: pending)
            return StatusReport(
                state: state, health: health, healthReason: reason, gate: config.gate.name,
                direction: config.gate.direction.rawValue, area: config.gate.area,
                backend: config.backend.kind.rawValue, tickets: snapshot.gate.index.count,
                indexGeneration: snapshot.gate.index.generation,
                granted: snapshot.statistics.granted, denied: snapshot.statistics.denied,
                repeats: snapshot.statistics.repeats, inside: snapshot.gate.ledger.insideCount,
                pendingScans: pending, lastSync: nil, lastError: nil, scanners: scannerCount,
                uptimeS: uptime, version: AdmitVersion.current)
        }, reply: reply)
    }

    /// Descriptions of the configured scanners.
    func describeScanners() -> [ScannerDescription] { scanners.flatMap { $0.describeDevices() } }

    static func health(state: String, pending: Int) -> (String, String) {
        if state != "ready" { return ("red", "gate is \(state)") }
        return ("green", "deciding")
    }

    private func makeScanner(_ config: ScannerConfig) -> any ScannerSource {
        switch config.kind {
        case .stdin: StdinScanner(name: config.name, direction: config.direction)
        case .evdev, .serial: DeviceScannerSource(config, logger: logger)
        }
    }

    private func startWatchdog(_ loop: GateLoop) {
        guard let usec = notifier.watchdogMicroseconds else { return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "admit.watchdog"))
        let interval = DispatchTimeInterval.microseconds(Int(usec / 2))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        let notifier = notifier
        // The ping is sent from the gate queue: if the gate stalls, systemd restarts us.
        timer.setEventHandler { loop.async { notifier.notify("WATCHDOG=1") } }
        timer.resume()
        watchdogTimer = timer
    }

    private func makeDirectory(_ path: String) throws {
        guard !path.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw SystemError("create the folder", path, code: EACCES)
        }
    }
}
