import AdmitDaemon
import Testing

/// `http://` reaches only loopback unless `allow_insecure_http = true` (issue 15, item 4):
/// a token sent in clear across a venue's network is anyone's token.
@Suite struct InsecureHTTPConfigTests {
    private func parse(url: String, portier: String = "https://p.test/api", extra: String = "") throws -> AdmitConfig {
        try AdmitConfig.parse(
            """
            [gate]
            name = "g"

            [backend]
            kind = "vivenu"
            url = "\(url)"
            event = "e"
            token = "t"
            portier_url = "\(portier)"
            \(extra)
            """, file: "admit.toml")
    }

    @Test(arguments: ["https://v.test", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"])
    func secureOrLoopbackIsAccepted(url: String) throws {
        _ = try parse(url: url)
    }

    @Test func plainHTTPElsewhereIsRefusedByKeyAndLine() {
        #expect { try parse(url: "http://v.test") } throws: { "\($0)".contains("backend.url") && "\($0)".contains("allow_insecure_http") }
        #expect { try parse(url: "https://v.test", portier: "HTTP://p.test/api") } throws: { "\($0)".contains("portier_url") }
    }

    @Test func allowInsecureHTTPLetsItThrough() throws {
        #expect(try parse(url: "http://v.test", extra: "allow_insecure_http = true").backend.allowInsecureHTTP)
    }
}
