import AdmitDaemon
import ArgumentParser
import Foundation

/// `admitctl mesh`: the servers, how far this gate applied the stream, the gates heard from,
/// the conflicts.
struct MeshCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mesh", abstract: "Other gates over NATS: connection, stream applied vs. last, peers, conflicts.")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let bytes = try connection.send(ControlRequest(cmd: "mesh"))
        if connection.json { return print(String(decoding: bytes, as: UTF8.self)) }
        print(MeshScreen.render(try connection.decode(MeshReport.self, bytes)))
    }
}

/// The `admitctl mesh` screen, and the mesh lines of `admitctl status`.
enum MeshScreen {
    static func render(_ r: MeshReport) -> String {
        var lines = [
            "event       \(r.event)\(r.strict ? "   strict (claims before GRANTED)" : "")",
            "servers     \(r.servers.joined(separator: ", "))",
            "connection  " + (r.connected ? "connected to \(r.connectedUrl ?? "?")" : "NOT CONNECTED: deciding alone"),
            "stream      applied \(r.appliedSequence) of \(r.lastSequence)   lag \(r.lag)\(r.catchingUp ? "   CATCHING UP" : "")",
            "published   \(r.published) this run (\(r.duplicates) re-sends deduplicated)",
        ]
        if let error = r.publishError { lines.append("publishing  last error: \(error)") }
        if let error = r.consumeError { lines.append("consuming   last error: \(error)") }
        lines.append("peers       " + (r.peers.isEmpty ? "none heard yet" : ""))
        for peer in r.peers {
            lines.append(String(format: "  %@  %d events, last %@, heard %.0f s ago", peer.gate, peer.events, peer.lastEvent, peer.heardSecondsAgo))
        }
        lines.append("conflicts   \(r.conflicts.count)")
        for c in r.conflicts {
            lines.append("  \(c.barcode)  " + zip(c.gates, c.times).map { "\($0) \($1)" }.joined(separator: " and "))
        }
        return lines.joined(separator: "\n")
    }

    /// One or two lines for `admitctl status`.
    static func summary(_ r: MeshReport) -> String {
        let connection = r.connected ? "connected" : "NOT CONNECTED (deciding alone)"
        let catching = r.catchingUp ? ", CATCHING UP" : ""
        let conflicts = r.conflicts.isEmpty ? "" : "\n  \(r.conflicts.count) conflicts (admitctl mesh)"
        return "mesh        \(r.event): \(connection), applied \(r.appliedSequence) of \(r.lastSequence)\(catching), \(r.peers.count) peers, \(r.conflicts.count) conflicts\(conflicts)"
    }
}
