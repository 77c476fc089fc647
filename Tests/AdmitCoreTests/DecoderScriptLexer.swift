import AdmitCore

/// Words, quoted strings, escapes and numbers of decoder test scripts.
enum DecoderScriptLexer {
    /// Splits on spaces; a double-quoted word keeps its spaces (quotes removed, escapes kept).
    static func words(_ line: String) -> [String] {
        var words: [String] = [], current = "", quoted = false, escaped = false, hadQuotes = false
        for character in line {
            if escaped { current.append(character); escaped = false; continue }
            if quoted && character == "\\" { current.append(character); escaped = true; continue }
            if character == "\"" { quoted.toggle(); hadQuotes = true; continue }
            if character == "#" && !quoted && current.isEmpty && !hadQuotes { break }  // a trailing comment
            if character == " " && !quoted {
                if !current.isEmpty || hadQuotes { words.append(current) }
                current = ""; hadQuotes = false
                continue
            }
            current.append(character)
        }
        if !current.isEmpty || hadQuotes { words.append(current) }
        return words
    }

    /// Resolves `\r \n \t \\ \" \xHH \u{HHHH}`.
    static func unescape(_ text: String) -> String {
        var result = "", iterator = Array(text.unicodeScalars), index = 0
        while index < iterator.count {
            let scalar = iterator[index]
            index += 1
            guard scalar == "\\", index < iterator.count else { result.unicodeScalars.append(scalar); continue }
            let next = iterator[index]
            index += 1
            switch next {
            case "r": result += "\r"
            case "n": result += "\n"
            case "t": result += "\t"
            case "x":
                let hex = String(String.UnicodeScalarView(iterator[index..<min(index + 2, iterator.count)]))
                index += 2
                result.unicodeScalars.append(Unicode.Scalar(UInt8(hex, radix: 16) ?? 0))
            case "u":
                let close = iterator[index...].firstIndex(of: "}") ?? index
                let hex = String(String.UnicodeScalarView(iterator[(index + 1)..<close]))
                index = close + 1
                result.unicodeScalars.append(Unicode.Scalar(UInt32(hex, radix: 16) ?? 0x3F) ?? "?")
            default: result.unicodeScalars.append(next)
            }
        }
        return result
    }

    /// Escaped script text as serial bytes: `\xHH` is one raw byte, everything else UTF-8.
    static func bytes(_ escaped: String) -> [UInt8] {
        var bytes: [UInt8] = [], rest = Substring(escaped)
        while !rest.isEmpty {
            if rest.hasPrefix("\\x"), let byte = UInt8(rest.dropFirst(2).prefix(2), radix: 16) {
                bytes.append(byte)
                rest = rest.dropFirst(4)
            } else if rest.hasPrefix("\\") {
                let piece = rest.prefix(2)
                bytes += Array(unescape(String(piece)).utf8)
                rest = rest.dropFirst(2)
            } else {
                bytes += Array(String(rest.first!).utf8)
                rest = rest.dropFirst()
            }
        }
        return bytes
    }

    static func number(_ text: String?) throws -> UInt64 {
        guard let text, let value = UInt64(text) else { throw ScriptError("expected a number, got \(text ?? "nothing")") }
        return value
    }

    static func name(of reason: DiscardReason) -> String {
        switch reason {
        case .timedOut: "timed-out"
        case .tooLong: "too-long"
        case .eventsDropped: "events-dropped"
        case .unmappedKey: "unmapped-key"
        case .garbage: "garbage"
        case .symbologyNotAllowed: "symbology-not-allowed"
        case .flood: "flood"
        }
    }
}
