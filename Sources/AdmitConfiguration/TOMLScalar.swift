/// The bare values of TOML, read from their text: booleans, integers (decimal, `0x`, `0o`,
/// `0b`, with `_` between digits), floats (`inf` and `nan` too), and dates and times, which
/// are checked and kept as text.
enum TOMLScalar {
    /// Why a token is not a value.
    struct Problem: Error {
        let reason: String
    }

    static func read(_ token: [UInt8]) -> Result<ConfigValue, Problem> {
        let text = String(decoding: token, as: UTF8.self)
        switch text {
        case "true": return .success(.bool(true))
        case "false": return .success(.bool(false))
        case "inf", "+inf": return .success(.double(.infinity))
        case "-inf": return .success(.double(-.infinity))
        case "nan", "+nan", "-nan": return .success(.double(.nan))
        default: break
        }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where text.hasPrefix(prefix) {
            let digits = token.dropFirst(2)
            guard groupedDigits(digits, radix: radix) else { return .failure(Problem(reason: "not a number")) }
            guard let value = Int(String(decoding: digits.filter { $0 != 95 }, as: UTF8.self), radix: radix) else {
                return .failure(Problem(reason: "an integer beyond 64 bits"))
            }
            return .success(.integer(value))
        }
        if token.contains(58) || token.count >= 10 && token[4] == 45 && token[7] == 45 && token.prefix(4).allSatisfy(isDigit) {
            return isDateOrTime(token) ? .success(.string(text)) : .failure(Problem(reason: "not a date or time"))
        }
        if token.contains(where: { $0 == 46 || $0 == 101 || $0 == 69 }) {
            guard isFloat(token), let value = Double(String(decoding: token.filter { $0 != 95 }, as: UTF8.self)) else {
                return .failure(Problem(reason: "not a number"))
            }
            return .success(.double(value))
        }
        guard isDecimalInteger(token[...]) else {
            return .failure(Problem(reason: "not a value (text must be in quotes, numbers without leading zeros)"))
        }
        guard let value = Int(String(decoding: token.filter { $0 != 95 }, as: UTF8.self)) else {
            return .failure(Problem(reason: "an integer beyond 64 bits"))
        }
        return .success(.integer(value))
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    /// `YYYY-MM-DD`, exactly.
    static func isDate(_ token: ArraySlice<UInt8>) -> Bool {
        let b = Array(token)
        guard b.count == 10, b[4] == 45, b[7] == 45, [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy({ isDigit(b[$0]) }) else { return false }
        let month = number(b[5...6]), day = number(b[8...9])
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// Digits of `radix` with single underscores between them.
    private static func groupedDigits(_ digits: ArraySlice<UInt8>, radix: Int) -> Bool {
        guard let first = digits.first, let last = digits.last, first != 95, last != 95 else { return false }
        var previous: UInt8 = 0
        for byte in digits {
            if byte == 95 {
                if previous == 95 { return false }
            } else if Int(String(decoding: [byte], as: UTF8.self), radix: radix) == nil {
                return false
            }
            previous = byte
        }
        return true
    }

    /// `[+-]` then `0` or a digit string without a leading zero.
    private static func isDecimalInteger(_ token: ArraySlice<UInt8>) -> Bool {
        var digits = token
        if let sign = digits.first, sign == 43 || sign == 45 { digits = digits.dropFirst() }
        guard groupedDigits(digits, radix: 10) else { return false }
        return digits.first != 48 || digits.count == 1
    }

    /// An integer part, then a fraction, an exponent or both.
    private static func isFloat(_ token: [UInt8]) -> Bool {
        var rest = token[...]
        let exponentAt = rest.firstIndex { $0 == 101 || $0 == 69 }
        var exponent: ArraySlice<UInt8>?
        if let exponentAt {
            exponent = rest[(exponentAt + 1)...]
            rest = rest[..<exponentAt]
        }
        var fraction: ArraySlice<UInt8>?
        if let dot = rest.firstIndex(of: 46) {
            fraction = rest[(dot + 1)...]
            rest = rest[..<dot]
        }
        guard fraction != nil || exponent != nil, isDecimalInteger(rest) else { return false }
        if let fraction, !groupedDigits(fraction, radix: 10) { return false }
        if var exponent {
            if let sign = exponent.first, sign == 43 || sign == 45 { exponent = exponent.dropFirst() }
            if !groupedDigits(exponent, radix: 10) { return false }
        }
        return true
    }

    /// A date, a date with a time (`T`, `t` or a space between) and maybe an offset, or a time.
    private static func isDateOrTime(_ token: [UInt8]) -> Bool {
        if token.count >= 10, isDate(token.prefix(10)) {
            if token.count == 10 { return true }
            guard [84, 116, 32].contains(token[10]) else { return false }
            var time = token[11...]
            if time.last == 90 || time.last == 122 {
                time = time.dropLast()
            } else if time.count >= 14, [43, 45].contains(time[time.endIndex - 6]) {
                let offset = Array(time.suffix(5))
                guard isClock(offset, seconds: false) else { return false }
                time = time.dropLast(6)
            }
            return isTime(time)
        }
        return isTime(token[...])
    }

    /// `HH:MM:SS` with an optional fraction.
    private static func isTime(_ token: ArraySlice<UInt8>) -> Bool {
        let b = Array(token)
        guard b.count >= 8, isClock(Array(b[0..<8]), seconds: true) else { return false }
        if b.count == 8 { return true }
        return b[8] == 46 && b.count > 9 && b[9...].allSatisfy(isDigit)
    }

    /// `HH:MM` or `HH:MM:SS` within the clock's ranges.
    private static func isClock(_ b: [UInt8], seconds: Bool) -> Bool {
        guard b.count == (seconds ? 8 : 5), b[2] == 58, isDigit(b[0]), isDigit(b[1]), isDigit(b[3]), isDigit(b[4]) else {
            return false
        }
        guard number(b[0...1]) < 24, number(b[3...4]) < 60 else { return false }
        guard seconds else { return true }
        return b[5] == 58 && isDigit(b[6]) && isDigit(b[7]) && number(b[6...7]) <= 60
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int {
        digits.reduce(0) { $0 * 10 + Int($1) - 48 }
    }
}
