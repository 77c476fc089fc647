/// TOML values: strings of the four kinds, integers, floats, booleans, dates and times,
/// arrays and inline tables.
extension TOMLReader {
    /// The value at the current position (an inline table stays a table, so it stays closed);
    /// `path` names the key it is given to, for the lines of an inline table's keys.
    mutating func value(at path: String) throws(ConfigError) -> Table.Entry {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 64 else { throw error("values nested deeper than 64") }
        guard let byte = peek else { throw error("expected a value, found the end of the file") }
        switch byte {
        case UInt8(ascii: "\""): return .value(.string(try basicString()))
        case UInt8(ascii: "'"): return .value(.string(try literalString()))
        case UInt8(ascii: "["): return .value(try array(at: path))
        case UInt8(ascii: "{"): return .table(try inlineTable(at: path))
        default: return .value(try scalar())
        }
    }

    private mutating func array(at path: String) throws(ConfigError) -> ConfigValue {
        i += 1
        var items: [ConfigValue] = []
        while true {
            skipBlank()
            if take(UInt8(ascii: "]")) { return .array(items) }
            switch try value(at: path) {
            case .value(let item): items.append(item)
            case .table(let table): items.append(.table(table.tree))
            case .tables(let tables): items.append(.array(tables.map { .table($0.tree) }))
            }
            skipBlank()
            if take(UInt8(ascii: "]")) { return .array(items) }
            guard take(UInt8(ascii: ",")) else { throw error("expected ',' or ']' in the list, found \(found)") }
        }
    }

    private mutating func inlineTable(at path: String) throws(ConfigError) -> Table {
        i += 1
        let table = Table(.dotted)
        skipSpaces()
        if !take(UInt8(ascii: "}")) {
            while true {
                skipSpaces()
                if peek == 10 { throw error("an inline table must stay on one line") }
                try keyValue(into: table, at: path)
                skipSpaces()
                if take(UInt8(ascii: "}")) { break }
                guard take(UInt8(ascii: ",")) else {
                    throw error("expected ',' or '}' in the inline table (which must stay on one line), found \(found)")
                }
            }
        }
        table.origin = .inline
        return table
    }

    // MARK: Strings

    /// `"…"` or `"""…"""`, escapes decoded.
    mutating func basicString() throws(ConfigError) -> String {
        let multiLine = starts(with: "\"\"\"")
        i += multiLine ? 3 : 1
        if multiLine, peek == 10 { i += 1 }
        var text: [UInt8] = []
        while true {
            guard let byte = peek else { throw error("the string does not end") }
            switch byte {
            case UInt8(ascii: "\""):
                if !multiLine {
                    i += 1
                    return String(decoding: text, as: UTF8.self)
                }
                if let quotes = try closingQuotes(UInt8(ascii: "\"")) {
                    return String(decoding: text + quotes, as: UTF8.self)
                }
                text.append(byte)
                i += 1
            case UInt8(ascii: "\\"):
                if multiLine, lineEndingBackslash() { continue }
                text += try escape()
            case 10 where !multiLine:
                throw error("the string does not end on its line (a string of several lines is written \"\"\"…\"\"\")")
            default:
                text.append(byte)
                i += 1
            }
        }
    }

    /// `'…'` or `'''…'''`, taken as written.
    mutating func literalString() throws(ConfigError) -> String {
        let multiLine = starts(with: "'''")
        i += multiLine ? 3 : 1
        if multiLine, peek == 10 { i += 1 }
        let start = i
        while true {
            guard let byte = peek else { throw error("the string does not end") }
            if byte == UInt8(ascii: "'") {
                let text = Array(bytes[start..<i])
                if !multiLine {
                    i += 1
                    return String(decoding: text, as: UTF8.self)
                }
                if let quotes = try closingQuotes(UInt8(ascii: "'")) { return String(decoding: text + quotes, as: UTF8.self) }
            } else if byte == 10 && !multiLine {
                throw error("the string does not end on its line (a string of several lines is written '''…''')")
            }
            i += 1
        }
    }

    /// At a quote inside a multi-line string: when three or more quotes end it here, the
    /// one or two that belong to the text; nil when this quote is text.
    private mutating func closingQuotes(_ quote: UInt8) throws(ConfigError) -> [UInt8]? {
        var run = 0
        while i + run < bytes.count && bytes[i + run] == quote { run += 1 }
        guard run >= 3 else { return nil }
        guard run <= 5 else { throw error("too many quotes at the end of a multi-line string") }
        i += run
        return [UInt8](repeating: quote, count: run - 3)
    }

    /// A backslash at the end of a line in `"""…"""` swallows the line break and the blank
    /// space after it; false (nothing read) when the backslash is an escape.
    private mutating func lineEndingBackslash() -> Bool {
        var k = i + 1
        while k < bytes.count && (bytes[k] == 32 || bytes[k] == 9) { k += 1 }
        guard k < bytes.count, bytes[k] == 10 else { return false }
        i = k
        while let byte = peek, byte == 32 || byte == 9 || byte == 10 { i += 1 }
        return true
    }

    private mutating func escape() throws(ConfigError) -> [UInt8] {
        i += 1
        guard let byte = peek else { throw error("the string does not end") }
        i += 1
        switch byte {
        case UInt8(ascii: "b"): return [8]
        case UInt8(ascii: "t"): return [9]
        case UInt8(ascii: "n"): return [10]
        case UInt8(ascii: "f"): return [12]
        case UInt8(ascii: "r"): return [13]
        case UInt8(ascii: "\""): return [34]
        case UInt8(ascii: "\\"): return [92]
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            guard i + count <= bytes.count,
                let value = UInt32(String(decoding: bytes[i..<(i + count)], as: UTF8.self), radix: 16),
                bytes[i..<(i + count)].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") })
            else { throw error("\\\(Character(Unicode.Scalar(byte))) needs \(count) hexadecimal digits") }
            guard let scalar = Unicode.Scalar(value) else {
                throw error("\\\(Character(Unicode.Scalar(byte)))\(String(value, radix: 16)) is not a Unicode scalar value")
            }
            i += count
            return Array(String(Character(scalar)).utf8)
        default:
            i -= 1
            throw error("unknown escape in a string: a backslash followed by \(found)")
        }
    }

    // MARK: Numbers, booleans, dates

    /// An integer, a float, a boolean, or a date or time (kept as text).
    private mutating func scalar() throws(ConfigError) -> ConfigValue {
        let start = i
        while let byte = peek, Self.isBareKey(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: ":")
        {
            i += 1
        }
        // A date and a time may be separated by a space: `1979-05-27 07:32:00`.
        if TOMLScalar.isDate(bytes[start..<i]), peek == 32, i + 3 < bytes.count,
            TOMLScalar.isDigit(bytes[i + 1]), TOMLScalar.isDigit(bytes[i + 2]), bytes[i + 3] == UInt8(ascii: ":")
        {
            i += 1
            while let byte = peek, Self.isBareKey(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: ":")
            {
                i += 1
            }
        }
        let token = Array(bytes[start..<i])
        guard !token.isEmpty else { throw error("expected a value, found \(found)") }
        switch TOMLScalar.read(token) {
        case .success(let value): return value
        case .failure(let problem):
            // The text itself is not quoted: it may be a secret written without its quotes.
            i = start
            throw error(problem.reason)
        }
    }
}
