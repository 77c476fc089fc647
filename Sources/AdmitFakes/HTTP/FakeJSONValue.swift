import Foundation

/// A JSON value as a client sent it, kept for attributes a fake records without knowing them
/// (e.g. an idempotency id an adapter adds to a vivenu scan).
public enum FakeJSONValue: Sendable, Hashable, Decodable, CustomStringConvertible {
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

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([FakeJSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: FakeJSONValue].self))
        }
    }

    /// Parses `bytes` as one JSON document; nil when it is not valid JSON.
    static func parse(_ bytes: some Sequence<UInt8>) -> FakeJSONValue? {
        try? JSONDecoder().decode(FakeJSONValue.self, from: Data(bytes))
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
