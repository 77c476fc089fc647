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
        // CR LF line breaks count as one (key errors in such files all named line 1).
        ("[gate]\r\nname = \"g\"\r\n\r\ndirection = \"sideways\"\r\n", "gate.direction", 4, "must be one of"),
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

    /// Found by the config fuzzer: the TOML parser used before (toml++) aborted the process
    /// on a table header without a key (`[\u{3}]`, `[*]`, `[` alone) and on `}` where a
    /// list expects a value, and read a NUL byte as the end of the file (the rest, here
    /// `[control]`, was ignored). Each is a syntax error with its line.
    @Test(arguments: [
        ("[\u{3}]\n", 1, "control character U+0003 in column 2"),
        ("[gate]\nname = \"g\"\n\u{0}\n[control]\nallow_scan = false\n", 3, "control character U+0000 in column 1"),
        ("[gate]\nname = \"g\u{7F}\"\n", 2, "control character U+007F in column 10"),
        ("[gate]\nname = \"g\"\n[*nds]\n", 3, "expected a key, found '*' (column 2)"),
        ("pattern = [\n  [+1], # [*]\n]\n  [[ +x]]\n", 4, "expected a key, found '+' (column 6)"),
        ("[gate]\nname = \"g\"\n[\n", 3, "expected a key, found the end of the line (column 2)"),
        ("[output.buzzer]\npattern_denied = [100,\n  # }\n  }]\n", 4, "expected a value, found '}' (column 3)"),
        ("a = [[}]]\n", 1, "expected a value, found '}' (column 7)"),
        ("[gate]\nname = \"g\"\nsync_interval_s = 6825-01-23T;2:08\n", 3, "not a date or time (column 19)"),
    ])
    func malformedFilesAreSyntaxErrors(text: String, line: Int, detail: String) {
        do {
            _ = try AdmitConfig.parse(text, file: "x.toml")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.line == line)
            #expect(error.message.hasPrefix("not valid TOML: ") && error.message.contains(detail), "\(error)")
        }
    }

    /// Lines inside strings and values that span lines are not table headers.
    @Test func headersAreFoundOnlyWhereTheyCanBe() throws {
        let text = #"""
            [gate]
            name = """
            [*] is text here
            """
            barcode_prefix = '[+'
            barcode_suffix = "\"[@"
            # [#] a comment
            [output.buzzer]
            line = 23
            pattern_denied = [
              100, # [*]
              100,
            ]
            ["input"]
            [input.passage]
            line = 24
            """#
        let config = try AdmitConfig.parse(text)
        #expect(config.gate.name == "[*] is text here\n")
        #expect(config.gate.barcodePrefix == "[+")
        #expect(config.gate.barcodeSuffix == "\"[@")
        #expect(config.outputs.deniedPattern == [100, 100])
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
        #expect(eventyay.backend.eventyay?.questions == .ignore)
    }
}
