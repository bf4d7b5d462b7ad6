/// A JSON value. Integers written without fraction or exponent that fit in
/// `Int64` are kept exactly as ``int(_:)``; every other number is a ``double(_:)``.
public indirect enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int64`, kept exactly.
    case int(Int64)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object(JSONObject)

    /// Parses strict JSON text (see ``JSONParser``).
    public static func parse(_ bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) throws -> JSONValue {
        try JSONParser.parse(bytes, maxDepth: maxDepth)
    }

    /// Parses strict JSON text (see ``JSONParser``).
    public static func parse(_ text: String, maxDepth: Int = JSONParser.defaultMaxDepth) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8), maxDepth: maxDepth)
    }

    /// The string, if the value is a string.
    public var stringValue: String? { if case let .string(s) = self { return s }; return nil }
    /// The integer, if the value is a number kept exactly as an integer.
    public var intValue: Int64? { if case let .int(i) = self { return i }; return nil }
    /// The Boolean, if the value is `true` or `false`.
    public var boolValue: Bool? { if case let .bool(b) = self { return b }; return nil }
    /// The object, if the value is an object.
    public var objectValue: JSONObject? { if case let .object(o) = self { return o }; return nil }
    /// The elements, if the value is an array.
    public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a }; return nil }

    /// A short name of the value's JSON type, for messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// The JSON `null`.
    public init(nilLiteral: ()) { self = .null }
    /// A JSON Boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A JSON number kept exactly as an integer.
    public init(integerLiteral value: Int64) { self = .int(value) }
    /// A JSON number with a fraction or exponent.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A JSON string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A JSON array.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// A JSON object, members in the order of the literal.
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}
