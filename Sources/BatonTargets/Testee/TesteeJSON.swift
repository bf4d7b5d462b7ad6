import BatonModel
import Foundation
import JOSE

/// A JSON value as a testee sent it, decoded strictly (a number is never a Bool),
/// so answers can be checked field by field with precise complaints.
enum TesteeJSON: Hashable, Sendable, Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([TesteeJSON])
    case object([String: TesteeJSON])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .integer(i)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([TesteeJSON].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: TesteeJSON].self))
        }
    }

    /// Parses one answer line; nil when it is not JSON at all.
    static func parse(_ bytes: [UInt8]) -> TesteeJSON? {
        try? JSONDecoder().decode(TesteeJSON.self, from: Data(bytes))
    }

    subscript(key: String) -> TesteeJSON? {
        if case let .object(o) = self { return o[key] }
        return nil
    }

    var objectValue: [String: TesteeJSON]? { if case let .object(o) = self { return o }; return nil }
    var stringValue: String? { if case let .string(s) = self { return s }; return nil }
    var boolValue: Bool? { if case let .bool(b) = self { return b }; return nil }
    var integerValue: Int64? { if case let .integer(i) = self { return i }; return nil }
    /// The elements when this is an array of strings only.
    var stringArray: [String]? {
        guard case let .array(a) = self else { return nil }
        let strings = a.compactMap(\.stringValue)
        return strings.count == a.count ? strings : nil
    }
}

extension TesteeJSON {
    /// Compact JSON text with sorted keys (to hand an answer's object on, e.g. a JWKS).
    var serialized: String { String(decoding: jsonValue.serialized(), as: UTF8.self) }

    var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case let .bool(b): return .bool(b)
        case let .integer(i): return .int(i)
        case let .number(d): return .double(d)
        case let .string(s): return .string(s)
        case let .array(a): return .array(a.map(\.jsonValue))
        case let .object(o): return .object(JSONObject(o.sorted { $0.key < $1.key }.map { ($0.key, $0.value.jsonValue) }))
        }
    }
}
