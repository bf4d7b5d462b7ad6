import JOSE

/// auth51-checksum's `canonicalize`, which v2, v3 and v4 apply before `json.dumps`: every string
/// *value* at any depth goes through ``PythonText/normalize(_:)`` (line collapsing and NFC); object
/// member names are left as they are (the library sorts them but does not normalise them); numbers,
/// booleans and `null` are kept.
enum Canonicalizer {
    static func canonicalize(_ value: JSONValue) -> JSONValue {
        switch value {
        case .null, .bool, .int, .double: return value
        case let .string(text): return .string(PythonText.normalize(text))
        case let .array(items): return .array(items.map(canonicalize))
        case let .object(object): return .object(canonicalize(object))
        }
    }

    static func canonicalize(_ object: JSONObject) -> JSONObject {
        JSONObject(object.entries.map { ($0.key, canonicalize($0.value)) })
    }
}
