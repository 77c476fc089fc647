// swift-tools-version: 6.1
import PackageDescription

/// Admit's benchmarks, a package of their own so the main build never pulls in the
/// benchmark harness. Run with `make bench` (release mode).
let package = Package(
    name: "AdmitBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Admit", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Keystroke decoder throughput and the latency it adds between the last key and the decision.
        .executableTarget(
            name: "ScannerDecoding",
            dependencies: [
                .product(name: "AdmitCore", package: "Admit"),
                .product(name: "AdmitDaemon", package: "Admit"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "ScannerDecoding",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]),
    ]
)
