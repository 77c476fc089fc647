import TOMLKit

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

    /// Parses TOML text into a tree. Syntax errors carry TOML's own line and column.
    static func parse(toml text: String) throws(ConfigError) -> [String: ConfigValue] {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(
                key: nil, line: error.source.begin.line,
                message: "not valid TOML: \(error.description)")
        } catch {
            throw ConfigError(key: nil, line: nil, message: "not valid TOML: \(error)")
        }
        return convert(table)
    }

    private static func convert(_ table: TOMLTable) -> [String: ConfigValue] {
        var result: [String: ConfigValue] = [:]
        for key in table.keys {
            if let value = table[key].flatMap(convert) { result[key] = value }
        }
        return result
    }

    private static func convert(_ value: any TOMLValueConvertible) -> ConfigValue? {
        switch value.type {
        case .string: return value.string.map(ConfigValue.string)
        case .int: return value.int.map(ConfigValue.integer)
        case .double: return value.double.map(ConfigValue.double)
        case .bool: return value.bool.map(ConfigValue.bool)
        case .table: return value.table.map { .table(convert($0)) }
        case .array: return value.array.map { .array($0.compactMap(convert)) }
        default: return .string(value.debugDescription)
        }
    }
}
