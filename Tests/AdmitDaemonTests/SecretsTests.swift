import AdmitCore
import AdmitDaemon
import AdmitFakes
import Foundation
import Testing

/// Tokens, keys and passwords never appear in a description of the configuration, in a
/// configuration error, in the daemon's log or in `status`, even when the backend quotes
/// them back.
@Suite(.serialized, .timeLimit(.minutes(2))) struct SecretsTests {
    static let secret = "s3cr3t-T0ken-9f8e7d"

    /// Serves every `*_file` with the secret.
    static let environment = ConfigEnvironment(
        credentialsDirectory: "/run/credentials/admitd.service", readFile: { _, _ in .success(secret + "\n") },
        groupID: { _ in nil }, userID: { _ in nil })

    static let backends: [String] = [
        "kind = \"vivenu\"\nurl = \"https://v.test\"\nevent = \"e\"\ntoken",
        "kind = \"acme\"\nurl = \"https://a.test\"\nevent = \"e\"\napi_key",
        "kind = \"eventyay\"\nurl = \"https://e.test\"\norganizer = \"o\"\nevent = \"e\"\nkey",
        "kind = \"audienceview\"\nusername = \"gate\"\nclient = 1\npassword",
    ]

    private func text(_ backend: String, _ secretLine: String) -> String {
        "[gate]\nname = \"g\"\n\n[backend]\n" + backend + secretLine + "\n"
    }

    @Test(arguments: backends)
    func descriptionsOfTheConfigurationShowNoSecret(backend: String) throws {
        for line in [" = \"\(Self.secret)\"", "_file = \"backend-secret\""] {
            let config = try AdmitConfig.parse(text(backend, line), file: "admit.toml", environment: Self.environment)
            var dumped = ""
            dump(config, to: &dumped)
            for description in [String(describing: config), String(reflecting: config), dumped, "\(config.backend)"] {
                #expect(!description.contains(Self.secret), "\(description)")
                #expect(description.contains("<redacted>"))
            }
        }
    }

    @Test(arguments: backends)
    func configurationErrorsQuoteNoSecret(backend: String) {
        for line in [
            " = \(Self.secret)", " = \"\(Self.secret)", " = \"\(Self.secret)\\q\"", " = \(Self.secret)\"",
            " = \"\(Self.secret)\"\nsync_interval_s = \"\(Self.secret.prefix(3))\"", " = \"\(Self.secret)\"\ntypo = 1",
            " = 5\nx = \"\(Self.secret)\"", "_file = \"missing\"",
        ] {
            do {
                _ = try AdmitConfig.parse(text(backend, line), file: "admit.toml", environment: ConfigEnvironment(
                    credentialsDirectory: nil, readFile: { path, _ in .failure(.init("No such file or directory")) },
                    groupID: { _ in nil }, userID: { _ in nil }))
                Issue.record("accepted \(line)")
            } catch {
                #expect(!error.description.contains(Self.secret), "\(error)")
            }
        }
    }

    @Test func statusAndLogsShowNoSecretWhenTheBackendQuotesIt() async throws {
        let echo = EchoFake(status: 400)
        _ = try await echo.start()
        let log = LogRecorder()
        let d = try TestDaemon(logger: log.logger) {
            $0.backend = try! AdmitConfig.parse(
                text("kind = \"vivenu\"\nurl = \"\(echo.baseURL)\"\nevent = \"e\"\nsync_interval_s = 1\nfirst_sync_timeout_s = 0\ntoken", " = \"\(Self.secret)\"")
            ).backend
        }
        // The first sync fails at once; a loaded parallel test run may take its time to get
        // there (a fresh machine's full parallel run took over 30 s once).
        var status = ""
        let failed = try waitUntil(seconds: 90, interval: 0.05) {
            status = try d.request(ControlRequest(cmd: "status"))
            return status.contains("\"last_error\"")
        }
        #expect(failed, "\(status)")
        #expect(status.contains("<redacted>"), "the backend's quote of the request is in the error, blanked: \(status)")
        #expect(!status.contains(Self.secret), "\(status)")
        #expect(!log.messages.isEmpty)
        for line in log.messages { #expect(!line.contains(Self.secret), "\(line)") }
        try await echo.stop()
    }
}
