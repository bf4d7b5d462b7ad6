import BatonHarness
import BatonModel
import JOSE
import Yams

extension YAMLField {
    /// Whether the value is a YAML sequence.
    var isSequence: Bool {
        if case .sequence? = node { return true }
        return false
    }

    /// The value as JSON: scalars keep their YAML type (plain `12` is a number, `"12"` a string).
    func jsonValue(depth: Int = 0) throws -> JSONValue {
        guard depth < 16 else { throw error("nested too deeply") }
        switch node {
        case nil: return .null
        case let .scalar(sc)?:
            if sc.style == .plain {
                if isNull { return .null }
                if let b = Bool.construct(from: sc) { return .bool(b) }
                if let i = Int64(sc.string) { return .int(i) }
                if let d = Double(sc.string), sc.string.contains(".") || sc.string.contains("e") { return .double(d) }
            }
            return .string(sc.string)
        case .sequence?:
            return .array(try items().map { try $0.jsonValue(depth: depth + 1) })
        case .mapping?:
            return .object(JSONObject(try keys().map { ($0, try self[$0].jsonValue(depth: depth + 1)) }))
        case .alias?:
            throw error("YAML aliases are not supported here")
        }
    }
}
