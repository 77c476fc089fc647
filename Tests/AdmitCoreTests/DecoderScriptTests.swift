import Foundation
import Testing

/// Every `KeyScripts/*.keys` file is a list of decoder cases; each file is one test.
@Suite struct DecoderScriptTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("KeyScripts")

    static var scripts: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".keys") }.sorted()
    }

    @Test func scriptsExist() {
        #expect(Self.scripts.count >= 8)
    }

    @Test(arguments: scripts)
    func script(_ file: String) throws {
        let source = try String(contentsOf: Self.folder.appendingPathComponent(file), encoding: .utf8)
        let result = DecoderScript.run(source)
        #expect(result.casesRun > 0, "\(file) has no cases")
        for failure in result.failures {
            Issue.record("\(file) \(failure)")
        }
    }
}
