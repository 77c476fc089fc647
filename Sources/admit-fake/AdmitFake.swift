import AdmitCore
import AdmitFakes
import ArgumentParser
import Foundation

/// `admit-fake`: Admit's strict fake of a ticketing backend, serving the demo event on
/// loopback as its own process, so a gate can be tried, stopped, killed or power-cut apart
/// from its backend (the VM's power-cut scenario runs it on both sides of the cut). It
/// prints `listening URL` once bound, then one line per check-in it accepts:
///
///     checkin SECRET nonce=NONCE forced=true|false
///
/// and a last `checkins N` line when it stops on SIGTERM or SIGINT. Not installed by the
/// package: a development and test tool.
@main
struct AdmitFakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admit-fake",
        abstract: "Serve the demo event from a strict fake backend on 127.0.0.1.")

    /// The backends this tool can stand in for.
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case eventyay
    }

    @Argument(help: "The backend to fake: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: Kind

    @Option(help: "TCP port on 127.0.0.1 (0 picks a free one).")
    var port: Int = 0

    @Option(help: "Number of demo tickets.")
    var tickets: Int = 5000

    @Option(help: "eventyay: the device key clients must send.")
    var key: String = "demo-key"

    @Option(help: "eventyay: organizer slug.")
    var organizer: String = "demoorga"

    @Option(help: "eventyay: event slug.")
    var event: String = "democon"

    func run() async throws {
        let now = Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000))
        let demo = DemoEvent(count: tickets, now: now)
        let fake = EventyayFake(key: key, organizer: organizer, event: event, tickets: demo.tickets)
        _ = try await fake.start(port: port)
        let stop = StopSignal()
        emit("listening \(fake.baseURL)")
        // Check-ins are read from the fake's record every few milliseconds; the last read
        // happens after the stop signal, so none is left unprinted.
        var printed = 0
        while true {
            let stopping = stop.received
            let checkins = fake.checkins
            for checkin in checkins[printed...] {
                emit("checkin \(checkin.secret) nonce=\(checkin.nonce ?? "-") forced=\(checkin.forced)")
            }
            printed = checkins.count
            if stopping { break }
            try? await Task.sleep(for: .milliseconds(20))
        }
        try await fake.stop()
        emit("checkins \(printed)")
    }
}

/// Set once SIGTERM or SIGINT arrived (the signals are taken from their default action).
final class StopSignal {
    private let flag = Flag()
    private let sources: [any DispatchSourceSignal]

    init() {
        let flag = self.flag
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { flag.set() }
            source.resume()
            return source
        }
    }

    var received: Bool { flag.value }

    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var raised = false
        func set() { lock.withLock { raised = true } }
        var value: Bool { lock.withLock { raised } }
    }
}

/// Writes `line` to standard output at once (unbuffered: a reader waits on each line).
private func emit(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
