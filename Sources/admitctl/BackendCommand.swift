import AdmitDaemon
import ArgumentParser

/// `admitctl backend …`: questions for the ticketing backend, asked by the daemon with the
/// credentials it holds.
struct BackendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backend", abstract: "Ask the ticketing backend through the daemon's credentials.",
        subcommands: [Events.self])

    struct Events: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The events or performances these credentials can see, to fill in [backend]; "
                + "for a backend whose API lists none, says so and which key to fill instead.")
        @OptionGroup var connection: ConnectionOptions

        func run() throws {
            // The daemon may have to log in first; each backend request has a 10 s deadline.
            let bytes = try connection.send(ControlRequest(cmd: "events"), timeoutSeconds: 45)
            if connection.json { return print(String(decoding: bytes, as: UTF8.self)) }
            print(EventsScreen.render(try connection.decode(EventsResponse.self, bytes)))
        }
    }
}
