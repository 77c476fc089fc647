import AdmitBackends
import AdmitDaemon
import Foundation
import Testing

@Suite struct AudienceViewConfigTests {
    @Test func readsTheExampleWithAPasswordFile() throws {
        let directory = NSTemporaryDirectory() + "admit-av-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "s3cret\n".write(toFile: directory + "/pw", atomically: true, encoding: .utf8)
        let config = try AdmitConfig.parse("""
            [gate]
            name = "north-1"
            [backend]
            kind = "audienceview"
            username = "gate@example.org"
            password_file = "\(directory)/pw"
            client = 284
            performance = 49182
            realtime = true
            """)
        let settings = try #require(config.backend.audienceView)
        #expect(config.backend.kind == .audienceview)
        #expect(settings.password == "s3cret")
        #expect(settings.clientID == 284 && settings.performanceID == 49182 && settings.productionID == nil)
        #expect(settings.baseURL == "https://api.ovationtix.com/public/scanning")
        #expect(config.backend.realtime)
    }

    @Test func theClientIsRequired() {
        #expect { try AdmitConfig.parse("[gate]\nname = \"g\"\n[backend]\nkind = \"audienceview\"\nusername = \"u\"\npassword = \"p\"\n") } throws: {
            "\($0)".contains("client")
        }
    }

    @Test func theShippedExampleParses() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("etc/admit/audienceview.toml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "password_file = \"audienceview-password\"", with: "password = \"x\"")
        let config = try AdmitConfig.parse(text)
        #expect(config.backend.audienceView?.clientID == 284)
    }
}
