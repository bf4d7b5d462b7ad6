import BatonCrypto

/// Prints terms as the reference does. Strings are printed between double
/// quotes with no escaping at all (the reference writes them verbatim).
enum PrinterTerm {
    /// Deepest collection nesting printed; deeper content prints as `<too deep>`.
    static let maximumDepth = 256

    static func render(_ term: Term, depth: Int = 0) -> String {
        guard depth <= maximumDepth else { return "<too deep>" }
        switch term {
        case let .variable(name): return "$" + name
        case let .integer(value): return String(value)
        case let .string(text): return "\"" + text + "\""
        case let .date(seconds): return PrinterDate.format(seconds)
        case let .bytes(bytes): return "hex:" + Hex.encode(bytes)
        case let .bool(value): return value ? "true" : "false"
        case let .set(set):
            if set.isEmpty { return "{,}" }
            return "{" + set.elements.map { render($0, depth: depth + 1) }.joined(separator: ", ") + "}"
        case .null: return "null"
        case let .array(items):
            return "[" + items.map { render($0, depth: depth + 1) }.joined(separator: ", ") + "]"
        case let .map(map):
            let entries = map.entries.map { entry in
                render(key: entry.key) + ": " + render(entry.value, depth: depth + 1)
            }
            return "{" + entries.joined(separator: ", ") + "}"
        }
    }

    static func render(key: MapKey) -> String {
        switch key {
        case let .integer(value): return String(value)
        case let .string(text): return "\"" + text + "\""
        }
    }
}
