import AdmitCore
import AdmitDaemon
import ArgumentParser
import Foundation

/// Exit codes of admitctl: 0 ok, 1 DENIED (scan), 2 usage, 3 daemon unreachable.
enum CtlExit {
    static let denied = ExitCode(1)
    static let usage = ExitCode(2)
    static let unreachable = ExitCode(3)
}

struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "Control socket of admitd.")
    var socket: String = ProcessInfo.processInfo.environment["ADMIT_SOCKET"] ?? "/run/admit/control.sock"

    @Flag(name: .long, help: "Print the daemon's JSON as is.")
    var json = false

    /// Sends a request; exits 3 when the daemon cannot be reached (or does not answer
    /// within `timeoutSeconds`).
    func send(_ request: ControlRequest, timeoutSeconds: Int = 10) throws -> [UInt8] {
        do {
            return try ControlClient(path: socket, timeoutSeconds: timeoutSeconds).send(request)
        } catch {
            FileHandle.standardError.write(Data("admitctl: admitd is not reachable: \(error)\n".utf8))
            throw CtlExit.unreachable
        }
    }

    /// Decodes a response, or prints its error and exits 1.
    func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        if let failure = try? ControlJSON.decode(ErrorResponse.self, from: bytes), !failure.ok {
            FileHandle.standardError.write(Data("admitctl: \(failure.error)\n".utf8))
            throw ExitCode(1)
        }
        do {
            return try ControlJSON.decode(type, from: bytes)
        } catch {
            FileHandle.standardError.write(Data("admitctl: unexpected answer: \(String(decoding: bytes, as: UTF8.self))\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct AdmitCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admitctl",
        abstract: "Talk to a running admitd over its control socket.",
        version: AdmitVersion.current,
        subcommands: [
            Status.self, Scan.self, Recent.self, Devices.self, Sync.self, Flush.self, Metrics.self, Reload.self,
            BackendCommand.self, MeshCommand.self,
        ])
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Is the gate healthy? One screen for a steward.")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let bytes = try connection.send(ControlRequest(cmd: "status"))
        if connection.json { return print(String(decoding: bytes, as: UTF8.self)) }
        let s = try connection.decode(StatusReport.self, bytes)
        print(StatusScreen.render(s, color: isatty(1) == 1))
    }
}

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Decide a barcode as if scanned at this gate (exit 1 when DENIED).")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The barcode.") var barcode: String
    @Option(help: "in or out, instead of the gate's direction.") var direction: String?

    func run() throws {
        let bytes = try connection.send(ControlRequest(cmd: "scan", barcode: barcode, direction: direction))
        let response = try connection.decode(ScanResponse.self, bytes)
        if connection.json {
            print(String(decoding: bytes, as: UTF8.self))
        } else if let d = response.decision {
            print(d.result.padding(toLength: 8, withPad: " ", startingAt: 0) + TerminalSafe.text(" \(d.barcode)  \(d.detail)"))
        }
        if response.decision?.result != "GRANTED" { throw CtlExit.denied }
    }
}

struct Recent: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The last decisions, newest first, with where each stands with the backend.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "How many (1-200).") var limit: Int = 20
    @Flag(help: "Only the scans the backend refused for good, from the journal (kept across restarts).")
    var rejected = false

    func run() throws {
        let bytes = try connection.send(ControlRequest(cmd: "recent", limit: limit, rejected: rejected ? true : nil))
        if connection.json { return print(String(decoding: bytes, as: UTF8.self)) }
        if rejected {
            let response = try connection.decode(RejectedScansResponse.self, bytes)
            return print(RecentLines.rejected(response))
        }
        let response = try connection.decode(RecentResponse.self, bytes)
        if response.decisions.isEmpty { print("no decisions yet") }
        for d in response.decisions { print(RecentLines.line(d)) }
    }
}

struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The scanners: state, last read, counts.")
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "List what is plugged in that looks like a scanner, with the config to match it (asks udev, not admitd).")
    var candidates = false

    func run() throws {
        if candidates { return try printScannerCandidates(json: connection.json) }
        let bytes = try connection.send(ControlRequest(cmd: "devices"))
        if connection.json { return print(String(decoding: bytes, as: UTF8.self)) }
        let response = try connection.decode(DevicesResponse.self, bytes)
        for s in response.scanners {
            let age = s.lastReadSecondsAgo.map { " (\($0) s ago)" } ?? ""
            let problems = s.discarded.map { "  discarded \($0)  floods \(s.floods ?? 0)" } ?? ""
            print("\(s.name)  \(s.kind)  \(s.state)  \(s.device ?? "")  reads \(s.reads)\(problems)  last \(s.lastRead ?? "-")\(age)")
        }
    }
}

struct Sync: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Poll the backend for ticket changes now.")
    @OptionGroup var connection: ConnectionOptions
    func run() throws { try simple("sync", connection) }
}

struct Flush: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Upload waiting scans now.")
    @OptionGroup var connection: ConnectionOptions
    func run() throws { try simple("flush", connection) }
}

/// Sends a command that answers with a message.
func simple(_ command: String, _ connection: ConnectionOptions) throws {
    let bytes = try connection.send(ControlRequest(cmd: command))
    if connection.json { return print(String(decoding: bytes, as: UTF8.self)) }
    print(try connection.decode(DoneResponse.self, bytes).message)
}

struct Metrics: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Prometheus metrics of the gate (text exposition).")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let bytes = try connection.send(ControlRequest(cmd: "metrics"))
        if connection.json { return print(String(decoding: bytes, as: UTF8.self)) }
        print(try connection.decode(MetricsResponse.self, bytes).text, terminator: "")
    }
}

struct Reload: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the configuration again (like SIGHUP): rules, outputs, scanners. Exit 1 when it was refused.")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let bytes = try connection.send(ControlRequest(cmd: "reload"))
        if connection.json { return print(String(decoding: bytes, as: UTF8.self)) }
        print(try connection.decode(DoneResponse.self, bytes).message)
    }
}

/// Parses and runs, mapping usage errors to exit code 2 instead of ArgumentParser's 64.
/// `--socket PATH` may stand before the subcommand (`admitctl --socket P status`): move it
/// behind, where the subcommand's options are parsed (behind `backend events` for a group).
func movingGlobalOptions(_ arguments: [String]) -> [String] {
    var moved: [String] = []
    var rest = arguments[...]
    while let first = rest.first, first.hasPrefix("-") {
        if first == "--socket", rest.count >= 2 {
            moved += rest.prefix(2)
            rest = rest.dropFirst(2)
        } else if first.hasPrefix("--socket=") || first == "--json" {
            moved.append(first)
            rest = rest.dropFirst()
        } else {
            break
        }
    }
    guard let subcommand = rest.first, !moved.isEmpty else { return arguments }
    // A command group (`backend events`): the options go behind the command in it.
    if BackendCommand.configuration.commandName == subcommand, rest.count >= 2 {
        return Array(rest.prefix(2)) + moved + rest.dropFirst(2)
    }
    return [subcommand] + moved + rest.dropFirst()
}

do {
    var command = try AdmitCtl.parseAsRoot(movingGlobalOptions(Array(CommandLine.arguments.dropFirst())))
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    let exitCode = AdmitCtl.exitCode(for: error)
    if exitCode == .success {
        print(AdmitCtl.fullMessage(for: error))
        exit(0)
    }
    FileHandle.standardError.write(Data((AdmitCtl.fullMessage(for: error) + "\n").utf8))
    exit(CtlExit.usage.rawValue)
}
