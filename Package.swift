// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Every Admit target is built in Swift 6 language mode with strict concurrency.
/// `make test` adds `-warnings-as-errors` on the command line so CI fails on a warning.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "Admit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "admitd", targets: ["admitd"]),
        .executable(name: "admitctl", targets: ["admitctl"]),
        .library(name: "AdmitCore", targets: ["AdmitCore"]),
        .library(name: "AdmitFakes", targets: ["AdmitFakes"]),
        .library(name: "AdmitDaemon", targets: ["AdmitDaemon"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Pure logic: no I/O, no clock, no environment. Imports only the standard library.
        .target(name: "AdmitCore", swiftSettings: strict),
        .target(
            name: "AdmitStore",
            dependencies: ["AdmitCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        // The pure half of the adapters: settings, wire models, answer decoding, errors. No
        // I/O and no HTTP stack, so the fuzz build reaches the decoding without NIO.
        .target(name: "AdmitBackendCore", dependencies: ["AdmitCore"], swiftSettings: strict),
        .target(
            name: "AdmitBackends",
            dependencies: [
                "AdmitCore", "AdmitBackendCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        // C modules, reached only from AdmitDevices: the GPIO character device v2 uAPI
        // (linux/gpio.h), libevdev and libudev.
        .target(name: "CGPIO"),
        .systemLibrary(name: "CEvdev", pkgConfig: "libevdev", providers: [.apt(["libevdev-dev"])]),
        .systemLibrary(name: "CUdev", pkgConfig: "libudev", providers: [.apt(["libudev-dev"])]),
        // Scanners (evdev, serial), the udev monitor, GPIO lines and LEDs: the only target that calls into C.
        .target(
            name: "AdmitDevices",
            dependencies: ["AdmitCore", "CGPIO", "CEvdev", "CUdev", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        // libnats, reached only from AdmitMesh.
        .systemLibrary(name: "CNats", pkgConfig: "libnats", providers: [.apt(["libnats-dev"])]),
        // Gate-to-gate redemptions over NATS JetStream: the only target that calls libnats.
        .target(name: "AdmitMesh", dependencies: ["AdmitCore", "CNats"], swiftSettings: strict),
        // The control socket's protocol (requests, answers, line framing) and access rule.
        .target(name: "AdmitControl", dependencies: ["AdmitCore", "AdmitBackendCore"], swiftSettings: strict),
        // admit.toml: parsing and checking, every problem named by key and line.
        .target(
            name: "AdmitConfiguration",
            dependencies: [
                "AdmitCore", "AdmitBackendCore", "AdmitControl", "AdmitDevices",
            ],
            swiftSettings: strict),
        .target(
            name: "AdmitDaemon",
            dependencies: [
                "AdmitCore", "AdmitStore", "AdmitBackends", "AdmitDevices", "AdmitConfiguration", "AdmitControl",
                "AdmitMesh",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict),
        // Strict fake backends and the demo event: used by tests, benchmarks and `admitd --demo`.
        .target(
            name: "AdmitFakes",
            dependencies: [
                "AdmitCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),
        // What each fuzzer does with its bytes (README.md, "Fuzzing"); the unit tests replay the
        // corpora and the crashes found through it without the sanitizer.
        .target(
            name: "AdmitFuzzing",
            dependencies: ["AdmitCore", "AdmitBackendCore", "AdmitConfiguration", "AdmitControl"],
            swiftSettings: strict),
        .executableTarget(
            name: "admitd",
            dependencies: [
                "AdmitDaemon", "AdmitFakes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "admitctl",
            dependencies: [
                "AdmitDaemon", "AdmitDevices",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        // A fake backend as its own process (the demo event on loopback), for trying a gate
        // and for the VM scenarios that cut a gate's power apart from its backend.
        .executableTarget(
            name: "admit-fake",
            dependencies: ["AdmitCore", "AdmitFakes", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        .testTarget(
            name: "AdmitCoreTests", dependencies: ["AdmitCore"], exclude: ["KeyScripts"], swiftSettings: strict),
        .testTarget(name: "AdmitBackendsTests", dependencies: ["AdmitBackends", "AdmitFakes"], swiftSettings: strict),
        .testTarget(
            name: "AdmitFakesTests",
            dependencies: [
                "AdmitFakes",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .testTarget(name: "AdmitStoreTests", dependencies: ["AdmitStore"], swiftSettings: strict),
        .testTarget(
            name: "AdmitDevicesTests",
            dependencies: ["AdmitCore", "AdmitDevices", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .testTarget(
            name: "AdmitDaemonTests", dependencies: ["AdmitDaemon", "AdmitStore", "AdmitFakes"], swiftSettings: strict),
        // Real nats-server processes on loopback (one, or a cluster of three), for the mesh tests.
        .target(name: "NatsTestSupport", path: "Tests/NatsTestSupport", swiftSettings: strict),
        .testTarget(name: "AdmitMeshTests", dependencies: ["AdmitMesh", "NatsTestSupport"], swiftSettings: strict),
        .testTarget(name: "AdmitControlTests", dependencies: ["AdmitControl"], swiftSettings: strict),
        .testTarget(name: "AdmitConfigurationTests", dependencies: ["AdmitConfiguration"], swiftSettings: strict),
        .testTarget(name: "AdmitFuzzingTests", dependencies: ["AdmitFuzzing"], swiftSettings: strict),
        .testTarget(
            name: "AdmitEndToEndTests", dependencies: ["AdmitDaemon", "AdmitStore", "AdmitFakes", "AdmitMesh", "NatsTestSupport"], swiftSettings: strict),
    ]
)

// Benchmarks (ordo-one/benchmark) are added only for `make bench` (ADMIT_BENCHMARKS=1, its own
// build folder), so `make test` builds the product once without the benchmark harness.
if ProcessInfo.processInfo.environment["ADMIT_BENCHMARKS"] == "1" {
    package.dependencies.append(
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]))
    let benchmarkDependencies: [Target.Dependency] = [
        .product(name: "Benchmark", package: "benchmark"),
        "AdmitCore", "AdmitFakes", "AdmitStore", "AdmitBackends", "AdmitDaemon",
        .product(name: "GRDB", package: "GRDB.swift"), "BenchmarkSupport",
    ]
    // Helpers every benchmark suite uses: scratch folders, waiting for async code.
    package.targets.append(.target(name: "BenchmarkSupport", path: "Benchmarks/Support", swiftSettings: strict))
    // The decision suite's baseline calls the sqlite3 C API directly, through the system
    // library module GRDB ships (GRDBSQLite), so no second SQLite is linked.
    let extraDependencies: [String: [Target.Dependency]] = [
        "GateDecision": [.product(name: "GRDBSQLite", package: "GRDB.swift")],
    ]
    for name in ["GateDecision", "StoreAndSync", "ScannerDecoding", "AudienceView", "AcmeEventyay"] {
        package.targets.append(
            .executableTarget(
                name: name, dependencies: benchmarkDependencies + extraDependencies[name, default: []],
                path: "Benchmarks/\(name)",
                swiftSettings: strict, plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]))
    }
}

// Fuzzers (libFuzzer) are added only for `make fuzz` (ADMIT_FUZZ=1, its own build folder
// .build-fuzz, built with --sanitize fuzzer,address): one executable per parser of outside
// input. The fuzz build keeps only the targets the fuzzers need, so it never compiles the
// HTTP stack, SQLite or the daemon.
if ProcessInfo.processInfo.environment["ADMIT_FUZZ"] == "1" {
    let needed: Set<String> = [
        "AdmitCore", "AdmitBackendCore", "AdmitControl", "AdmitConfiguration", "AdmitDevices", "CGPIO", "CEvdev",
        "CUdev", "AdmitFuzzing",
    ]
    package.targets.removeAll { !needed.contains($0.name) }
    package.products.removeAll()
    package.dependencies.removeAll {
        guard case .sourceControl(_, let location, _) = $0.kind else { return false }
        return !location.hasSuffix("/swift-log")
    }
    for name in ["keystrokes", "serial", "config", "control", "vivenu", "acme", "eventyay", "audienceview"] {
        package.targets.append(
            .executableTarget(
                name: "fuzz-\(name)", dependencies: ["AdmitFuzzing"], path: "Fuzz/Targets/\(name)",
                swiftSettings: strict + [.unsafeFlags(["-parse-as-library"])]))
    }
}
