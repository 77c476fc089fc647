/// A JSON value as a client sent it, kept for attributes a fake records without knowing them
/// (e.g. an idempotency id an adapter adds to a vivenu scan).
public enum FakeJSONValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([FakeJSONValue])
    case object([String: FakeJSONValue])

    /// The string, when this is a JSON string.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The members, when this is a JSON object.
    public var objectValue: [String: FakeJSONValue]? {
        if case .object(let value) = self { value } else { nil }
    }

    /// The elements, when this is a JSON array.
    public var arrayValue: [FakeJSONValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    /// Parses `bytes` as one JSON document (strict RFC 8259, nesting ≤ 64); nil when invalid.
    public static func parse(_ bytes: some Sequence<UInt8>) -> FakeJSONValue? {
        JSONParser.parse(Array(bytes))
    }

    /// Compact JSON text of the value.
    public var description: String {
        var writer = JSONWriter()
        write(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Appends the value to `writer`.
    func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.raw(Array("null".utf8))
        case .bool(let value): writer.raw(Array((value ? "true" : "false").utf8))
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 {
                writer.number(Int(value))
            } else {
                writer.raw(Array("\(value)".utf8))
            }
        case .string(let value): writer.string(value)
        case .array(let values):
            writer.beginArray()
            for value in values { value.write(to: &writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for (name, value) in members.sorted(by: { $0.key < $1.key }) {
                writer.key(name)
                value.write(to: &writer)
            }
            writer.endObject()
        }
    }
}
