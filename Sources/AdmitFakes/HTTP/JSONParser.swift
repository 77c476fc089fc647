/// A small strict JSON parser (RFC 8259) into `FakeJSONValue`, fast enough for the large
/// scan batches the fakes receive (JSONDecoder's try-each-type decoding is not).
struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    private struct Invalid: Error {}

    /// Parses one JSON document with optional surrounding whitespace; nil when invalid.
    static func parse(_ bytes: [UInt8]) -> FakeJSONValue? {
        var parser = JSONParser(bytes: bytes)
        guard let value = try? parser.value() else { return nil }
        parser.skipWhitespace()
        return parser.index == bytes.count ? value : nil
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func value() throws -> FakeJSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw Invalid() }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return .number(try number())
        }
    }

    private mutating func object() throws -> FakeJSONValue {
        try enter()
        var members: [String: FakeJSONValue] = [:]
        skipWhitespace()
        if peek(UInt8(ascii: "}")) { return leave(.object(members)) }
        repeat {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw Invalid() }
            let name = try string()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            members[name] = try value()
            skipWhitespace()
        } while consume(UInt8(ascii: ","))
        guard peek(UInt8(ascii: "}")) else { throw Invalid() }
        return leave(.object(members))
    }

    private mutating func array() throws -> FakeJSONValue {
        try enter()
        var elements: [FakeJSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) { return leave(.array(elements)) }
        repeat {
            elements.append(try value())
            skipWhitespace()
        } while consume(UInt8(ascii: ","))
        guard peek(UInt8(ascii: "]")) else { throw Invalid() }
        return leave(.array(elements))
    }

    private mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
            guard bytes[index] >= 0x20 else { throw Invalid() }
            index += 1
        }
        var text = Array(bytes[start..<index])
        while index < bytes.count, bytes[index] == UInt8(ascii: "\\") {
            index += 1
            guard index < bytes.count else { throw Invalid() }
            let escaped = bytes[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
            case UInt8(ascii: "b"): text.append(0x08)
            case UInt8(ascii: "f"): text.append(0x0C)
            case UInt8(ascii: "n"): text.append(0x0A)
            case UInt8(ascii: "r"): text.append(0x0D)
            case UInt8(ascii: "t"): text.append(0x09)
            case UInt8(ascii: "u"): text.append(contentsOf: try unicodeEscape())
            default: throw Invalid()
            }
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
                guard bytes[index] >= 0x20 else { throw Invalid() }
                text.append(bytes[index])
                index += 1
            }
        }
        try expect(UInt8(ascii: "\""))
        guard let decoded = String(validating: text, as: UTF8.self) else { throw Invalid() }
        return decoded
    }

    private mutating func unicodeEscape() throws -> [UInt8] {
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")) else { throw Invalid() }
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw Invalid() }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw Invalid() }
        return Array(String(Character(unicode)).utf8)
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw Invalid() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Character(Unicode.Scalar(bytes[index])).hexDigitValue else { throw Invalid() }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func number() throws -> Double {
        let start = index
        _ = consume(UInt8(ascii: "-"))
        guard try digits() > 0 else { throw Invalid() }
        if consume(UInt8(ascii: ".")) { guard try digits() > 0 else { throw Invalid() } }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            guard try digits() > 0 else { throw Invalid() }
        }
        guard let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else { throw Invalid() }
        return value
    }

    private mutating func digits() throws -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        return index - start
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Invalid() }
        let matches = word.withUTF8Buffer { $0.elementsEqual(bytes[index..<(index + count)]) }
        guard matches else { throw Invalid() }
        index += count
    }

    private mutating func enter() throws {
        index += 1
        depth += 1
        guard depth <= 64 else { throw Invalid() }
    }

    private mutating func leave(_ value: FakeJSONValue) -> FakeJSONValue {
        index += 1
        depth -= 1
        return value
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard peek(byte) else { return false }
        index += 1
        return true
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard consume(byte) else { throw Invalid() }
    }
}
