/// Finds the line a key was written on, so errors found after parsing (a wrong type, an
/// unknown value) can still name a line. TOML parsers keep no positions for values; this
/// reads the text once and remembers, per table header, where each key was assigned.
struct ConfigSourceMap: Sendable {
    private var lines: [String: Int] = [:]

    init(text: String) {
        var table = ""
        var arrayCounts: [String: Int] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            let line = rawLine.trimmingPrefix(while: { $0 == " " || $0 == "\t" })
            if line.hasPrefix("[[") {
                let name = Self.headerName(line.dropFirst(2))
                let index = arrayCounts[name, default: 0]
                arrayCounts[name] = index + 1
                table = "\(name)[\(index)]"
                lines[table] = number + 1
            } else if line.hasPrefix("[") {
                table = Self.headerName(line.dropFirst())
                lines[table] = number + 1
            } else if let equals = line.firstIndex(of: "="), !line.hasPrefix("#") {
                let key = Self.unquote(line[..<equals])
                let full = table.isEmpty ? key : "\(table).\(key)"
                lines[full] = lines[full] ?? number + 1
                // Inline tables: `match = { vendor = "0c2e" }` names `match.vendor` here too.
                if let brace = line.firstIndex(of: "{") {
                    for part in line[line.index(after: brace)...].split(separator: ",") {
                        if let innerEquals = part.firstIndex(of: "=") {
                            lines["\(full).\(Self.unquote(part[..<innerEquals]))"] = number + 1
                        }
                    }
                }
            }
        }
    }

    /// The line of `key` (dotted, arrays as `scanner[1]`), or of its nearest enclosing table.
    func line(of key: String) -> Int? {
        var candidate = key
        while true {
            if let line = lines[candidate] { return line }
            guard let dot = candidate.lastIndex(of: ".") else { return nil }
            candidate = String(candidate[..<dot])
        }
    }

    private static func headerName(_ text: Substring) -> String {
        let name = text.prefix { $0 != "]" }
        return name.split(separator: ".").map { unquote($0) }.joined(separator: ".")
    }

    private static func unquote(_ text: Substring) -> String {
        var t = text.trimmingPrefix(while: { $0 == " " || $0 == "\t" })
        while let last = t.last, last == " " || last == "\t" { t = t.dropLast() }
        if t.count >= 2, let f = t.first, f == "\"" || f == "'", t.last == f {
            t = t.dropFirst().dropLast()
        }
        return String(t)
    }
}
