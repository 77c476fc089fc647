import AdmitCore
import AdmitDaemon
import Foundation
import Testing

/// The control socket over a real Unix socket.
@Suite struct ControlSocketTests {
    @Test func statusAnswersTheDocumentedFields() throws {
        let d = try TestDaemon()
        let status = try ControlJSON.decode(StatusReport.self, from: Array(try d.request(ControlRequest(cmd: "status")).utf8))
        #expect(status.state == "ready")
        #expect(status.gate == "north-1")
        #expect(status.tickets == 500)
        #expect(status.version == AdmitVersion.current)
        let raw = try d.request(ControlRequest(cmd: "status"))
        for key in ["\"state\"", "\"gate\"", "\"direction\"", "\"tickets\"", "\"granted\"", "\"denied\"", "\"pending_scans\"", "\"uptime_s\"", "\"version\""] {
            #expect(raw.contains(key), "status lacks \(key)")
        }
    }

    @Test func scanDecidesAndRecentRemembers() throws {
        let d = try TestDaemon()
        let valid = d.samples.valid[0]
        let granted = try ControlJSON.decode(ScanResponse.self, from: Array(try d.request(ControlRequest(cmd: "scan", barcode: valid)).utf8))
        #expect(granted.decision?.result == "GRANTED")
        #expect(granted.decision?.source.hasPrefix("socket uid=") == true)
        let unknown = try ControlJSON.decode(ScanResponse.self, from: Array(try d.request(ControlRequest(cmd: "scan", barcode: "nope")).utf8))
        #expect(unknown.decision?.reason == "unknown_ticket")
        let recent = try ControlJSON.decode(RecentResponse.self, from: Array(try d.request(ControlRequest(cmd: "recent", limit: 5)).utf8))
        #expect(recent.decisions.map(\.barcode) == ["nope", valid])
        let status = try ControlJSON.decode(StatusReport.self, from: Array(try d.request(ControlRequest(cmd: "status")).utf8))
        #expect(status.granted == 1 && status.denied == 1 && status.pendingScans == 2)
    }

    @Test(arguments: ["not json", "{}", "{\"cmd\": 3}", "[1,2]", "{\"cmd\":\"nosuch\"}", "{\"cmd\":\"scan\"}"])
    func malformedRequestsGetAnErrorObject(line: String) throws {
        let d = try TestDaemon()
        let answer = String(decoding: try d.client.sendRaw(Array(line.utf8)), as: UTF8.self)
        let error = try ControlJSON.decode(ErrorResponse.self, from: Array(answer.utf8))
        #expect(!error.ok)
        #expect(!error.error.isEmpty)
        // …and the daemon still answers.
        #expect(try d.request(ControlRequest(cmd: "status")).contains("\"ok\":true"))
    }

    @Test func anOversizedRequestIsRefusedAndTheConnectionSurvives() throws {
        let d = try TestDaemon()
        let huge = Array(repeating: UInt8(ascii: "x"), count: 200_000)
        let answer = String(decoding: try d.client.sendRaw(huge), as: UTF8.self)
        #expect(answer.contains("longer than"))
    }

    @Test func scanCanBeDisabled() throws {
        let d = try TestDaemon { $0.control.allowScan = false }
        let answer = try d.request(ControlRequest(cmd: "scan", barcode: "x"))
        #expect(answer.contains("disabled"))
    }

    @Test func theSocketHasMode0660() throws {
        let d = try TestDaemon()
        let attributes = try FileManager.default.attributesOfItem(atPath: d.socket)
        #expect((attributes[.posixPermissions] as? Int) == 0o660)
    }
}
