/// The tools a block allows, as AIP's tool check expresses them: exact names,
/// prefix patterns (`tool:*`, Standard profile) and the bare wildcard `*`.
public struct ScopeSet: Hashable, Sendable, CustomStringConvertible {
    /// Exact scope names, in the order the check lists them.
    public var exact: [String]
    /// Prefixes of `prefix*` patterns (without the `*`), in order.
    public var prefixes: [String]
    /// True when the check allows any tool (`*`).
    public var wildcard: Bool

    /// A scope set from its parts.
    public init(exact: [String] = [], prefixes: [String] = [], wildcard: Bool = false) {
        self.exact = exact
        self.prefixes = prefixes
        self.wildcard = wildcard
    }

    /// Reads scope strings: `*` is the wildcard and `p*` a prefix pattern when
    /// `patterns` is true (Standard profile); otherwise every string is exact (Simple).
    public init(scopes: [String], patterns: Bool) {
        self.init()
        for s in scopes {
            if patterns && s == "*" {
                wildcard = true
            } else if patterns && s.hasSuffix("*") {
                prefixes.append(String(s.dropLast()))
            } else {
                exact.append(s)
            }
        }
    }

    /// Whether the set allows nothing.
    public var isEmpty: Bool { exact.isEmpty && prefixes.isEmpty && !wildcard }

    /// The scopes as written (`*` and `p*` for patterns).
    public var patterns: [String] { exact + prefixes.map { $0 + "*" } + (wildcard ? ["*"] : []) }

    /// The patterns in brackets, comma-separated.
    public var description: String { "[" + patterns.joined(separator: ", ") + "]" }

    /// Whether a requested tool is allowed.
    public func allows(_ tool: String) -> Bool {
        wildcard || exact.contains { $0.utf8.elementsEqual(tool.utf8) } || prefixes.contains { tool.utf8.starts(with: $0.utf8) }
    }

    /// The scopes of this set that `parent` does not allow (for error messages).
    public func widening(over parent: ScopeSet) -> [String] {
        if parent.wildcard { return [] }
        var out: [String] = wildcard ? ["*"] : []
        out += prefixes.filter { p in !parent.prefixes.contains { p.utf8.starts(with: $0.utf8) } }.map { $0 + "*" }
        out += exact.filter { !parent.allows($0) }
        return out
    }
}
