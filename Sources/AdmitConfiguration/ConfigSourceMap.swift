/// Where each table and key of a configuration file was written, so errors found after
/// parsing (a wrong type, an unknown value) can name a line. Keys are dotted paths as
/// `ConfigSection` names them: `gate.direction`, `scanner[1].match.vendor`.
struct ConfigSourceMap: Sendable {
    private let lines: [String: Int]

    /// The lines the TOML reader noted.
    init(lines: [String: Int]) { self.lines = lines }

    /// The line of `key`, or of its nearest enclosing table.
    func line(of key: String) -> Int? {
        var candidate = key
        while true {
            if let line = lines[candidate] { return line }
            guard let dot = candidate.lastIndex(of: ".") else { return nil }
            candidate = String(candidate[..<dot])
        }
    }
}
