/// A problem in a configuration file: which key, on which line, and what is wrong.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The dotted key, e.g. `gate.direction` or `scanner[1].baud`; nil for syntax errors.
    public var key: String?
    /// The 1-based line in the file, when it could be located.
    public var line: Int?
    /// What is wrong, and where useful, what would be right.
    public var message: String
    /// The file, when the configuration came from one.
    public var file: String?

    /// Creates a configuration error.
    public init(key: String?, line: Int?, message: String, file: String? = nil) {
        self.key = key
        self.line = line
        self.message = message
        self.file = file
    }

    public var description: String {
        var place = file ?? "config"
        if let line { place += ":\(line)" }
        if let key { return "\(place): \(key): \(message)" }
        return "\(place): \(message)"
    }
}
