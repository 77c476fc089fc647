import AdmitCore

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
    /// `[control]`: who may use the control socket, and whether it may scan.
    public var control = ControlConfig()
    /// `[mesh]`: redemptions shared with other gates; nil when the gate decides alone.
    public var mesh: MeshConfig?

    /// Reads and checks a configuration file.
    public static func load(path: String, environment: ConfigEnvironment = .system) throws(ConfigError) -> AdmitConfig {
        let text: String
        switch environment.readFile(path, 1 << 20) {
        case .success(let read): text = read
        case .failure(let problem):
            throw ConfigError(key: nil, line: nil, message: "cannot read the file (\(problem.reason))", file: path)
        }
        return try parse(text, file: path, environment: environment)
    }

    /// Parses and checks configuration text; `file` is used in error messages, secret files
    /// and user and group names are read through `environment`.
    public static func parse(
        _ text: String, file: String? = nil, environment: ConfigEnvironment = .system
    ) throws(ConfigError) -> AdmitConfig {
        let root: [String: ConfigValue]
        let map: ConfigSourceMap
        do {
            let parsed = try ConfigValue.parse(toml: text)
            root = parsed.tree
            map = ConfigSourceMap(lines: parsed.lines)
        } catch {
            var e = error
            e.file = file
            throw e
        }
        var top = ConfigSection(path: "", values: root, sourceMap: map, file: file, environment: environment)
        guard var gateSection = try top.table("gate") else {
            throw ConfigError(key: "gate", line: nil, message: "the [gate] table is required", file: file)
        }
        let gate = try GateConfig(&gateSection)
        try gateSection.rejectUnknownKeys()

        var backendSection =
            try top.table("backend")
            ?? ConfigSection(
                path: "backend", values: ["kind": .string("demo")], sourceMap: map, file: file, environment: environment)
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
                var section = ConfigSection(
                    path: "scanner[\(i)]", values: values, sourceMap: map, file: file, environment: environment)
                scanners.append(try ScannerConfig(&section, number: i))
                try section.rejectUnknownKeys()
            }
            _ = try? top.string("scanner")  // marks the key as read
        }
        let outputs = try OutputConfig(&top)
        let metrics = try MetricsConfig(&top)
        let control = try ControlConfig(&top)
        let mesh = try MeshConfig.parse(&top)
        try top.rejectUnknownKeys()
        return AdmitConfig(
            gate: gate, backend: backend, scanners: scanners, outputs: outputs, metrics: metrics, control: control,
            mesh: mesh)
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
