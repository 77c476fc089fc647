import Foundation
import AdmitCore
import AdmitDaemon
import Testing

@Suite struct ConfigTests {
    static let full = """
        [gate]
        name = "north-1"
        direction = "in"
        area = "north"
        state_dir = "/var/lib/admit"
        control_socket = "/run/admit/control.sock"
        debounce_s = 3

        [backend]
        kind = "demo"

        [[scanner]]
        kind = "stdin"
        """

    @Test func readsTheDocumentedExample() throws {
        let config = try AdmitConfig.parse(Self.full)
        #expect(config.gate.name == "north-1")
        #expect(config.gate.direction == .in)
        #expect(config.gate.area == "north")
        #expect(config.gate.debounceSeconds == 3)
        #expect(config.backend.kind == .demo)
        #expect(config.scanners.map(\.kind) == [.stdin])
    }

    /// Each broken file must name the key and the line of the problem.
    @Test(arguments: [
        ("[gate]\nname = \"g\"\ndirection = \"sideways\"\n", "gate.direction", 3, "must be one of"),
        ("[gate]\nname = \"g\"\ndebounce_s = \"3\"\n", "gate.debounce_s", 3, "must be a number"),
        ("[gate]\nname = \"g\"\n\n\ndebounce_s = -1\n", "gate.debounce_s", 5, "between"),
        ("[gate]\nname = \"g\"\ndebounce = 3\n", "gate.debounce", 3, "unknown key"),
        ("[gate]\ndirection = \"in\"\n", "gate.name", 1, "is required"),
        ("[gate]\nname = \"g\"\n[backend]\nkind = \"nosuch\"\n", "backend.kind", 4, "must be one of"),
        ("[gate]\nname = \"g\"\n[[scanner]]\nkind = \"stdin\"\n[[scanner]]\nkind = \"stdin\"\ndirection = 4\n", "scanner[1].direction", 7, "must be a string"),
        ("[gate]\nname = \"g\"\n[gates]\n", "gates", 3, "unknown key"),
    ])
    func namesTheKeyAndLine(text: String, key: String, line: Int, message: String) {
        do {
            _ = try AdmitConfig.parse(text, file: "admit.toml")
            Issue.record("accepted a broken config")
        } catch {
            #expect(error.key == key)
            #expect(error.line == line)
            #expect(error.message.contains(message), "\(error)")
            #expect(error.description.hasPrefix("admit.toml:\(line): \(key): "))
        }
    }

    @Test func syntaxErrorsCarryTheirLine() {
        do {
            _ = try AdmitConfig.parse("[gate]\nname = \"g\"\nthis is not toml\n", file: "x.toml")
            Issue.record("accepted broken TOML")
        } catch {
            #expect(error.line == 3)
            #expect(error.message.contains("not valid TOML"))
        }
    }

    @Test func aMissingFileIsNamed() {
        #expect(throws: ConfigError.self) { try AdmitConfig.load(path: "/nonexistent/admit.toml") }
    }

    @Test func readsTheACMEAndEventyayExamples() throws {
        let root = #filePath.components(separatedBy: "/Tests/")[0]
        let acme = try AdmitConfig.parse(String(contentsOfFile: root + "/etc/admit/acme.toml", encoding: .utf8)
            .replacingOccurrences(of: "api_key_file = \"acme-api-key\"", with: "api_key = \"k\""))
        #expect(acme.backend.kind == .acme)
        #expect(acme.backend.acme?.eventID == "678-678-6789")
        #expect(acme.backend.acme?.pageSize == 100)
        let eventyay = try AdmitConfig.parse(String(contentsOfFile: root + "/etc/admit/eventyay.toml", encoding: .utf8)
            .replacingOccurrences(of: "key_file = \"eventyay-key\"", with: "key = \"k\""))
        #expect(eventyay.backend.eventyay?.organizer == "demoorga")
        #expect(eventyay.backend.eventyay?.uploadConcurrency == 16)
        #expect(eventyay.backend.eventyay?.ignoreQuestions == false)
    }
}
