import AdmitCore
import AdmitMesh
import Foundation
import NatsTestSupport
import Testing

/// Two mesh nodes on a real server, each with a journal in memory.
@Suite(.serialized) struct MeshNodeTests {
    func redemption(_ n: Int, gate: String) -> MeshEvent {
        .redemption(RedemptionEvent(
            scanID: "scan-\(gate)-\(n)", barcode: "B\(n)", ticketID: "t\(n)", gate: gate, direction: .in,
            time: Timestamp(millisecondsSince1970: 1_800_000_000_000 + Int64(n)), origin: .local))
    }

    func node(_ gate: String, _ server: NatsServer, _ journal: MemoryMeshJournal) throws -> MeshNode {
        try MeshNode(
            settings: MeshSettings(nats: NatsOptions(servers: [server.url], name: gate), event: "e1", gate: gate),
            journal: journal)
    }

    @Test func whatOneGatePublishesEveryGateApplies() throws {
        let server = try NatsServer.started()
        let north = MemoryMeshJournal(), south = MemoryMeshJournal()
        let a = try node("north-1", server, north), b = try node("south 2", server, south)
        a.start()
        b.start()
        defer { a.stop(); b.stop() }
        north.add((1...10).map { redemption($0, gate: "north-1") })
        a.journalChanged()
        south.add([redemption(99, gate: "south 2"), .revocation(scanID: "scan-south 2-99", barcode: "B99", gate: "south 2", time: Timestamp(millisecondsSince1970: 5))])
        b.journalChanged()
        #expect(waitUntil { south.applied == 12 && north.applied == 12 })
        #expect(Set(south.received.map(\.event.scanID)) == Set((1...10).map { "scan-north-1-\($0)" } + ["scan-south 2-99"]))
        #expect(south.received.map(\.sequence) == Array(1...12))
        if case .redemption(let e) = south.received.first(where: { $0.event.gate == "north-1" })?.event {
            #expect(e.origin == .peer)
            #expect(e.barcode.hasPrefix("B"))
        } else {
            Issue.record("no redemption from north-1")
        }
        #expect(south.received.contains { if case .revocation = $0.event { true } else { false } })
        #expect(a.state.current.peers["south 2"]?.events == 2)
    }

    @Test func aNodeStartedLaterCatchesUpFromItsAppliedSequence() throws {
        let server = try NatsServer.started()
        let north = MemoryMeshJournal()
        let a = try node("north-1", server, north)
        a.start()
        defer { a.stop() }
        north.add((1...300).map { redemption($0, gate: "north-1") })
        a.journalChanged()
        #expect(waitUntil { north.applied == 300 })
        #expect(north.publishedCount == 300)
        let late = MemoryMeshJournal()
        let c = try node("late", server, late)
        c.start()
        defer { c.stop() }
        #expect(waitUntil { late.applied == 300 })
        #expect(late.received.count == 300)
        #expect(!c.state.current.catchingUp)
    }

    @Test func aBatchTheJournalRefusesIsReadAgainNotSkipped() throws {
        let server = try NatsServer.started()
        let north = MemoryMeshJournal(), south = MemoryMeshJournal()
        south.failApplies(true)
        let a = try node("north-1", server, north), b = try node("south-2", server, south)
        a.start()
        b.start()
        defer { a.stop(); b.stop() }
        north.add((1...5).map { redemption($0, gate: "north-1") })
        a.journalChanged()
        #expect(waitUntil { north.applied == 5 })
        #expect(waitUntil { b.state.current.consumeError != nil })
        #expect(south.applied == 0)
        south.failApplies(false)
        #expect(waitUntil { south.applied == 5 })
        #expect(south.received.map(\.sequence) == [1, 2, 3, 4, 5])
    }

    @Test func publishingWaitsForTheServerAndLosesNothing() throws {
        let server = try NatsServer.started()
        server.stop()
        let north = MemoryMeshJournal()
        let a = try node("north-1", server, north)
        a.start()
        defer { a.stop() }
        north.add((1...20).map { redemption($0, gate: "north-1") })
        a.journalChanged()
        #expect(waitUntil(seconds: 5) { a.state.current.publishError != nil })
        #expect(north.publishedCount == 0)
        try server.start()
        #expect(waitUntil { north.applied == 20 })
        #expect(try a.connection.streamState(a.names.stream).messages == 20)
    }
}

@Suite struct MeshEventTests {
    @Test func eventsSurviveTheWire() {
        let redemption = MeshEvent.redemption(RedemptionEvent(
            scanID: "s1", barcode: "ABC", ticketID: nil, gate: "north-2", direction: .out,
            time: Timestamp(millisecondsSince1970: 42), origin: .peer))
        #expect(MeshEvent(decoding: redemption.encoded()) == redemption)
        let revocation = MeshEvent.revocation(scanID: "s1", barcode: "ABC", gate: "north-2", time: Timestamp(millisecondsSince1970: 43))
        #expect(MeshEvent(decoding: revocation.encoded()) == revocation)
        #expect(revocation.messageID == "revoke:s1")
        #expect(redemption.messageID == "s1")
    }

    @Test func whatIsNotAnEventIsRefused() {
        for bad in ["", "{}", "null", #"{"kind":"sideways","scan":"s","barcode":"b","gate":"g","time":1}"#, #"{"kind":"in","scan":"","barcode":"b","gate":"g","time":1}"#] {
            #expect(MeshEvent(decoding: Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    @Test func namesAreSafeOnTheServer() {
        let names = MeshNames(event: "summer-26", gate: "north gate.2")
        #expect(names.stream == "ADMIT_summer-26")
        #expect(names.gateSubject == "admit.summer-26.north_gate_2")
        #expect(MeshNames.isValidEvent("summer_26"))
        #expect(!MeshNames.isValidEvent("a.b"))
        #expect(!MeshNames.isValidEvent(""))
        #expect(MeshNames.claimKey("A/1") == "t412f31")
    }
}
