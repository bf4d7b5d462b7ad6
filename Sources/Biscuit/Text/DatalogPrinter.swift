/// Prints the Datalog AST as text, byte for byte as the Rust reference
/// implementation prints it (its `Display` implementations and symbol-table
/// printers), so printed block code can be compared with reference output.
///
/// Printing never fails: an expression whose postfix ops do not form a single
/// value prints as `<invalid expression>`, a date outside years 0–9999 prints as
/// `<invalid date>`, and nesting deeper than 256 levels is cut short.
public enum DatalogPrinter {
    /// Text printed for an expression whose ops are not well formed.
    public static let invalidExpression = "<invalid expression>"

    /// A term: `$var`, `12`, `-3`, `"text"` (verbatim, unescaped), `2030-01-01T00:00:00Z`,
    /// `hex:01ab`, `true`, `{1, 2}` (sorted), `{,}` (empty set), `null`, `[1, "a"]`, `{1: "a", "b": 2}`.
    public static func print(_ term: Term) -> String {
        PrinterTerm.render(term)
    }

    /// The infix text of an expression, e.g. `$0.matches("file[0-9]+.txt")` or
    /// `{1, 2, 3}.all($p -> $p > 0)`; parentheses appear only where the ops hold a `parens` op.
    public static func print(_ expression: Expression) -> String {
        PrinterExpression.render(expression.ops) ?? invalidExpression
    }

    /// The infix text of an expression, or nil when its ops are not well formed.
    public static func printIfValid(_ expression: Expression) -> String? {
        PrinterExpression.render(expression.ops)
    }

    /// `name(term, term)`.
    public static func print(_ predicate: Predicate) -> String {
        predicate.name + "(" + predicate.terms.map(print).joined(separator: ", ") + ")"
    }

    /// A fact, without the trailing `;`.
    public static func print(_ fact: Fact) -> String {
        print(fact.predicate)
    }

    /// `head($x) <- body($x), expression trusting scope, scope`.
    public static func print(_ rule: Rule) -> String {
        print(rule.head) + " <- " + body(rule)
    }

    /// `check if …`, `check all …` or `reject if …`, alternatives joined by ` or `.
    public static func print(_ check: Check) -> String {
        let keyword: String
        switch check.kind {
        case .one: keyword = "check if "
        case .all: keyword = "check all "
        case .reject: keyword = "reject if "
        }
        return keyword + check.queries.map(body).joined(separator: " or ")
    }

    /// `allow if …` / `deny if …`, or a bare `allow` / `deny` without queries.
    public static func print(_ policy: Policy) -> String {
        let keyword = policy.kind == .allow ? "allow" : "deny"
        if policy.queries.isEmpty { return keyword }
        return keyword + " if " + policy.queries.map(body).joined(separator: " or ")
    }

    /// `authority`, `previous` or `ed25519/<hex>` (`secp256r1/<hex>`).
    public static func print(_ scope: Scope) -> String {
        switch scope {
        case .authority: return "authority"
        case .previous: return "previous"
        case let .publicKey(key): return key.text
        }
    }

    /// A block's code exactly as the reference prints it (what AIP verifiers read):
    /// facts, then rules, then checks, each followed by `;\n`.
    ///
    /// The reference leaves block-level `trusting` scopes out of this text, so two
    /// blocks that trust different origins can print alike. Tools that show a block
    /// to people should use `printBlock(_:includingScopes: true)`.
    public static func printBlock(_ block: BlockSource) -> String {
        printBlock(block, includingScopes: false)
    }

    /// A block's code; with `includingScopes: true`, block-level scopes come first as
    /// a `trusting a, b;\n` line (the form the block parser accepts).
    public static func printBlock(_ block: BlockSource, includingScopes: Bool) -> String {
        var out = ""
        if includingScopes, !block.scopes.isEmpty {
            out += "trusting " + block.scopes.map(print).joined(separator: ", ") + ";\n"
        }
        for fact in block.facts { out += print(fact) + ";\n" }
        for rule in block.rules { out += print(rule) + ";\n" }
        for check in block.checks { out += print(check) + ";\n" }
        return out
    }

    /// Authorizer code as the reference's `dump_code()` prints it: facts, rules,
    /// checks and policies in their order, each followed by `;\n`, with one empty
    /// line after each non-empty group of facts, rules and checks.
    /// Block-level scopes are not printed.
    public static func printAuthorizer(_ block: BlockSource) -> String {
        var out = ""
        let groups: [[String]] = [
            block.facts.map(print),
            block.rules.map(print),
            block.checks.map(print),
        ]
        for group in groups where !group.isEmpty {
            for line in group { out += line + ";\n" }
            out += "\n"
        }
        for policy in block.policies { out += print(policy) + ";\n" }
        return out
    }

    /// A rule's body: predicates, then expressions, then ` trusting` scopes.
    static func body(_ rule: Rule) -> String {
        var parts = rule.body.map(print)
        parts += rule.expressions.map(print)
        var out = parts.joined(separator: ", ")
        if !rule.scopes.isEmpty {
            out += " trusting " + rule.scopes.map(print).joined(separator: ", ")
        }
        return out
    }
}
