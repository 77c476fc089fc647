import AdmitCore
import AdmitFakes
import Foundation

/// A vivenu fake in this test process and an admitd configuration pointing at it.
struct VivenuGate {
    let fake: VivenuFake
    let directory: String
    let configPath: String
    let event: DemoEvent

    /// `realtimeBudget`: ask vivenu first for each read, within that many milliseconds.
    static func start(
        tickets: Int = 2000, flushInterval: Double = 0.2, batchSize: Int = 20, portierURL: String? = nil,
        realtimeBudget: Int? = nil
    ) async throws -> VivenuGate {
        let event = DemoEvent(count: tickets, now: Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000)))
        let fake = VivenuFake(token: "e2e-token", eventID: DemoEvent.eventID, tickets: event.tickets)
        _ = try await fake.start()
        let directory = NSTemporaryDirectory() + "admit-e2e-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "e2e-token\n".write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        let config = """
            [gate]
            name = "north-1"
            area = "north"
            state_dir = "\(directory)"
            control_socket = "\(directory)/control.sock"

            [backend]
            kind = "vivenu"
            url = "\(fake.baseURL)"
            token_file = "\(directory)/token"
            event = "\(DemoEvent.eventID)"
            sync_interval_s = 1
            flush_interval_s = \(flushInterval)
            batch_size = \(batchSize)
            \(portierURL.map { "portier_url = \"\($0)\"" } ?? "")
            \(realtimeBudget.map { "realtime = true\nrealtime_budget_ms = \($0)" } ?? "")

            [[scanner]]
            kind = "stdin"
            """
        let configPath = directory + "/admit.toml"
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        return VivenuGate(fake: fake, directory: directory, configPath: configPath, event: event)
    }

    /// Starts admitd on this configuration.
    func launch() throws -> DaemonProcess {
        try DaemonProcess(arguments: ["--config", configPath], directory: directory)
    }

    /// Valid tickets of the gate's area, in a fixed order.
    var validBarcodes: [String] {
        (0..<event.count).map(event.ticket).filter { $0.status == .valid && $0.areas == ["north"] && $0.validFrom! < Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000)) && $0.validUntil! > Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000)) && $0.entriesAllowed == 1 }.map(\.barcode)
    }
}
