import AdmitCore

#if canImport(Glibc)
    import Glibc
#endif

/// The whole configuration of one gate, as read from `admit.toml`.
public struct AdmitConfig: Sendable {
    /// `[gate]`: who this gate is and where it keeps its state.
    public var gate: GateConfig
    /// `[backend]`: where tickets come from and scans go.
    public var backend: BackendConfig
    /// `[[scanner]]`: the barcode readers.
    public var scanners: [ScannerConfig]
    /// `[output.*]`, `[input.passage]`: relay, lamps, buzzer, LED, passage sensor.
    public var outputs = OutputConfig()
    /// `[metrics]`: the Prometheus endpoint.
    public var metrics = MetricsConfig()

    /// Reads and checks a configuration file.
    public static func load(path: String) throws(ConfigError) -> AdmitConfig {
        guard let text = FileText.read(path) else {
            throw ConfigError(
                key: nil, line: nil, message: "cannot read the file (\(FileText.lastError()))", file: path)
        }
        return try parse(text, file: path)
    }

    /// Parses and checks configuration text; `file` is used in error messages.
    public static func parse(_ text: String, file: String? = nil) throws(ConfigError) -> AdmitConfig {
        var root: [String: ConfigValue]
        do {
            root = try ConfigValue.parse(toml: text)
        } catch {
            var e = error
            e.file = file
            throw e
        }
        let map = ConfigSourceMap(text: text)
        var top = ConfigSection(path: "", values: root, sourceMap: map, file: file)
        guard var gateSection = try top.table("gate") else {
            throw ConfigError(key: "gate", line: nil, message: "the [gate] table is required", file: file)
        }
        let gate = try GateConfig(&gateSection)
        try gateSection.rejectUnknownKeys()

        var backendSection =
            try top.table("backend")
            ?? ConfigSection(path: "backend", values: ["kind": .string("demo")], sourceMap: map, file: file)
        let backend = try BackendConfig(&backendSection, gateName: gate.name)
        try backendSection.rejectUnknownKeys()

        var scanners: [ScannerConfig] = []
        if root["scanner"] != nil {
            guard case .array(let items) = root["scanner"]! else {
                throw top.error("scanner", "must be written as [[scanner]] tables")
            }
            for (i, item) in items.enumerated() {
                guard case .table(let values) = item else {
                    throw top.error("scanner", "must be written as [[scanner]] tables")
                }
                var section = ConfigSection(path: "scanner[\(i)]", values: values, sourceMap: map, file: file)
                scanners.append(try ScannerConfig(&section, number: i))
                try section.rejectUnknownKeys()
            }
            _ = try? top.string("scanner")  // marks the key as read
        }
        let outputs = try OutputConfig(&top)
        let metrics = try MetricsConfig(&top)
        try top.rejectUnknownKeys()
        return AdmitConfig(gate: gate, backend: backend, scanners: scanners, outputs: outputs, metrics: metrics)
    }

    /// The configuration `admitd --demo` runs with: a demo event, a stdin scanner, and
    /// state and socket under `runtimeDirectory`.
    public static func demo(runtimeDirectory: String) -> AdmitConfig {
        AdmitConfig(
            gate: GateConfig(
                name: "north-1", direction: .in, area: "north", stateDirectory: runtimeDirectory,
                controlSocket: runtimeDirectory + "/control.sock"),
            backend: BackendConfig(kind: .demo),
            scanners: [ScannerConfig(kind: .stdin, name: "stdin")])
    }
}

/// Reads small text files with plain POSIX calls (configuration, secrets).
enum FileText {
    static func read(_ path: String, limit: Int = 1 << 20) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while bytes.count < limit {
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}
