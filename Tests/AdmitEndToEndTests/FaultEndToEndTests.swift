import AdmitCore
import AdmitDaemon
import AdmitFakes
import Foundation
import Testing

/// The backend misbehaving in each way the fake can play, one after the other, under the
/// real admitd: decisions never wait for it, the error shows in `status`, and once it
/// behaves again every scan reaches it.
@Suite struct FaultEndToEndTests {
    static let faults: [(name: String, fault: FakeFault, mayDouble: Bool)] = [
        ("500s", .serverError, false),
        ("garbage JSON", .garbage, true),
        ("truncated bodies", .truncated, true),
        ("auth revoked", .unauthorized, false),
        ("reply lost after the commit", .dropAfterProcessing, true),
        ("slower than the deadline", .slow(milliseconds: 12_000), true),
    ]

    @Test func everyFaultKeepsTheGateDecidingAndLosesNoScan() async throws {
        let gate = try await VivenuGate.start(tickets: 500, flushInterval: 0.2, batchSize: 20)
        let d = try gate.launch()
        #expect(d.waitUntilReady())
        let valid = gate.validBarcodes
        var sent: [String] = []
        var doublesAllowed = 0
        for (index, entry) in Self.faults.enumerated() {
            gate.fake.setFault(entry.fault)
            let batch = Array(valid[(index * 3)..<(index * 3 + 3)])
            let before = d.consoleLines.count
            for b in batch { d.type(b) }
            // Decided at once from the local index, whatever the backend does.
            #expect(d.wait(seconds: 5) { d.consoleLines.count == before + 3 }, "\(entry.name): decisions waited")
            #expect(d.consoleLines.suffix(3).allSatisfy { $0.contains("GRANTED") }, "\(entry.name)")
            #expect(d.wait(seconds: 40) { (try? Self.status(d))?.lastError != nil }, "\(entry.name): the error is shown")
            gate.fake.setFault(nil)
            _ = try d.ctl("flush")
            #expect(d.wait(seconds: 90) { (try? Self.status(d))?.pendingScans == 0 }, "\(entry.name): the outbox drains")
            sent += batch
            if entry.mayDouble { doublesAllowed += 3 }
        }
        let received = gate.fake.receivedScans.filter { $0.type == "OK" }.map(\.barcode)
        #expect(Set(received) == Set(sent), "no scan lost")
        // Only where the backend may have stored a request whose answer never came.
        #expect(received.count <= sent.count + doublesAllowed)
        print("fault matrix: \(sent.count) scans, \(received.count - sent.count) stored twice after lost or broken answers")
        #expect(d.terminate() == 0)
        try await gate.fake.stop()
    }

    static func status(_ d: DaemonProcess) throws -> StatusReport {
        try VivenuEndToEndTests.status(d)
    }
}
