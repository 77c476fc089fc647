/// A parsed TOML value in a Sendable tree, so configuration can cross queues.
public indirect enum ConfigValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case double(Double)
    case bool(Bool)
    case array([ConfigValue])
    case table([String: ConfigValue])

    /// A short name of the value's type, for error messages.
    var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .double: "a number"
        case .bool: "true or false"
        case .array: "a list"
        case .table: "a table"
        }
    }

    /// Parses TOML text into a tree, with the line of every table and key. Syntax errors
    /// carry their line and column.
    static func parse(toml text: String) throws(ConfigError) -> (tree: [String: ConfigValue], lines: [String: Int]) {
        try TOMLReader.parse(text)
    }
}
