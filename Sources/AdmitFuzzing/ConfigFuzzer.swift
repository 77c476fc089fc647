import AdmitConfiguration

/// Configuration text as an operator (or an editor gone wrong) may write it. Parsing gives
/// a configuration or an error naming a line of the text; secret files are served from
/// memory (the fuzzer reads no real file), and a secret read from a file appears neither in
/// an error nor in any description of the configuration.
enum ConfigFuzzer {
    /// What every `*_file` holds.
    static let fileSecret = "file-secret-7Qx9Lm"

    static let environment = ConfigEnvironment(
        credentialsDirectory: "/run/credentials/admitd.service",
        readFile: { path, _ in
            path.contains("missing") ? .failure(.init("No such file or directory")) : .success(fileSecret + "\n")
        },
        groupID: { ["admit": 990, "root": 0, "staff": 50][$0] },
        userID: { ["admit": 990, "root": 0][$0] })

    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        // A secret the text itself spells out may of course be shown with the text.
        let secretInText = text.contains(fileSecret)
        let lines = bytes.filter { $0 == 10 }.count + 1
        do {
            let config = try AdmitConfig.parse(text, file: "fuzz.toml", environment: environment)
            expect(!config.gate.name.isEmpty, "a gate without a name")
            expect(config.backend.batchSize >= 1, "a batch size below 1")
            for text in [String(describing: config), String(reflecting: config), dumped(config)] {
                expect(secretInText || !text.contains(fileSecret), "a secret in a description of the configuration")
            }
        } catch {
            let description = error.description
            expect(description.hasPrefix("fuzz.toml"), "an error that does not name the file: \(description)")
            if let line = error.line { expect(line >= 1 && line <= lines + 1, "an error on line \(line) of \(lines)") }
            expect(secretInText || !description.contains(fileSecret), "a secret in a configuration error")
        }
    }

    private static func dumped(_ config: AdmitConfig) -> String {
        var text = ""
        dump(config, to: &text)
        return text
    }
}
