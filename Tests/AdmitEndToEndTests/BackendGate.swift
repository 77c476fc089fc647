import AdmitDaemon
import Foundation

/// A state folder and an admitd configuration for a gate on one of the backend fakes, and
/// the control-socket questions the end-to-end tests ask the real daemon.
struct BackendGate {
    let directory: String
    let configPath: String

    /// Writes a configuration with `backend` as the body of `[backend]` (a stdin scanner, no
    /// debounce so a second scan of a ticket is a second decision, fast sync and flush).
    init(backend: String, gate extra: String = "") throws {
        directory = NSTemporaryDirectory() + "admit-e2e-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        configPath = directory + "/admit.toml"
        let config = """
            [gate]
            name = "north-1"
            state_dir = "\(directory)"
            control_socket = "\(directory)/control.sock"
            debounce_s = 0
            \(extra)

            [backend]
            \(backend)

            [[scanner]]
            kind = "stdin"
            """
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Starts admitd on this configuration; the process is killed when the value goes.
    func launch() throws -> DaemonProcess {
        try DaemonProcess(arguments: ["--config", configPath], directory: directory)
    }
}

extension DaemonProcess {
    /// Decides `barcode` over the control socket (the `scan` request).
    func scan(_ barcode: String, direction: String? = nil) throws -> DecisionReport {
        let bytes = try ControlClient(path: socket).send(ControlRequest(cmd: "scan", barcode: barcode, direction: direction))
        guard let decision = try ControlJSON.decode(ScanResponse.self, from: bytes).decision else {
            throw TestFailure("no decision for \(barcode): \(String(decoding: bytes, as: UTF8.self))")
        }
        return decision
    }

    /// `status` as the daemon reports it.
    func status() throws -> StatusReport {
        try ControlJSON.decode(StatusReport.self, from: try ControlClient(path: socket).send(ControlRequest(cmd: "status")))
    }

    /// `recent` as the daemon reports it, newest first.
    func recent(limit: Int = 50) throws -> [DecisionReport] {
        let bytes = try ControlClient(path: socket).send(ControlRequest(cmd: "recent", limit: limit))
        return try ControlJSON.decode(RecentResponse.self, from: bytes).decisions
    }

    /// Waits until the outbox is empty.
    func waitForUploads(seconds: Double = 30) -> Bool {
        wait(seconds: seconds) { (try? status())?.pendingScans == 0 }
    }
}

/// A test precondition that did not hold.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
