import AdmitBackends
import AdmitCore
import AdmitMesh
import AdmitStore
import Dispatch
import Foundation
import Logging
import Synchronization

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
        /// The configuration file, read again on SIGHUP; nil when there is none (demo).
        public var configPath: String?

        public init(
            demoTickets: @escaping @Sendable () -> [Ticket], variables: [String: String], console: ConsoleOutput?,
            configPath: String? = nil
        ) {
            self.demoTickets = demoTickets
            self.variables = variables
            self.console = console
            self.configPath = configPath
        }
    }

    /// The configuration in force (replaced by a reload).
    public var config: AdmitConfig { configuration.withLock { $0 } }
    let configuration: Mutex<AdmitConfig>
    let environment: Environment
    let logger: Logger
    let clock = SystemClock()
    private let startedAt: MonotonicInstant
    private let notifier: SystemdNotifier
    private let lifecycle = Mutex("starting")
    var outbox: ScanOutbox?
    private var snapshot: TicketSnapshot?
    private(set) var backend: (any TicketBackend)?
    private var syncer: Syncer?
    private var flusher: Flusher?
    private var tasks: [Task<Void, Never>] = []
    /// What the syncer and flusher last did.
    public let activity = BackendActivity()
    /// The backend's clock as far as it is known.
    public let serverClock = SharedServerClock()
    var gateLoop: GateLoop?
    private var control: ControlServer?
    var scanners: [any ScannerSource] = []
    /// GPIO outputs and passage sensor (Daemon+Outputs.swift); nil when they failed to open.
    var outputRig: OutputRig?
    var outputProblem: String?
    /// Prometheus metrics of this gate.
    public let metrics = GateMetrics()
    var metricsEndpoint: MetricsHTTPEndpoint?
    private var watchdogTimer: (any DispatchSourceTimer)?
    /// The mesh (Mesh/Daemon+Mesh.swift); nil without `[mesh]`.
    var mesh: MeshNode?
    /// Strict mode's claims; nil unless `[mesh] strict = true`.
    var meshClaims: MeshClaims?

    /// Creates a daemon; nothing runs until `start()`.
    public init(config: AdmitConfig, environment: Environment, logger: Logger) {
        self.configuration = Mutex(config)
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
        let directory = config.gate.stateDirectory
        let outbox = try ScanOutbox(path: directory + "/journal.sqlite")
        let snapshot = try TicketSnapshot(path: directory + "/tickets.sqlite")
        self.outbox = outbox
        self.snapshot = snapshot
        let backend = BackendFactory.make(config.backend, context: serverClock.backendContext)
        self.backend = backend
        if backend != nil { carryTheBackendClockOver(snapshot: snapshot, outbox: outbox) }

        let index = backend == nil ? TicketIndex(tickets: environment.demoTickets()) : TicketIndex(table: try snapshot.loadTable())
        let ledger = RedemptionLedger(events: try outbox.loadRedemptions())
        logger.info("loaded \(index.count) tickets, \(ledger.eventCount) redemptions, \(outbox.pendingCount()) scans to upload")

        var outputs = baseOutputs
        outputs += startOutputs(config.outputs)
        let gate = Gate(policy: config.gate.policy, normalizer: config.gate.normalizer, index: index, ledger: ledger)
        let loop = GateLoop(
            gate: gate, journal: outbox, outputs: outputs, clock: clock, serverClock: serverClock,
            realtime: makeRealtimeCheck(backend))
        gateLoop = loop

        if let meshConfig = config.mesh { try startMesh(meshConfig, outbox: outbox, gate: loop) }

        let commands = ControlCommands(daemon: self)
        control = try ControlServer(
            path: config.gate.controlSocket, logger: logger, access: { [weak self] in self?.config.control.access ?? ControlAccess() }
        ) { request, peer, reply in
            commands.handle(request, peer: peer, reply: reply)
        }

        if let backend {
            startBackgroundWork(backend, outbox: outbox, snapshot: snapshot, gate: loop)
            if index.count == 0 { waitForFirstSync(seconds: config.backend.firstSyncTimeoutSeconds) }
        }
        startMetricsEndpoint()
        for scannerConfig in config.scanners {
            let scanner = makeScanner(scannerConfig)
            try scanner.start(deliverFrom: { [loop] barcode, source, direction in
                loop.submit(barcode: barcode, source: source, direction: direction)
            })
            scanners.append(scanner)
        }
        lifecycle.withLock { $0 = "ready" }
        startWatchdog(loop)
        notifier.notify("READY=1\nSTATUS=\(index.count) tickets, \(outbox.pendingCount()) scans to upload")
        logger.info("gate \(config.gate.name) ready: control socket \(config.gate.controlSocket)")
    }

    /// Until the backend answers, scans are stamped with the kiosk's clock, but never
    /// earlier than the last backend time written down before this start: a box without
    /// RTC that boots at 1970 after a power cut keeps stamping this year's times.
    private func carryTheBackendClockOver(snapshot: TicketSnapshot, outbox: ScanOutbox) {
        let known = [try? snapshot.latestServerTime(), try? outbox.latestServerTime()].compactMap { $0 }.max()
        guard let known else { return }
        serverClock.raiseFloor(to: known)
        let wall = clock.wall()
        if wall < known {
            logger.warning("the kiosk clock reads \(ISO8601.format(wall)), before the backend's last known time \(ISO8601.format(known)); stamping scans from that time until the backend answers")
        }
    }

    /// Stops in reverse order: scanners, control socket, then the gate loop drains.
    public func stop() {
        lifecycle.withLock { $0 = "stopping" }
        notifier.notify("STOPPING=1")
        for scanner in scanners.reversed() { scanner.stop() }
        watchdogTimer?.cancel()
        control?.stop()
        metricsEndpoint?.stop()
        // Let the scan in hand finish: the gate queue runs everything submitted before this.
        _ = gateLoop?.inspectNow { _ in true }
        for task in tasks { task.cancel() }
        if let flusher, let outbox, outbox.pendingCount() > 0 {
            logger.info("uploading \(outbox.pendingCount()) scans before stopping (5 s at most)")
            Self.runBlocking(seconds: 6) { await flusher.flushAll(deadline: .now + .seconds(5)) }
        }
        if let backend { Self.runBlocking(seconds: 2) { await backend.shutdown() } }
        mesh?.stop()
        stopOutputs()
        logger.info("stopped")
    }

    /// The answer to `status`, assembled on the gate queue.
    func status(reply: @escaping @Sendable (StatusReport) -> Void) {
        guard let gateLoop else { return }
        let config = config
        let state = lifecycle.withLock { $0 }
        let pending = outbox?.pendingCount() ?? 0
        let activity = activity.current
        let syncInterval = config.backend.syncIntervalSeconds
        let hasBackend = backend != nil
        let now = clock.monotonic()
        let uptime = Int(clock.monotonic().milliseconds(since: startedAt) / 1000)
        let scannerCount = scanners.count
        let outputs = outputRig?.summary
        let outputProblem = outputProblem ?? outputRig?.relayProblem
        let passageProblem = outputRig?.passageProblem
        let rejected = try? outbox?.rejectedCount()
        let backendStatus = BackendStatusReport(activity)
        let meshReport = meshReport()
        gateLoop.inspect({ snapshot in
            let (health, reason) = GateHealth(
                state: state, pendingScans: pending, scanners: scannerCount, outputProblem: outputProblem,
                passageProblem: passageProblem,
                recordProblem: snapshot.statistics.recordProblem,
                tickets: snapshot.gate.index.count, hasBackend: hasBackend, activity: activity,
                syncInterval: syncInterval, now: now
            ).verdict
            var report = StatusReport(
                state: state, health: health, healthReason: reason, gate: config.gate.name,
                direction: config.gate.direction.rawValue, area: config.gate.area,
                backend: config.backend.kind.rawValue, tickets: snapshot.gate.index.count,
                indexGeneration: snapshot.gate.index.generation,
                granted: snapshot.statistics.granted, denied: snapshot.statistics.denied,
                repeats: snapshot.statistics.repeats, inside: snapshot.gate.ledger.insideCount,
                pendingScans: pending, lastSync: activity.lastSync.map(ISO8601.format),
                lastError: activity.lastSyncError ?? activity.lastFlushError, rejectedScans: rejected,
                backendStatus: backendStatus, backendNotes: config.backend.statusNotes.isEmpty ? nil : config.backend.statusNotes,
                scanners: scannerCount,
                uptimeS: uptime, version: AdmitVersion.current, outputs: outputs)
            report.mesh = meshReport
            return report
        }, reply: reply)
    }

    /// Descriptions of the configured scanners.
    func describeScanners() -> [ScannerDescription] { scanners.flatMap { $0.describeDevices() } }

    /// On a first start (no stored tickets) the gate cannot decide anything yet: wait for the
    /// first full load, at most `seconds`, before declaring READY. Past that, start anyway
    /// (status is red) so a network outage never keeps the service from starting.
    private func waitForFirstSync(seconds: Double) {
        logger.info("no stored tickets: waiting up to \(Int(seconds)) s for the first full load")
        // Under systemd, start-up may take no longer than TimeoutStartSec= (90 s by default),
        // while first_sync_timeout_s may be longer: ask for the time the wait needs, plus
        // a margin for what follows it.
        notifier.notify("EXTEND_TIMEOUT_USEC=\(UInt64((seconds + 30) * 1_000_000))\nSTATUS=waiting for the first full load")
        let deadline = clock.monotonic().adding(milliseconds: UInt64(seconds * 1000))
        while clock.monotonic() < deadline {
            if !activity.current.fullLoadPending { return }
            usleep(20_000)
        }
        logger.warning("first full load not complete after \(Int(seconds)) s: starting without tickets")
    }

    /// Asks for a sync pass now; false without a backend.
    func syncNow() -> Bool {
        syncer?.syncSoon()
        return syncer != nil
    }

    /// Asks for an upload now; false without a backend.
    func flushNow() -> Bool {
        flusher?.flushSoon()
        return flusher != nil
    }

    /// Applies reloaded sync and flush settings to the running syncer and flusher; true
    /// when something changed.
    func retimeBackgroundWork(from previous: BackendConfig, to next: BackendConfig) -> Bool {
        var changed = false
        if next.syncIntervalSeconds != previous.syncIntervalSeconds {
            syncer?.setInterval(seconds: next.syncIntervalSeconds)
            changed = true
        }
        if next.flushIntervalSeconds != previous.flushIntervalSeconds || next.batchSize != previous.batchSize {
            flusher?.reconfigure(batchSize: next.batchSize, intervalSeconds: next.flushIntervalSeconds)
            changed = true
        }
        return changed && syncer != nil
    }

    private func startBackgroundWork(_ backend: any TicketBackend, outbox: ScanOutbox, snapshot: TicketSnapshot, gate: GateLoop) {
        let syncer = Syncer(
            backend: backend, snapshot: snapshot, outbox: outbox, gate: gate, activity: activity,
            serverClock: serverClock, intervalSeconds: config.backend.syncIntervalSeconds, logger: logger)
        let flusher = Flusher(
            backend: backend, outbox: outbox, activity: activity, serverClock: serverClock,
            batchSize: config.backend.batchSize, intervalSeconds: config.backend.flushIntervalSeconds, logger: logger)
        self.syncer = syncer
        self.flusher = flusher
        let metrics = metrics, backendName = backend.name
        activity.onFailure { operation in metrics.backendError(backend: backendName, operation: operation) }
        gate.onDecision { _ in
            if outbox.pendingCount() >= flusher.batchSize { flusher.flushSoon() }
        }
        tasks = [Task.detached { await syncer.run() }, Task.detached { await flusher.run() }]
    }

    /// Runs async work from a synchronous caller (the signal handler), waiting at most `seconds`.
    private static func runBlocking(seconds: Double, _ body: @escaping @Sendable () async -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            await body()
            done.signal()
        }
        _ = done.wait(timeout: .now() + seconds)
    }

    /// The realtime check, where configured and the backend offers one.
    private func makeRealtimeCheck(_ backend: (any TicketBackend)?) -> RealtimeCheck? {
        guard config.backend.realtime, let realtime = backend as? any RealtimeBackend else { return nil }
        let budget = Int64(config.backend.realtimeBudgetMilliseconds)
        let gateDirection = config.gate.direction
        let logger = logger
        let normalizer = config.gate.normalizer
        return RealtimeCheck(recordsScan: realtime.realtimeRecordsScan) { raw, direction in
            guard let barcode = normalizer.normalize(raw) else { return nil }
            do {
                return try await realtime.check(barcode: barcode, direction: direction ?? gateDirection, budgetMilliseconds: budget)
            } catch {
                logger.notice("realtime check skipped, deciding locally: \(error)")
                return nil
            }
        }
    }

    func makeScanner(_ config: ScannerConfig) -> any ScannerSource {
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
