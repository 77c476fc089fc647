import AdmitFuzzing
import Foundation
import Testing

/// Every committed fuzz input, replayed through its target without a sanitizer: the seed
/// corpora (`Fuzz/Corpus/<target>`) and the inputs that once crashed a target
/// (`Fuzz/Regressions/<target>`), so a fixed crash stays fixed in the ordinary test run.
@Suite struct FuzzReplayTests {
    static let fuzzFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func inputs(_ kind: String, _ target: FuzzTarget) -> [URL] {
        let folder = fuzzFolder.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsRunClean(target: FuzzTarget) throws {
        let seeds = Self.inputs("Corpus", target)
        #expect(!seeds.isEmpty, "no seeds for \(target.rawValue)")
        for seed in seeds { target.run(Array(try Data(contentsOf: seed))) }
    }

    /// The regression inputs, and with them the seed corpus, which the fuzzer started from:
    /// a target without either replays nothing and so proves nothing.
    @Test(arguments: FuzzTarget.allCases)
    func crashesFoundStayFixed(target: FuzzTarget) throws {
        let inputs = Self.inputs("Regressions", target) + Self.inputs("Corpus", target)
        #expect(!inputs.isEmpty, "nothing to replay for \(target.rawValue) under \(Self.fuzzFolder.path)")
        for input in inputs { target.run(Array(try Data(contentsOf: input))) }
    }

    /// A regression folder for a target that no longer exists (or is misspelt) would never
    /// be replayed.
    @Test func everyRegressionFolderNamesATarget() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.fuzzFolder.appendingPathComponent("Regressions").path)
        #expect(!folders.isEmpty)
        for folder in folders { #expect(FuzzTarget(rawValue: folder) != nil, "Fuzz/Regressions/\(folder) is no target") }
    }

    /// Inputs nobody wrote: empty, one byte of each value, and some noise (the same noise
    /// every run).
    @Test(arguments: FuzzTarget.allCases)
    func degenerateInputsRunClean(target: FuzzTarget) {
        target.run([])
        for byte in UInt8.min...UInt8.max { target.run([byte]) }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20 {
            target.run((0..<4096).map { _ in
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                return UInt8(truncatingIfNeeded: state)
            })
        }
    }
}
