/// Reads TOML 1.0 text into a `ConfigValue` tree, with every syntax error named by line and
/// column. Admit's own reader: the TOMLKit/toml++ parser used before aborted the process on
/// some malformed files (its assertions, found by the config fuzzer), read a NUL byte as the
/// end of the file, and never freed what it parsed.
///
/// Tables follow TOML's rules: a table is defined once (by a header, or by dotted keys, or
/// inline), `[[name]]` appends to an array of tables, inline tables and static arrays are
/// closed. Dates and times are checked and kept as their text (Admit has no key that takes
/// one). Values nest at most 64 deep. The line of every table and key is kept, by its
/// dotted path (`scanner[1].match.vendor`), so later checks can name it.
struct TOMLReader {
    /// One table being filled.
    final class Table {
        /// How the table came to be, which decides whether it may be added to later.
        enum Origin {
            /// On the way to a deeper header (`a` of `[a.b]`): a header may still define it.
            case implicit
            /// By its own `[header]`.
            case header
            /// By dotted keys (`a.b = 1` makes `a`).
            case dotted
            /// Written `{ … }`: complete as written.
            case inline
        }

        /// What a key holds.
        enum Entry {
            case value(ConfigValue)
            case table(Table)
            case tables([Table])
        }

        var origin: Origin
        var entries: [String: Entry] = [:]

        init(_ origin: Origin) { self.origin = origin }

        /// The finished tree.
        var tree: [String: ConfigValue] {
            entries.mapValues { entry in
                switch entry {
                case .value(let value): value
                case .table(let table): .table(table.tree)
                case .tables(let tables): .array(tables.map { .table($0.tree) })
                }
            }
        }
    }

    var bytes: [UInt8]
    var i = 0
    var depth = 0
    /// The line where each table and key was written, by dotted path.
    var lines: [String: Int] = [:]
    private let root = Table(.header)
    private var current: Table
    private var currentPath = ""
    /// Offsets of the line breaks, to turn a position into a line.
    private var lineBreaks: [Int] = []

    private init(_ text: String) {
        // A CR LF line break reads as LF; a lone CR was refused before.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if byte == 10, bytes.last == 13 { bytes.removeLast() }
            bytes.append(byte)
        }
        self.bytes = bytes
        current = root
        lineBreaks = bytes.indices.filter { bytes[$0] == 10 }
    }

    /// Parses `text` into its tree and the line of every table and key; throws the first
    /// syntax error.
    static func parse(_ text: String) throws(ConfigError) -> (tree: [String: ConfigValue], lines: [String: Int]) {
        try refuseControlCharacters(text)
        var reader = TOMLReader(text)
        try reader.document()
        return (reader.root.tree, reader.lines)
    }

    // MARK: Statements

    private mutating func document() throws(ConfigError) {
        while true {
            skipSpaces()
            guard let byte = peek else { return }
            switch byte {
            case 10:
                i += 1
                continue
            case UInt8(ascii: "#"): skipComment()
            case UInt8(ascii: "["): try header()
            default: try keyValue(into: current, at: currentPath)
            }
            skipSpaces()
            if peek == UInt8(ascii: "#") { skipComment() }
            guard peek == nil || peek == 10 else { throw error("expected the end of the line, found \(found)") }
        }
    }

    private mutating func header() throws(ConfigError) {
        i += 1
        let isArray = take(UInt8(ascii: "["))
        let path = try key()
        guard take(UInt8(ascii: "]")) else { throw error("expected ']' to close the table header, found \(found)") }
        if isArray, !take(UInt8(ascii: "]")) {
            throw error("expected ']]' to close the array-of-tables header, found \(found)")
        }
        let (table, name) = isArray ? try appendTable(path) : try defineTable(path)
        current = table
        currentPath = name
        note(name)
    }

    /// `key = value` into `table`, whose dotted path is `tablePath`.
    mutating func keyValue(into table: Table, at tablePath: String) throws(ConfigError) {
        let path = try key()
        let name = tablePath.isEmpty ? path.joined(separator: ".") : tablePath + "." + path.joined(separator: ".")
        note(name)
        guard take(UInt8(ascii: "=")) else { throw error("expected '=' after the key, found \(found)") }
        skipSpaces()
        let entry = try value(at: name)
        try insert(entry, at: path, into: table)
    }

    /// Keeps the current line as where `path` was written (the first time it is named).
    mutating func note(_ path: String) {
        if lines[path] == nil { lines[path] = line(at: i) }
    }

    /// The 1-based line of byte `offset`.
    func line(at offset: Int) -> Int {
        var low = 0, high = lineBreaks.count
        while low < high {
            let middle = (low + high) / 2
            if lineBreaks[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return low + 1
    }

    /// A dotted key: bare (`A-Za-z0-9_-`) or quoted parts, spaces allowed around the dots.
    mutating func key() throws(ConfigError) -> [String] {
        var parts: [String] = []
        repeat {
            skipSpaces()
            switch peek {
            case UInt8(ascii: "\""):
                if starts(with: "\"\"\"") { throw error("a key cannot be a multi-line string") }
                parts.append(try basicString())
            case UInt8(ascii: "'"):
                if starts(with: "'''") { throw error("a key cannot be a multi-line string") }
                parts.append(try literalString())
            default:
                let start = i
                while let byte = peek, Self.isBareKey(byte) { i += 1 }
                guard i > start else { throw error("expected a key, found \(found)") }
                parts.append(String(decoding: bytes[start..<i], as: UTF8.self))
            }
            skipSpaces()
            // Tables are built (and dropped) recursively: a key of 100 000 parts would
            // exhaust the stack, so keys, like values, stop at 64 levels.
            guard parts.count <= 64 else { throw error("a key of more than 64 parts") }
        } while take(UInt8(ascii: "."))
        return parts
    }

    // MARK: Tables

    /// The table `[path]` defines, and its dotted path.
    private func defineTable(_ path: [String]) throws(ConfigError) -> (Table, String) {
        let (parent, parentPath) = try walk(path.dropLast(), from: root, at: "", header: true)
        let name = path.joined(separator: ".")
        let last = path[path.count - 1]
        let fullPath = parentPath.isEmpty ? last : parentPath + "." + last
        switch parent.entries[last] {
        case nil:
            let table = Table(.header)
            parent.entries[last] = .table(table)
            return (table, fullPath)
        case .table(let table):
            guard table.origin == .implicit else { throw error("table [\(name)] is defined twice") }
            table.origin = .header
            return (table, fullPath)
        case .tables: throw error("[\(name)] is an array of tables: write [[\(name)]]")
        case .value: throw error("[\(name)] names a key that holds a value")
        }
    }

    /// The table `[[path]]` appends, and its dotted path (`scanner[2]`).
    private func appendTable(_ path: [String]) throws(ConfigError) -> (Table, String) {
        let (parent, parentPath) = try walk(path.dropLast(), from: root, at: "", header: true)
        let name = path.joined(separator: ".")
        let last = path[path.count - 1]
        let table = Table(.header)
        let index: Int
        switch parent.entries[last] {
        case nil:
            parent.entries[last] = .tables([table])
            index = 0
        case .tables(let tables):
            parent.entries[last] = .tables(tables + [table])
            index = tables.count
        case .table: throw error("[[\(name)]] names a table, not an array of tables")
        case .value: throw error("[[\(name)]] names a key that holds a value")
        }
        return (table, (parentPath.isEmpty ? last : parentPath + "." + last) + "[\(index)]")
    }

    /// Puts a value at a dotted key under `table`.
    func insert(_ entry: Table.Entry, at path: [String], into table: Table) throws(ConfigError) {
        let parent = try walk(path.dropLast(), from: table, at: "", header: false).0
        let last = path[path.count - 1]
        guard parent.entries[last] == nil else { throw error("key \(path.joined(separator: ".")) is defined twice") }
        parent.entries[last] = entry
    }

    /// Follows `path` from `table`, making the tables that are missing: implicit ones on the
    /// way to a header, dotted ones for dotted keys. Inline tables and values are closed;
    /// a header's table cannot be reopened by dotted keys.
    /// Also says the dotted path reached from `tablePath` (an array of tables by its last
    /// element's index: `fruit[1].physical`).
    private func walk(_ path: ArraySlice<String>, from table: Table, at tablePath: String, header: Bool)
        throws(ConfigError) -> (Table, String)
    {
        var table = table
        var reached = tablePath
        for (n, part) in path.enumerated() {
            let name = path.prefix(n + 1).joined(separator: ".")
            reached = reached.isEmpty ? part : reached + "." + part
            switch table.entries[part] {
            case nil:
                let next = Table(header ? .implicit : .dotted)
                table.entries[part] = .table(next)
                table = next
            case .table(let next):
                if next.origin == .inline { throw error("\(name) is an inline table: it cannot be added to") }
                if !header && next.origin == .header { throw error("\(name) is a [table]: dotted keys cannot add to it") }
                table = next
            case .tables(let tables):
                guard header, let last = tables.last else { throw error("\(name) is an array of tables") }
                table = last
                reached += "[\(tables.count - 1)]"
            case .value:
                throw error("\(name) holds a value, not a table")
            }
        }
        return (table, reached)
    }

    // MARK: Reading

    var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    /// The next character in words, for errors.
    var found: String {
        guard let byte = peek else { return "the end of the file" }
        if byte == 10 { return "the end of the line" }
        var end = i + 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "'\(String(decoding: bytes[i..<end], as: UTF8.self))'"
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        i += 1
        return true
    }

    func starts(with text: String) -> Bool { bytes[i...].starts(with: text.utf8) }

    mutating func skipSpaces() {
        while peek == 32 || peek == 9 { i += 1 }
    }

    mutating func skipComment() {
        while let byte = peek, byte != 10 { i += 1 }
    }

    /// Spaces, line breaks and comments, as arrays allow between their values.
    mutating func skipBlank() {
        while let byte = peek {
            if byte == 32 || byte == 9 || byte == 10 {
                i += 1
            } else if byte == UInt8(ascii: "#") {
                skipComment()
            } else {
                return
            }
        }
    }

    static func isBareKey(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    /// A syntax error at the current position.
    func error(_ message: String) -> ConfigError {
        let at = min(i, bytes.count)
        let line = line(at: at)
        let lineStart = line == 1 ? 0 : lineBreaks[line - 2] + 1
        let column = String(decoding: bytes[lineStart..<at], as: UTF8.self).count + 1
        return ConfigError(key: nil, line: line, message: "not valid TOML: \(message) (column \(column))")
    }

    /// TOML allows no raw control character but tab and line breaks; a CR only before an LF.
    private static func refuseControlCharacters(_ text: String) throws(ConfigError) {
        var line = 1, column = 0
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars {
            if previous == "\r" && scalar != "\n" { throw controlCharacter("\r", line: line, column: column) }
            column += 1
            if scalar == "\n" {
                line += 1
                column = 0
            } else if scalar.value < 0x20 && scalar != "\t" && scalar != "\r" || scalar.value == 0x7F {
                throw controlCharacter(scalar, line: line, column: column)
            }
            previous = scalar
        }
        if previous == "\r" { throw controlCharacter("\r", line: line, column: column) }
    }

    private static func controlCharacter(_ scalar: Unicode.Scalar, line: Int, column: Int) -> ConfigError {
        let code = String(scalar.value, radix: 16, uppercase: true)
        return ConfigError(
            key: nil, line: line,
            message: "not valid TOML: control character U+\(String(repeating: "0", count: 4 - code.count))\(code) "
                + "in column \(column) (only tabs and line breaks may appear as they are)")
    }
}
