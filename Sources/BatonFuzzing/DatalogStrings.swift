import Biscuit

/// Datalog values that may hold string literals. The printer writes strings
/// verbatim (as the reference does), so a string containing `"` or `\` does not
/// print as parseable text; the round-trip checks skip such values.
protocol DatalogStrings {
    /// Whether some string literal inside contains `"` or `\`.
    var hasUnprintableString: Bool { get }
}

extension DatalogStrings {
    static func unprintable(_ s: String) -> Bool {
        s.utf8.contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    }
}

extension Term: DatalogStrings {
    var hasUnprintableString: Bool {
        switch self {
        case let .string(s): return Self.unprintable(s)
        case let .set(set): return set.elements.contains { $0.hasUnprintableString }
        case let .array(items): return items.contains { $0.hasUnprintableString }
        case let .map(map):
            return map.entries.contains { entry in
                if case let .string(key) = entry.key, Self.unprintable(key) { return true }
                return entry.value.hasUnprintableString
            }
        case .variable, .integer, .date, .bytes, .bool, .null: return false
        }
    }
}

extension Op: DatalogStrings {
    var hasUnprintableString: Bool {
        switch self {
        case let .value(term): return term.hasUnprintableString
        case let .closure(_, ops): return ops.contains { $0.hasUnprintableString }
        case .unary, .binary: return false
        }
    }
}

extension Expression: DatalogStrings {
    var hasUnprintableString: Bool { ops.contains { $0.hasUnprintableString } }
}

extension Predicate: DatalogStrings {
    var hasUnprintableString: Bool { terms.contains { $0.hasUnprintableString } }
}

extension Fact: DatalogStrings {
    var hasUnprintableString: Bool { predicate.hasUnprintableString }
}

extension Rule: DatalogStrings {
    var hasUnprintableString: Bool {
        head.hasUnprintableString || body.contains { $0.hasUnprintableString } || expressions.contains { $0.hasUnprintableString }
    }
}

extension Check: DatalogStrings {
    var hasUnprintableString: Bool { queries.contains { $0.hasUnprintableString } }
}

extension Policy: DatalogStrings {
    var hasUnprintableString: Bool { queries.contains { $0.hasUnprintableString } }
}

extension BlockSource: DatalogStrings {
    var hasUnprintableString: Bool {
        facts.contains { $0.hasUnprintableString } || rules.contains { $0.hasUnprintableString }
            || checks.contains { $0.hasUnprintableString } || policies.contains { $0.hasUnprintableString }
    }
}
