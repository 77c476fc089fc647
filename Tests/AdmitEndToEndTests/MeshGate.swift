import AdmitDaemon
import AdmitFakes
import Foundation
import NatsTestSupport

/// A gate of a venue's mesh: a configuration with the demo event and `[mesh]` pointing at
/// real nats-servers, in a folder of its own, launched as a real admitd.
struct MeshGate {
    let name: String
    let directory: String
    let configPath: String

    init(name: String, servers: [String], event: String = "e2e", extra: String = "", gate: String = "") throws {
        self.name = name
        directory = NSTemporaryDirectory() + "admit-mesh-\(name)-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        configPath = directory + "/admit.toml"
        let list = servers.map { "\"\($0)\"" }.joined(separator: ", ")
        let config = """
            [gate]
            name = "\(name)"
            state_dir = "\(directory)"
            control_socket = "\(directory)/control.sock"
            debounce_s = 0
            \(gate)

            [backend]
            kind = "demo"

            # The tests scan through the socket far faster than a steward would.
            [control]
            scan_rate_per_minute = 6000

            [mesh]
            servers = [\(list)]
            event = "\(event)"
            \(extra)
            """
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Starts admitd on this configuration (the same folder each time: a restart).
    func launch() throws -> DaemonProcess {
        try DaemonProcess(arguments: ["--config", configPath], directory: directory)
    }

    /// The demo event's valid barcodes.
    static let valid = DemoEvent(count: 5000, now: .init(millisecondsSince1970: 0)).samples.valid
}

extension DaemonProcess {
    /// `mesh` as the daemon reports it.
    func mesh() throws -> MeshReport {
        try ControlJSON.decode(MeshReport.self, from: try ControlClient(path: socket).send(ControlRequest(cmd: "mesh")))
    }

    /// The mesh report, nil while the daemon does not answer.
    var meshNow: MeshReport? { try? mesh() }
}
