import AdmitCore
import AdmitDaemon
import AdmitFakes
import Foundation
import Logging

/// An in-process daemon on the demo event with a temporary state folder and socket.
final class TestDaemon: Sendable {
    let daemon: Daemon
    let directory: String
    let socket: String
    let samples: DemoEvent.Samples

    init(logger: Logger = Logger(label: "test"), configure: (inout AdmitConfig) -> Void = { _ in }) throws {
        directory = NSTemporaryDirectory() + "admit-test-\(UUID().uuidString.prefix(8))"
        var config = AdmitConfig.demo(runtimeDirectory: directory)
        config.scanners = []
        configure(&config)
        socket = config.gate.controlSocket
        let event = DemoEvent(count: 500, now: SystemClock().wall())
        samples = event.samples
        daemon = Daemon(
            config: config,
            environment: Daemon.Environment(demoTickets: { event.tickets }, variables: [:], console: nil),
            logger: logger)
        try daemon.start()
    }

    var client: ControlClient { ControlClient(path: socket) }

    func request(_ r: ControlRequest) throws -> String {
        String(decoding: try client.send(r), as: UTF8.self)
    }

    deinit {
        daemon.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
