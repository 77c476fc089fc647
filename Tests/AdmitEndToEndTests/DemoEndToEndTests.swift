import AdmitDaemon
import AdmitFakes
import Foundation
import Testing

/// The real admitd process in demo mode: barcodes on stdin, decisions on stdout,
/// admitctl over the control socket.
@Suite(.serialized, .timeLimit(.minutes(3))) struct DemoEndToEndTests {
    let samples = DemoEvent(count: 5000, now: .init(millisecondsSince1970: 0)).samples

    @Test func decidesBarcodesTypedOnStdin() throws {
        let d = try DaemonProcess(arguments: ["--demo", "--demo-backend", "none"])
        #expect(d.waitUntilReady())
        d.type(samples.valid[0])
        #expect(d.wait { d.consoleLines.count == 1 })
        d.type(samples.cancelled, samples.unknown, samples.notYetValid, samples.otherArea, samples.expired)
        #expect(d.wait { d.consoleLines.count == 6 }, "\(d.stdout)")
        let lines = d.consoleLines
        #expect(lines[0].contains("GRANTED  \(samples.valid[0])  Adult Standing · north-1 IN"))
        #expect(lines[0].hasSuffix(" ms)"))
        #expect(lines[1].contains("DENIED   \(samples.cancelled)  cancelled: refunded"))
        #expect(lines[2].contains("DENIED   99999999  unknown ticket"))
        #expect(lines[3].contains("not yet valid"))
        #expect(lines[4].contains("wrong entry area"))
        #expect(lines[5].contains("expired"))
        #expect(!lines[0].contains("\u{1B}["), "no colours when stdout is not a terminal")

        // Inside the 3 s debounce window the same ticket repeats its outcome; past it, it is
        // already used, and the answer says where.
        #expect(try d.ctl("scan", samples.valid[0]).output.contains("repeat read"))
        var repeats = 1, (scanStatus, scanOutput) = (Int32(0), "")
        let windowOver = waitUntil(seconds: 20, interval: 0.25) {
            guard let answer = try? d.ctl("scan", samples.valid[0]) else { return false }
            (scanStatus, scanOutput) = answer
            if answer.output.contains("repeat read") { repeats += 1 }
            return !answer.output.contains("repeat read")
        }
        #expect(windowOver, "\(scanOutput)")
        #expect(scanStatus == 1)
        #expect(scanOutput.contains("already used") && scanOutput.contains("at north-1"))

        let (status, json) = try d.ctl("status", "--json")
        #expect(status == 0)
        let report = try ControlJSON.decode(StatusReport.self, from: Array(json.utf8))
        #expect(report.granted == 1)
        #expect(report.denied == 6)
        #expect(report.repeats == repeats)
        #expect(report.tickets == 5000)
        #expect(report.state == "ready")

        let (recentStatus, recent) = try d.ctl("recent", "--limit", "3")
        #expect(recentStatus == 0)
        #expect(recent.split(separator: "\n").count == 3)

        #expect(d.terminate() == 0, "SIGTERM exits 0")
    }

    @Test func theDemoSyncsFromTheVivenuFakeAndUploadsItsScans() throws {
        let d = try DaemonProcess(arguments: ["--demo"])
        #expect(d.waitUntilReady())
        #expect(d.stdout.contains("vivenu fake at http://127.0.0.1:"))
        d.type(samples.valid[0], samples.cancelled, samples.otherArea)
        #expect(d.wait { d.consoleLines.count == 3 })
        #expect(d.consoleLines[0].contains("GRANTED"))
        #expect(d.consoleLines[1].contains("cancelled"))
        #expect(d.consoleLines[2].contains("wrong entry area"))
        #expect(d.wait(seconds: 20) { (try? d.ctl("status", "--json"))?.output.contains("\"pending_scans\":0") == true }, "scans are uploaded to the fake")
        let report = try ControlJSON.decode(StatusReport.self, from: Array(try d.ctl("status", "--json").output.utf8))
        #expect(report.backend == "vivenu" && report.lastSync != nil && report.health == "green", "\(report)")
        #expect(d.terminate() == 0)
    }

    @Test func aRepeatReadShowsTheSameOutcomeWithoutASecondRedemption() throws {
        let d = try DaemonProcess(arguments: ["--demo"])
        #expect(d.waitUntilReady())
        d.type(samples.valid[1], samples.valid[1])
        #expect(d.wait { d.consoleLines.count == 2 })
        #expect(d.consoleLines[1].contains("GRANTED") && d.consoleLines[1].contains("repeat read"))
        let report = try ControlJSON.decode(StatusReport.self, from: Array(try d.ctl("status", "--json").output.utf8))
        #expect(report.granted == 1 && report.repeats == 1)
    }

    @Test func admitctlExitCodes() throws {
        let d = try DaemonProcess(arguments: ["--demo"])
        #expect(d.waitUntilReady())
        #expect(try d.ctl("scan", samples.valid[2]).status == 0)
        #expect(try d.ctl("scan", "nope").status == 1)
        #expect(try d.ctl("frobnicate").status == 2)
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: DaemonProcess.binaries + "/admitctl")
        gone.arguments = ["--socket", "/nonexistent/admit.sock", "status"]
        gone.standardError = Pipe()
        try gone.run()
        gone.waitUntilExit()
        #expect(gone.terminationStatus == 3)
    }

    @Test func checkConfigNamesKeyAndLine() throws {
        let dir = NSTemporaryDirectory() + "admit-cfg-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/admit.toml"
        try "[gate]\nname = \"n\"\ndirection = \"up\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: DaemonProcess.binaries + "/admitd")
        p.arguments = ["--check-config", path]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus != 0)
        #expect(text.contains("admit.toml:3: gate.direction: must be one of"), "\(text)")
    }
}
