import AdmitCore
import AdmitDaemon
import AdmitFakes
import ArgumentParser
import Dispatch
import Foundation
import Logging

/// `admitd`: the gate daemon.
struct AdmitDaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admitd",
        abstract: "Admit gate daemon: reads barcode scanners, decides GRANTED or DENIED, drives the gate.",
        version: AdmitVersion.current)

    @Option(name: .long, help: "Configuration file.")
    var config: String = "/etc/admit/admit.toml"

    @Option(name: .customLong("check-config"), help: "Check a configuration file and exit (non-zero with the key and line of the first problem).")
    var checkConfig: String?

    @Flag(name: .long, help: "Run the demo event with a stdin scanner; no configuration needed.")
    var demo = false

    @Option(name: .long, help: "Control socket path (overrides the configuration).")
    var socket: String?

    @Option(name: .customLong("state-dir"), help: "State folder (overrides the configuration).")
    var stateDir: String?

    @Option(name: .customLong("demo-tickets"), help: "Number of tickets in the demo event.")
    var demoTickets: Int = 5000

    @Option(name: .customLong("demo-backend"), help: "vivenu: the demo event behind the vivenu fake on loopback (real sync and upload); none: the embedded event only, with validity windows, which vivenu's API does not carry.")
    var demoBackend: String = "vivenu"

    mutating func validate() throws {
        guard ["vivenu", "none"].contains(demoBackend) else {
            throw ValidationError("--demo-backend must be vivenu or none")
        }
    }

    mutating func run() throws {
        if let path = checkConfig {
            do {
                let parsed = try AdmitConfig.load(path: path)
                print("\(path): OK (gate \(parsed.gate.name), backend \(parsed.backend.kind.rawValue), \(parsed.scanners.count) scanner(s))")
                return
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        LoggingSystem.bootstrap { TerminalSafeLogHandler(wrapping: StreamLogHandler.standardError(label: $0)) }
        var logger = Logger(label: "admitd")
        logger.logLevel = .info

        var configuration: AdmitConfig
        if demo {
            let runtime = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"].map { $0 + "/admit-demo" }
                ?? "/tmp/admit-demo-\(getuid())"
            configuration = AdmitConfig.demo(runtimeDirectory: runtime)
        } else {
            do {
                configuration = try AdmitConfig.load(path: config)
            } catch {
                logger.critical("\(error)")
                throw ExitCode(1)
            }
        }
        if let socket { configuration.gate.controlSocket = socket }
        if let stateDir { configuration.gate.stateDirectory = stateDir }

        let event = DemoEvent(count: demoTickets, now: SystemClock().wall())
        var demoFake: VivenuFake?
        if demo {
            // A demo starts from a clean slate: validity windows are placed around now.
            for file in ["journal.sqlite", "tickets.sqlite"] {
                for suffix in ["", "-wal", "-shm"] {
                    try? FileManager.default.removeItem(atPath: configuration.gate.stateDirectory + "/" + file + suffix)
                }
            }
            do {
                if demoBackend == "vivenu" { demoFake = try DemoBackend.start(event: event, config: &configuration) }
            } catch {
                logger.critical("cannot start the demo backend: \(error)")
                throw ExitCode(1)
            }
        }
        let daemon = Daemon(
            config: configuration,
            environment: Daemon.Environment(
                demoTickets: { event.tickets }, variables: ProcessInfo.processInfo.environment,
                console: ConsoleOutput(), configPath: demo ? nil : config),
            logger: logger)
        do {
            try daemon.start()
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode(1)
        }
        if demo {
            DemoBanner.print(config: configuration, samples: event.samples, tickets: event.count, backend: demoFake?.baseURL)
        }
        SignalHandling.install(daemon: daemon, logger: logger)
        dispatchMain()
    }
}

/// Turns SIGTERM and SIGINT into an orderly stop and exit 0, and SIGHUP into a reload.
enum SignalHandling {
    nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []

    static func install(daemon: Daemon, logger: Logger) {
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
            source.setEventHandler {
                logger.info("signal \(signalNumber): stopping")
                daemon.stop()
                exit(0)
            }
            source.resume()
            sources.append(source)
        }
        // SIGHUP reloads the configuration; the index and the outbox stay.
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .main)
        hangup.setEventHandler { _ = daemon.reload() }
        hangup.resume()
        sources.append(hangup)
    }
}

/// The lines `admitd --demo` prints before reading barcodes.
enum DemoBanner {
    static func print(config: AdmitConfig, samples: DemoEvent.Samples, tickets: Int, backend: String?) {
        let text = """
            Admit demo: gate \(config.gate.name), direction \(config.gate.direction.label), area \(config.gate.area ?? "any"), \(tickets) tickets
              control socket  \(config.gate.controlSocket)   (admitctl --socket \(config.gate.controlSocket) status)
              state folder    \(config.gate.stateDirectory)
              backend         \(backend.map { "vivenu fake at \($0) (tickets synced, scans uploaded over HTTP)" } ?? "none (embedded event)")
              try: valid \(samples.valid.joined(separator: " ")) · cancelled \(samples.cancelled)
                   other area \(samples.otherArea) · unknown \(samples.unknown)\(backend == nil ? "\n       not yet valid \(samples.notYetValid) · expired \(samples.expired)" : "")
            Type or scan a barcode and press Enter (Ctrl-C stops).

            """
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

AdmitDaemonCommand.main()
