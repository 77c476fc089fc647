/// One table of a configuration file being read: typed accessors that name the key and
/// line of every problem, and a check that no unknown key (a typo) is left over.
public struct ConfigSection: Sendable {
    /// The dotted path of this table, e.g. `gate` or `scanner[0]`.
    public let path: String
    let values: [String: ConfigValue]
    let sourceMap: ConfigSourceMap
    let file: String?
    /// Secret files and user and group names are read through this.
    let environment: ConfigEnvironment
    private var used: Set<String> = []

    init(path: String, values: [String: ConfigValue], sourceMap: ConfigSourceMap, file: String?, environment: ConfigEnvironment) {
        self.path = path
        self.values = values
        self.sourceMap = sourceMap
        self.file = file
        self.environment = environment
    }

    /// True when the table has this key.
    public func has(_ key: String) -> Bool { values[key] != nil }

    /// An error about `key` of this table, with its line.
    public func error(_ key: String, _ message: String) -> ConfigError {
        let full = path.isEmpty ? key : "\(path).\(key)"
        return ConfigError(key: full, line: sourceMap.line(of: full), message: message, file: file)
    }

    /// A string value, or nil when absent.
    public mutating func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = take(key) else { return nil }
        guard case .string(let s) = value else { throw error(key, "must be a string, not \(value.typeName)") }
        return s
    }

    /// A string value or the default.
    public mutating func string(_ key: String, default fallback: String) throws(ConfigError) -> String {
        try string(key) ?? fallback
    }

    /// A required, non-empty string.
    public mutating func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let s = try string(key) else { throw error(key, "is required") }
        guard !s.isEmpty else { throw error(key, "must not be empty") }
        return s
    }

    /// An integer within `range`, or nil when absent.
    public mutating func integer(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let value = take(key) else { return nil }
        guard case .integer(let n) = value else { throw error(key, "must be an integer, not \(value.typeName)") }
        guard range.contains(n) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(n)")
        }
        return n
    }

    /// A number (integer or decimal) within `range`, or nil when absent.
    public mutating func number(_ key: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double? {
        guard let value = take(key) else { return nil }
        let n: Double
        switch value {
        case .integer(let i): n = Double(i)
        case .double(let d): n = d
        default: throw error(key, "must be a number, not \(value.typeName)")
        }
        guard range.contains(n) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(n)")
        }
        return n
    }

    /// A boolean, or nil when absent.
    public mutating func bool(_ key: String) throws(ConfigError) -> Bool? {
        guard let value = take(key) else { return nil }
        guard case .bool(let b) = value else { throw error(key, "must be true or false, not \(value.typeName)") }
        return b
    }

    /// One of a fixed set of words, or nil when absent.
    public mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, as: T.Type)
        throws(ConfigError) -> T? where T.RawValue == String
    {
        guard let s = try string(key) else { return nil }
        guard let v = T(rawValue: s.lowercased()) else {
            let allowed = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw error(key, "must be one of \(allowed), got \"\(s)\"")
        }
        return v
    }

    /// A list of integers, or nil when absent.
    public mutating func integers(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> [Int]? {
        guard let value = take(key) else { return nil }
        guard case .array(let items) = value else { throw error(key, "must be a list of integers") }
        var result: [Int] = []
        for item in items {
            guard case .integer(let n) = item, range.contains(n) else {
                throw error(key, "must be a list of integers between \(range.lowerBound) and \(range.upperBound)")
            }
            result.append(n)
        }
        return result
    }

    /// A list of strings, or nil when absent.
    public mutating func strings(_ key: String) throws(ConfigError) -> [String]? {
        guard let value = take(key) else { return nil }
        guard case .array(let items) = value else { throw error(key, "must be a list of strings") }
        var result: [String] = []
        for item in items {
            guard case .string(let text) = item else { throw error(key, "must be a list of strings") }
            result.append(text)
        }
        return result
    }

    /// A name or a number, as lists of users and groups hold them.
    public enum NameOrNumber: Sendable, Equatable {
        /// A name to look up.
        case name(String)
        /// A numeric id.
        case number(Int)
    }

    /// A list of names (non-empty strings) and numbers within `range`, or nil when absent.
    public mutating func namesOrNumbers(_ key: String, in range: ClosedRange<Int>) throws(ConfigError) -> [NameOrNumber]? {
        guard let value = take(key) else { return nil }
        guard case .array(let items) = value else { throw error(key, "must be a list of names or numbers") }
        var result: [NameOrNumber] = []
        for item in items {
            switch item {
            case .string(let name) where !name.isEmpty: result.append(.name(name))
            case .integer(let n) where range.contains(n): result.append(.number(n))
            default:
                throw error(key, "must be a list of names or numbers between \(range.lowerBound) and \(range.upperBound)")
            }
        }
        return result
    }

    /// A sub-table, or nil when absent.
    public mutating func table(_ key: String) throws(ConfigError) -> ConfigSection? {
        guard let value = take(key) else { return nil }
        guard case .table(let t) = value else { throw error(key, "must be a table, not \(value.typeName)") }
        let full = path.isEmpty ? key : "\(path).\(key)"
        return ConfigSection(path: full, values: t, sourceMap: sourceMap, file: file, environment: environment)
    }

    /// Throws for the first key that no accessor asked for: most often a typo.
    public func rejectUnknownKeys() throws(ConfigError) {
        for key in values.keys.sorted() where !used.contains(key) {
            throw error(key, "unknown key in [\(path)]")
        }
    }

    private mutating func take(_ key: String) -> ConfigValue? {
        used.insert(key)
        return values[key]
    }
}
