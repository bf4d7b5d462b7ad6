import Foundation
import JOSE

/// A validator for the part of JSON Schema (draft 2020-12) the vector schema uses. A schema that
/// uses any other keyword is refused when the validator is made, so the schema can never say more
/// than is checked.
struct SchemaValidator {
    struct UnsupportedSchema: Error, CustomStringConvertible {
        var description: String
    }

    static let keywords: Set<String> = [
        "$schema", "$id", "title", "description", "$defs", "$ref", "type", "const", "enum", "properties", "required",
        "additionalProperties", "items", "minItems", "maxItems", "uniqueItems", "minimum", "minLength", "pattern", "allOf", "if", "then",
        "else",
    ]

    let root: JSONValue

    init(schema: JSONValue) throws {
        root = schema
        let unsupported = Self.unsupportedKeywords(in: schema, at: "#")
        guard unsupported.isEmpty else { throw UnsupportedSchema(description: unsupported.joined(separator: "; ")) }
    }

    /// Keywords outside ``keywords``, anywhere a subschema may stand.
    static func unsupportedKeywords(in schema: JSONValue, at path: String) -> [String] {
        guard case let .object(object) = schema else {
            return schema.boolValue == nil ? ["\(path): a schema is an object or a boolean"] : []
        }
        var found: [String] = []
        for (key, value) in object.entries {
            guard keywords.contains(key) else {
                found.append("\(path): unsupported keyword \(key)")
                continue
            }
            switch key {
            case "properties", "$defs":
                for (name, subschema) in value.objectValue?.entries ?? [] {
                    found += unsupportedKeywords(in: subschema, at: "\(path)/\(key)/\(name)")
                }
            case "items", "additionalProperties", "if", "then", "else":
                found += unsupportedKeywords(in: value, at: "\(path)/\(key)")
            case "allOf":
                for (i, subschema) in (value.arrayValue ?? []).enumerated() { found += unsupportedKeywords(in: subschema, at: "\(path)/allOf/\(i)") }
            default:
                break
            }
        }
        return found
    }

    /// The schema at a JSON pointer of the form `#/$defs/NAME` (or `#` for the whole schema).
    func subschema(_ reference: String) -> JSONValue? {
        if reference == "#" { return root }
        let prefix = "#/$defs/"
        guard reference.hasPrefix(prefix) else { return nil }
        return root.objectValue?["$defs"]?.objectValue?[String(reference.dropFirst(prefix.count))]
    }

    /// Why `instance` does not meet `schema` (the whole schema by default), one line per finding,
    /// each with the path of the value; empty when it does.
    func errors(_ instance: JSONValue, against schema: JSONValue? = nil, at path: String = "$") -> [String] {
        let schema = schema ?? root
        if let allowed = schema.boolValue { return allowed ? [] : ["\(path): no value is allowed here"] }
        guard let keywords = schema.objectValue else { return ["\(path): the schema is not an object"] }
        var found: [String] = []
        if let reference = keywords["$ref"]?.stringValue {
            guard let target = subschema(reference) else { return ["\(path): cannot resolve \(reference)"] }
            found += errors(instance, against: target, at: path)
        }
        if let type = keywords["type"] {
            let names = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue].compactMap { $0 }
            if !names.contains(where: { Self.has(instance, type: $0) }) {
                found.append("\(path): expected \(names.joined(separator: " or ")), found \(instance.typeName)")
            }
        }
        if let constant = keywords["const"], constant != instance {
            found.append("\(path): expected the value \(constant)")
        }
        if let options = keywords["enum"]?.arrayValue, !options.contains(instance) {
            found.append("\(path): not one of the allowed values")
        }
        if case let .object(object) = instance { found += objectErrors(object, keywords, path) }
        if case let .array(array) = instance { found += arrayErrors(array, keywords, path) }
        if case let .string(text) = instance {
            if let minimum = keywords["minLength"]?.intValue, text.unicodeScalars.count < minimum {
                found.append("\(path): shorter than \(minimum) characters")
            }
            if let pattern = keywords["pattern"]?.stringValue {
                let regex = try? NSRegularExpression(pattern: pattern)
                let range = NSRange(text.startIndex..., in: text)
                if regex?.firstMatch(in: text, range: range) == nil { found.append("\(path): does not match \(pattern)") }
            }
        }
        if let minimum = keywords["minimum"].flatMap(Self.number), let value = Self.number(instance), value < minimum {
            found.append("\(path): below the minimum \(minimum)")
        }
        for (i, subschema) in (keywords["allOf"]?.arrayValue ?? []).enumerated() {
            found += errors(instance, against: subschema, at: path).map { "\($0) (allOf \(i))" }
        }
        if let condition = keywords["if"] {
            if errors(instance, against: condition, at: path).isEmpty {
                if let then = keywords["then"] { found += errors(instance, against: then, at: path) }
            } else if let otherwise = keywords["else"] {
                found += errors(instance, against: otherwise, at: path)
            }
        }
        return found
    }

    private func objectErrors(_ object: JSONObject, _ keywords: JSONObject, _ path: String) -> [String] {
        var found: [String] = []
        let properties = keywords["properties"]?.objectValue ?? JSONObject()
        for name in keywords["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !object.contains(name) {
            found.append("\(path): missing \(name)")
        }
        for (name, value) in object.entries {
            if let subschema = properties[name] {
                found += errors(value, against: subschema, at: "\(path).\(name)")
            } else if let additional = keywords["additionalProperties"] {
                if additional.boolValue == false {
                    found.append("\(path): unexpected key \(name)")
                } else {
                    found += errors(value, against: additional, at: "\(path).\(name)")
                }
            }
        }
        return found
    }

    private func arrayErrors(_ array: [JSONValue], _ keywords: JSONObject, _ path: String) -> [String] {
        var found: [String] = []
        if let minimum = keywords["minItems"]?.intValue, array.count < minimum { found.append("\(path): fewer than \(minimum) items") }
        if let maximum = keywords["maxItems"]?.intValue, array.count > maximum { found.append("\(path): more than \(maximum) items") }
        if keywords["uniqueItems"]?.boolValue == true, Set(array).count != array.count { found.append("\(path): items repeat") }
        if let items = keywords["items"] {
            for (i, item) in array.enumerated() { found += errors(item, against: items, at: "\(path)[\(i)]") }
        }
        return found
    }

    static func has(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("integer", .int), ("number", .int), ("number", .double), ("string", .string),
            ("array", .array), ("object", .object):
            return true
        default:
            return false
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case let .int(i): return Double(i)
        case let .double(d): return d
        default: return nil
        }
    }
}
