import AdmitFakes
import Foundation
import Testing

/// The real admitd and admitctl never print a backend secret: not in `--check-config`, not in
/// the daemon's log, not in `admitctl status` (plain or JSON), not when the backend quotes
/// the secret back in its errors, whether the secret is inline or a systemd credential.
@Suite(.serialized, .timeLimit(.minutes(2))) struct SecretsEndToEndTests {
    static let secret = "s3cr3t-T0ken-9f8e7d"

    private func run(_ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: DaemonProcess.binaries + "/admitd")
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func checkConfigShowsNoSecret() throws {
        let directory = NSTemporaryDirectory() + "admit-secret-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let good = directory + "/good.toml", bad = directory + "/bad.toml", bare = directory + "/bare.toml"
        try "[gate]\nname = \"g\"\n[backend]\nkind = \"acme\"\nurl = \"https://a.test\"\nevent = \"e\"\napi_key = \"\(Self.secret)\"\n"
            .write(toFile: good, atomically: true, encoding: .utf8)
        try "[gate]\nname = \"g\"\n[backend]\nkind = \"acme\"\nurl = \"https://a.test\"\nevent = 7\napi_key = \"\(Self.secret)\"\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        try "[gate]\nname = \"g\"\n[backend]\nkind = \"acme\"\nurl = \"https://a.test\"\nevent = \"e\"\napi_key = \(Self.secret)\n"
            .write(toFile: bare, atomically: true, encoding: .utf8)
        let outputs = [try run(["--check-config", good]), try run(["--check-config", bad]), try run(["--check-config", bare])]
        #expect(outputs[0].contains("OK"))
        #expect(outputs[1].contains("backend.event"))
        #expect(outputs[2].contains("bare.toml:7: not valid TOML"))
        for output in outputs { #expect(!output.contains(Self.secret), "\(output)") }
    }

    @Test func theDaemonsLogAndStatusShowNoSecret() async throws {
        let echo = EchoFake(status: 400)
        _ = try await echo.start()
        let directory = NSTemporaryDirectory() + "admit-secret-\(UUID().uuidString.prefix(8))"
        let credentials = directory + "/credentials"
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        try (Self.secret + "\n").write(toFile: credentials + "/eventyay-key", atomically: true, encoding: .utf8)
        let config = directory + "/admit.toml"
        try """
            [gate]
            name = "north-1"
            [backend]
            kind = "eventyay"
            url = "\(echo.baseURL)"
            organizer = "o"
            event = "e"
            key_file = "eventyay-key"
            sync_interval_s = 1
            first_sync_timeout_s = 0
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let d = try DaemonProcess(
            arguments: ["--config", config], directory: directory, environment: ["CREDENTIALS_DIRECTORY": credentials])
        #expect(d.waitUntilReady(), "\(d.stderr)")
        #expect(d.wait(seconds: 20) { (try? d.ctl("status", "--json"))?.output.contains("\"last_error\"") == true })
        let json = try d.ctl("status", "--json").output, screen = try d.ctl("status").output
        #expect(json.contains("key=<redacted>"), "the backend's quote of the request, blanked: \(json)")
        #expect(echo.requestCount > 0)
        #expect(d.terminate() == 0)
        for text in [json, screen, d.stdout, d.stderr] { #expect(!text.contains(Self.secret), "\(text)") }
        try await echo.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
