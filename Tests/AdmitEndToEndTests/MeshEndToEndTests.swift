import AdmitCore
import AdmitDaemon
import AdmitFakes
import Foundation
import NatsTestSupport
import Testing

/// Real admitd processes sharing redemptions through a real nats-server on loopback.
@Suite(.serialized, .timeLimit(.minutes(5))) struct MeshEndToEndTests {
    /// Valid single-entry tickets of the demo event (as admitd builds it, around now).
    static let tickets: [String] = {
        let now = Timestamp(millisecondsSince1970: Int64(Date().timeIntervalSince1970 * 1000))
        return DemoEvent(count: 5000, now: now).tickets.filter {
            $0.status == .valid && $0.entriesAllowed == 1 && ($0.validFrom ?? now) <= now && ($0.validUntil ?? now) >= now
        }.map(\.barcode)
    }()

    @Test func aTicketAdmittedAtOneGateIsRefusedAtTheOthers() throws {
        let server = try NatsServer.started()
        let gates = try ["north-1", "north-2", "south-1"].map { try MeshGate(name: $0, servers: [server.url]) }
        let (a, b, c) = (try gates[0].launch(), try gates[1].launch(), try gates[2].launch())
        for d in [a, b, c] { #expect(d.waitUntilReady()) }
        let ticket = Self.tickets[0]
        #expect(try a.scan(ticket).result == "GRANTED")
        for d in [b, c] {
            #expect(d.wait { (d.meshNow?.appliedSequence ?? 0) >= 1 }, "\(d.stderr)")
            let refused = try d.scan(ticket)
            #expect(refused.result == "DENIED")
            #expect(refused.reason == "already_used")
            #expect(refused.detail.contains("at north-1"), "\(refused.detail)")
        }
        // The refusals are not redemptions: nothing more in the stream.
        let report = try a.mesh()
        #expect(report.connected)
        #expect(a.wait { (try? a.mesh().lastSequence) == 1 })
        #expect(try b.mesh().peers.map(\.gate) == ["north-1"])
        for d in [a, b, c] { #expect(d.terminate() == 0) }
    }

    @Test func gatesDecideAloneWithoutTheServerAndReportTheConflictOnceAfter() throws {
        let server = try NatsServer.started()
        let gates = try ["north-1", "south-1"].map { try MeshGate(name: $0, servers: [server.url]) }
        let (a, b) = (try gates[0].launch(), try gates[1].launch())
        for d in [a, b] { #expect(d.waitUntilReady()) }
        #expect(a.wait { a.meshNow?.connected == true } && b.wait { b.meshNow?.connected == true })
        server.stop()
        #expect(a.wait { a.meshNow?.connected == false } && b.wait { b.meshNow?.connected == false })
        let shared = Self.tickets[1]
        #expect(try a.scan(shared).result == "GRANTED")
        #expect(try b.scan(shared).result == "GRANTED")
        #expect(try a.scan(Self.tickets[2]).result == "GRANTED")
        try server.start()
        for d in [a, b] {
            #expect(d.wait(seconds: 30) { d.meshNow?.conflicts.count == 1 }, "\(d.stderr)")
            #expect(d.wait(seconds: 30) { (d.meshNow?.appliedSequence ?? 0) == 3 })
            let conflict = try #require(try d.mesh().conflicts.first)
            #expect(conflict.barcode == shared)
            #expect(Set(conflict.gates) == ["north-1", "south-1"])
            let status = try d.status()
            #expect(status.mesh?.conflicts.count == 1)
            #expect(OperationsEndToEndTests.sample(try d.ctl("metrics").output, "admit_mesh_conflicts_total") == 1)
        }
        // The other ticket, admitted at A alone, reached B and is refused there.
        #expect(try b.scan(Self.tickets[2]).result == "DENIED")
        for d in [a, b] { #expect(d.terminate() == 0) }
        for d in [a, b] { #expect(d.stderr.components(separatedBy: "mesh conflict: ticket \(shared)").count == 2, "\(d.stderr)") }
        // After a restart the conflict is still recorded, and not reported again.
        let again = try gates[0].launch()
        #expect(again.waitUntilReady())
        #expect(try again.mesh().conflicts.count == 1)
        #expect(again.terminate() == 0)
        #expect(!again.stderr.contains("mesh conflict:"))
    }
}
