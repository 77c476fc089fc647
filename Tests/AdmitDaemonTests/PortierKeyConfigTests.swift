import AdmitDaemon
import Testing

/// `portier_key`: vivenu portier's own API key (sent as `Authorization: Bearer`), inline or
/// from a file; without it the access token stands in, as before the key existed.
@Suite struct PortierKeyConfigTests {
    static let environment = ConfigEnvironment(
        credentialsDirectory: "/run/credentials/admitd.service",
        readFile: { path, _ in path.hasSuffix("/portier") ? .success("from-file\n") : .failure(.init("No such file or directory")) },
        groupID: { _ in nil }, userID: { _ in nil })

    private func settings(_ extra: String) throws -> (token: String, portierKey: String) {
        let text = """
            [gate]
            name = "g"

            [backend]
            kind = "vivenu"
            url = "https://v.test"
            event = "e"
            token = "access-token"
            portier_url = "https://p.test/api"
            \(extra)
            """
        let config = try AdmitConfig.parse(text, file: "admit.toml", environment: Self.environment)
        let vivenu = try #require(config.backend.vivenu)
        return (vivenu.token, vivenu.portierKey)
    }

    @Test func anInlineKeyIsPortiersOwn() throws {
        #expect(try settings("portier_key = \"portier-inline\"").portierKey == "portier-inline")
    }

    @Test func aKeyFileIsRead() throws {
        #expect(try settings("portier_key_file = \"portier\"").portierKey == "from-file")
    }

    @Test func withoutAKeyTheAccessTokenStandsIn() throws {
        let read = try settings("")
        #expect(read.portierKey == read.token)
    }

    @Test func anUnreadableKeyFileNamesItsKeyAndLine() {
        #expect {
            _ = try settings("portier_key_file = \"missing\"")
        } throws: { error in
            "\(error)".contains("portier_key_file") && "\(error)".contains("admit.toml:10:")
        }
    }
}
