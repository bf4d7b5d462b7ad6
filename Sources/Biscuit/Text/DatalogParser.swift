/// Parser for Biscuit Datalog text, accepting the grammar of the Rust reference
/// parser and producing the Datalog AST (`Fact`, `Rule`, `Check`, `Policy`,
/// `Expression`, `BlockSource`).
///
/// Expressions become the same postfix `Op` sequence as in the reference:
/// operands first, then the operator; `(…)` adds `.unary(.parens)`; `&&` / `||`
/// put their right-hand side in a parameterless closure followed by
/// `.binary(.lazyAnd)` / `.binary(.lazyOr)`; `.all($p -> e)` / `.any(…)` push a
/// one-parameter closure; `x.try_or(y)` pushes a closure of `x`, then `y`.
///
/// Operator precedence, loosest first: `||`, `&&`, comparisons (`<= >= < > === !== == !=`,
/// not associative), `^`, `|`, `&`, `+ -`, `* /`, prefix `!` (whose operand is a
/// `+ -` level expression, as in the reference), methods, then terms and parentheses.
///
/// Differences from the reference, all on inputs it rejects or cannot use:
/// parameters (`{name}`) are rejected (note that, as in the reference, `{true}` is
/// read as a parameter, not as a one-element set); nesting is limited to
/// `maxNestingDepth`; `trusting` keys must have a valid length for their algorithm;
/// code that is only white space (or ends with it after `trusting …;`) is valid.
/// Errors stop at the first problem instead of collecting one per statement.
public enum DatalogParser {
    /// Maximum nesting of parentheses, method arguments, closures, negations and
    /// collections before `nesting_too_deep` is reported.
    public static let maxNestingDepth = 128

    /// Parses block code: facts, rules, checks (`check if`, `check all`, `reject if`),
    /// comments, and a leading block-level `trusting …;` statement. Policies are an error.
    ///
    /// - Parameters:
    ///   - source: The Datalog text.
    ///   - allowUnboundVariables: Accept rules whose head or expressions use
    ///     variables that no body predicate binds (only to reproduce invalid tokens).
    public static func parseBlock(_ source: String, allowUnboundVariables: Bool = false) throws(ParseError) -> BlockSource {
        try run(source, allowUnboundVariables) { g throws in try g.source(authorizer: false) }
    }

    /// Parses authorizer code: facts, rules, checks, comments and `allow if` / `deny if` policies.
    /// As in the reference, authorizer code has no block-level `trusting …;` statement.
    public static func parseAuthorizer(_ source: String, allowUnboundVariables: Bool = false) throws(ParseError) -> BlockSource {
        try run(source, allowUnboundVariables) { g throws in try g.source(authorizer: true) }
    }

    /// Parses one fact such as `right("file1", "read")` (no trailing `;`).
    public static func parseFact(_ source: String) throws(ParseError) -> Fact {
        try run(source, false) { g throws in
            let f = try g.factInner()
            try g.end("fact")
            return f
        }
    }

    /// Parses one rule such as `right($r) <- resource($r), $r.starts_with("/a")` (no trailing `;`).
    public static func parseRule(_ source: String, allowUnboundVariables: Bool = false) throws(ParseError) -> Rule {
        try run(source, allowUnboundVariables) { g throws in
            let r = try g.ruleInner()
            try g.end("rule")
            return r
        }
    }

    /// Parses one check such as `check if resource($r) or admin(true)` (no trailing `;`).
    public static func parseCheck(_ source: String) throws(ParseError) -> Check {
        try run(source, false) { g throws in
            let c = try g.checkInner()
            try g.end("check")
            return c
        }
    }

    /// Parses one policy such as `allow if user($u)` (no trailing `;`).
    public static func parsePolicy(_ source: String) throws(ParseError) -> Policy {
        try run(source, false) { g throws in
            let p = try g.policyInner()
            try g.end("policy")
            return p
        }
    }

    /// Parses one expression such as `$a + 2 < 4`.
    public static func parseExpression(_ source: String) throws(ParseError) -> Expression {
        try run(source, false) { g throws in
            let ops = try g.expr()
            try g.end("expression")
            return Expression(ops: ops)
        }
    }

    private static func run<T>(
        _ source: String,
        _ allowUnbound: Bool,
        _ body: (DatalogGrammar) throws -> T
    ) throws(ParseError) -> T {
        let g = DatalogGrammar(source, allowUnboundVariables: allowUnbound, maxDepth: maxNestingDepth)
        do {
            return try body(g)
        } catch let failure as DatalogFailure {
            throw g.report(failure)
        } catch {
            throw g.report(g.lx.failure("unexpected_token", "\(error)", fatal: true))
        }
    }
}

/// The grammar rules, mirroring the reference parser's combinators: recoverable
/// failures backtrack to the next alternative, fatal ones abort.
final class DatalogGrammar {
    typealias F = DatalogFailure

    let lx: DatalogLexer
    let allowUnboundVariables: Bool
    let maxDepth: Int
    private var depth = 0

    init(_ source: String, allowUnboundVariables: Bool, maxDepth: Int) {
        lx = DatalogLexer(source)
        self.allowUnboundVariables = allowUnboundVariables
        self.maxDepth = maxDepth
    }

    // MARK: Errors

    /// Turns the failure that stopped the parse into the most useful `ParseError`.
    func report(_ thrown: F) -> ParseError {
        var f = thrown
        if !(thrown.fatal && !thrown.isGeneric), let best = lx.best, best.position >= thrown.position {
            f = best
        }
        if f.isGeneric || f.code == "missing_semicolon", let hint = lx.dateHint, hint.start <= f.position, f.position <= hint.end {
            f = hint.failure
        }
        let (line, column) = lx.lineColumn(of: f.position)
        return ParseError(code: f.code, message: f.message, line: line, column: column)
    }

    private func unexpected(_ expected: String) -> F {
        lx.failure("unexpected_token", "expected \(expected) but found \(lx.excerpt(at: lx.pos))")
    }

    // MARK: Combinator helpers

    /// Runs `body`; on a recoverable failure restores the cursor and returns nil.
    func attempt<T>(_ body: () throws -> T) throws -> T? {
        let save = lx.pos
        do {
            return try body()
        } catch let failure as F where !failure.fatal {
            lx.pos = save
            return nil
        }
    }

    /// Runs `body`, making any failure fatal (a "cut").
    func cut<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var failure as F {
            failure.fatal = true
            throw failure
        }
    }

    /// Enters one nesting level; pair with `leave()`.
    private func enter() throws {
        depth += 1
        if depth > maxDepth {
            throw lx.failure("nesting_too_deep", "nesting deeper than \(maxDepth) levels", fatal: true)
        }
    }

    private func leave() { depth -= 1 }

    /// `elem (sep elem)*`; a recoverable failure after a separator ends the list before it.
    private func list1<T>(_ sep: () -> Bool, _ elem: () throws -> T) throws -> [T] {
        var out = [try elem()]
        while true {
            let save = lx.pos
            guard sep(), let e = try attempt(elem) else {
                lx.pos = save
                return out
            }
            out.append(e)
        }
    }

    private func comma() -> Bool {
        lx.skipSpace()
        return lx.eat(",")
    }

    /// Requires that only white space remains.
    func end(_ what: String) throws {
        lx.skipSpace()
        if !lx.atEnd {
            throw lx.failure("unexpected_token", "unexpected trailing data after \(what): \(lx.excerpt(at: lx.pos))")
        }
    }

    // MARK: Source

    /// Block or authorizer source: statements ending with `;` (the last may end the input).
    func source(authorizer: Bool) throws -> BlockSource {
        var out = BlockSource()
        if !authorizer {
            if let scopes = try attempt({ () throws -> [Scope] in
                let s = try scopes()
                try sep()
                return s
            }) {
                out.scopes = scopes
            }
        }
        while !lx.atEnd && !lx.onlySpaceRemains {
            lx.resetFailures()
            try statement(into: &out, authorizer: authorizer)
            lx.skipSpace()
        }
        return out
    }

    /// `;` or the end of the input, after optional white space.
    private func sep() throws {
        lx.skipSpace()
        if lx.eat(";") || lx.atEnd { return }
        // What follows looks like another statement: the `;` was forgotten.
        let code = lx.current.map(DatalogLexer.isNameChar) == true ? "missing_semicolon" : "unexpected_token"
        throw lx.failure(code, "expected ';' but found \(lx.excerpt(at: lx.pos))")
    }

    private func statement(into out: inout BlockSource, authorizer: Bool) throws {
        if let r = try attempt({ () throws -> Rule in
            let r = try ruleInner()
            try sep()
            return r
        }) {
            out.rules.append(r)
            return
        }
        if let f = try attempt({ () throws -> Fact in
            let f = try factInner()
            try sep()
            return f
        }) {
            out.facts.append(f)
            return
        }
        if let c = try attempt({ () throws -> Check in
            let c = try checkInner()
            try sep()
            return c
        }) {
            out.checks.append(c)
            return
        }
        if authorizer {
            if let p = try attempt({ () throws -> Policy in
                let p = try policyInner()
                try sep()
                return p
            }) {
                out.policies.append(p)
                return
            }
        } else {
            let save = lx.pos
            lx.skipSpace()
            if lx.looksAt("allow if", ignoringCase: true) || lx.looksAt("deny if", ignoringCase: true) {
                throw lx.failure(
                    "policy_in_block", "policies (allow if / deny if) are only allowed in authorizer code",
                    fatal: true)
            }
            lx.pos = save
        }
        if try attempt(lineComment) != nil { return }
        if try attempt(multilineComment) != nil { return }
        throw unexpected("a fact, rule, check\(authorizer ? ", policy" : "") or comment")
    }

    private func lineComment() throws {
        lx.skipSpace()
        try lx.expect("//")
        while let c = lx.current, c != "\r", c != "\n" { lx.pos += 1 }
        if lx.eat("\n") || lx.eat("\r\n") || lx.atEnd { return }
        throw unexpected("a line break after the comment")
    }

    private func multilineComment() throws {
        lx.skipSpace()
        let start = lx.pos
        try lx.expect("/*")
        while !lx.atEnd {
            if lx.eat("*/") { return }
            lx.pos += 1
        }
        throw lx.failure("unterminated_comment", "comment is not terminated by '*/'", at: start, fatal: true)
    }

    // MARK: Statements

    /// `name(term, …)` with ground terms.
    func factInner() throws -> Fact {
        lx.skipSpace()
        let name = try lx.name()
        lx.skipSpace()
        try lx.expect("(")
        let terms = try terms(.fact, required: true, cutAll: true)
        lx.skipSpace()
        try lx.expect(")", "')' or ','")
        return Fact(name: name, terms: terms)
    }

    /// `head(…) <- body`, checking that every variable is bound by the body.
    func ruleInner() throws -> Rule {
        lx.skipSpace()
        let start = lx.pos
        let head = try predicate()
        lx.skipSpace()
        try lx.expect("<-")
        let (body, expressions, scopes) = try cut(ruleBody)
        let rule = Rule(head: head, body: body, expressions: expressions, scopes: scopes)
        if !allowUnboundVariables {
            let unbound = Self.unboundVariables(rule)
            if !unbound.isEmpty {
                throw lx.failure(
                    "unbound_variable",
                    "the rule contains variables that are not bound by predicates in the rule's body: "
                        + unbound.map { "$" + $0 }.joined(separator: ", "),
                    at: start, fatal: true)
            }
        }
        return rule
    }

    /// Variables of the head and of top-level expression operands missing from body predicates.
    static func unboundVariables(_ rule: Rule) -> [String] {
        var free = Set<String>()
        for case let .variable(v) in rule.head.terms { free.insert(v) }
        for e in rule.expressions {
            for case let .value(.variable(v)) in e.ops { free.insert(v) }
        }
        for p in rule.body {
            for case let .variable(v) in p.terms { free.remove(v) }
        }
        return free.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// `check if …`, `check all …` or `reject if …`.
    func checkInner() throws -> Check {
        lx.skipSpace()
        let kind: Check.Kind
        if lx.eat("check if", ignoringCase: true) {
            kind = .one
        } else if lx.eat("check all", ignoringCase: true) {
            kind = .all
        } else if lx.eat("reject if", ignoringCase: true) {
            kind = .reject
        } else {
            throw unexpected("'check if', 'check all' or 'reject if'")
        }
        return Check(kind: kind, queries: try cut(checkBody))
    }

    /// `allow if …` or `deny if …`.
    func policyInner() throws -> Policy {
        lx.skipSpace()
        let kind: Policy.Kind
        if lx.eat("allow if", ignoringCase: true) {
            kind = .allow
        } else if lx.eat("deny if", ignoringCase: true) {
            kind = .deny
        } else {
            throw unexpected("'allow if' or 'deny if'")
        }
        return Policy(kind: kind, queries: try cut(checkBody))
    }

    /// Rule bodies joined by `or`, each becoming a `query()` rule.
    private func checkBody() throws -> [Rule] {
        let bodies = try list1(
            { () -> Bool in
                lx.skipSpace()
                return lx.eat("or", ignoringCase: true)
            },
            { () throws -> ([Predicate], [Expression], [Scope]) in
                lx.skipSpace()
                return try cut(ruleBody)
            })
        return bodies.map { Rule(head: Predicate(name: "query", terms: []), body: $0.0, expressions: $0.1, scopes: $0.2) }
    }

    private enum BodyElement {
        case predicate(Predicate)
        case expression([Op])
    }

    /// Predicates and expressions separated by `,`, then optional `trusting …`.
    private func ruleBody() throws -> ([Predicate], [Expression], [Scope]) {
        let elements = try list1(comma) { () throws -> BodyElement in
            lx.skipSpace()
            return try cut(predicateOrExpression)
        }
        var predicates: [Predicate] = []
        var expressions: [Expression] = []
        for el in elements {
            switch el {
            case let .predicate(p): predicates.append(p)
            case let .expression(ops): expressions.append(Expression(ops: ops))
            }
        }
        return (predicates, expressions, try scopes())
    }

    private func predicateOrExpression() throws -> BodyElement {
        if let p = try attempt(predicate) { return .predicate(p) }
        return .expression(try expr())
    }

    /// `name(term, …)` where terms may be variables.
    private func predicate() throws -> Predicate {
        lx.skipSpace()
        let name = try lx.name()
        lx.skipSpace()
        try lx.expect("(")
        let terms = try terms(.predicate, required: true, cutAll: true)
        lx.skipSpace()
        try lx.expect(")", "')' or ','")
        return Predicate(name: name, terms: terms)
    }

    // MARK: Scopes

    /// `trusting scope, …` or nothing.
    private func scopes() throws -> [Scope] {
        let save = lx.pos
        lx.skipSpace()
        guard lx.eat("trusting") else {
            lx.pos = save
            return []
        }
        return try list1(comma) { () throws -> Scope in
            lx.skipSpace()
            return try cut(scope)
        }
    }

    private func scope() throws -> Scope {
        if lx.eat("authority") { return .authority }
        if lx.eat("previous") { return .previous }
        for (prefix, algorithm) in [("ed25519/", BiscuitPublicKey.Algorithm.ed25519), ("secp256r1/", .secp256r1)] {
            let start = lx.pos
            if lx.eat(prefix) {
                guard let bytes = try lx.hexDigits() else {
                    lx.pos = start
                    throw unexpected("hex digits of a public key")
                }
                let valid: Bool
                switch algorithm {
                case .ed25519: valid = bytes.count == 32
                case .secp256r1: valid = (bytes.count == 33 && (bytes[0] == 2 || bytes[0] == 3)) || (bytes.count == 65 && bytes[0] == 4)
                }
                if !valid {
                    throw lx.failure(
                        "invalid_public_key", "invalid \(algorithm.name) public key (\(bytes.count) bytes)",
                        at: start, fatal: true)
                }
                return .publicKey(BiscuitPublicKey(algorithm: algorithm, bytes: bytes))
            }
        }
        try lx.rejectParameter()
        throw unexpected("'authority', 'previous' or a public key such as ed25519/<hex>")
    }

    // MARK: Terms
    //
    // The recursive paths below use inline do/catch rather than the generic
    // helpers: unspecialised generic frames are large in debug builds.

    /// Where a term appears; each position accepts different kinds of term.
    enum TermContext {
        /// Predicate arguments and expression operands: variables and any value.
        case predicate
        /// Facts, array elements and map values: no variables.
        case fact
        /// Set elements: no variables, sets or arrays.
        case set
    }

    /// Scalar terms shared by all positions (after `{name}` parameters, strings and dates).
    private func scalarTerm() throws -> Term? {
        try lx.rejectParameter()
        if let s = try lx.stringLiteral() { return .string(s) }
        if let d = lx.date() { return .date(d) }
        return nil
    }

    private func scalarTail() throws -> Term? {
        if let i = try lx.integer() { return .integer(i) }
        if lx.eat("hex:") {
            if let b = try lx.hexDigits() { return .bytes(b) }
            lx.pos -= 4
            return nil
        }
        if lx.eat("true") { return .bool(true) }
        if lx.eat("false") { return .bool(false) }
        if lx.eat("null") { return .null }
        return nil
    }

    /// One term, trying alternatives in the reference's order for `context`.
    func term(_ context: TermContext) throws -> Term {
        lx.skipSpace()
        if let t = try scalarTerm() { return t }
        if context == .predicate, let v = try lx.variable() { return .variable(v) }
        if let t = try scalarTail() { return t }
        let start = lx.pos
        switch lx.current {
        case "[" where context != .set:
            return try array()
        case "{" where context == .fact:
            do { return try set() } catch let f as F where !f.fatal { lx.pos = start }
            return try map()
        case "{" where context == .predicate:
            do { return try map() } catch let f as F where !f.fatal { lx.pos = start }
            return try set()
        case "{":
            return try map()
        case "$":
            if context == .set { throw lx.failure("variable_in_set", "variables are not allowed in sets") }
            throw lx.failure("variable_in_fact", "variables are not allowed in facts, arrays and maps")
        case nil, ",", ")", "]", "}":
            throw unexpected("a term (missing term)")
        default:
            throw unexpected(context == .set ? "a set element" : "a term")
        }
    }

    /// Comma-separated terms. `required`: the first term must parse (fatally);
    /// `cutAll`: any failing term is fatal; otherwise a failing term ends the list.
    private func terms(_ context: TermContext, required: Bool, cutAll: Bool) throws -> [Term] {
        var out: [Term] = []
        let start = lx.pos
        do {
            out.append(try term(context))
        } catch var f as F {
            if f.fatal { throw f }
            if required {
                f.fatal = true
                throw f
            }
            lx.pos = start
            return out
        }
        while true {
            let save = lx.pos
            guard comma() else {
                lx.pos = save
                return out
            }
            do {
                out.append(try term(context))
            } catch var f as F {
                if f.fatal { throw f }
                if cutAll {
                    f.fatal = true
                    throw f
                }
                lx.pos = save
                return out
            }
        }
    }

    /// `{,}` or `{a, b, …}` with elements of one type.
    private func set() throws -> Term {
        if lx.eat("{,}") { return .set(TermSet([])) }
        lx.skipSpace()
        try lx.expect("{")
        try enter()
        defer { leave() }
        let start = lx.pos
        let elements = try terms(.set, required: true, cutAll: false)
        if let first = elements.first, elements.contains(where: { $0.rank != first.rank }) {
            throw lx.failure("invalid_set", "set elements must have the same type", at: start, fatal: true)
        }
        lx.skipSpace()
        try lx.expect("}", "'}' or ','")
        return .set(TermSet(elements))
    }

    /// `[a, b, …]` without variables.
    private func array() throws -> Term {
        lx.skipSpace()
        try lx.expect("[")
        try enter()
        defer { leave() }
        let elements = try terms(.fact, required: false, cutAll: false)
        lx.skipSpace()
        try lx.expect("]", "']' or ','")
        return .array(elements)
    }

    /// `{key: value, …}` with integer or string keys; `{}` is the empty map.
    private func map() throws -> Term {
        lx.skipSpace()
        try lx.expect("{")
        try enter()
        defer { leave() }
        var entries: [(MapKey, Term)] = []
        var save = lx.pos
        while true {
            do {
                let key = try mapKey()
                lx.skipSpace()
                try lx.expect(":")
                entries.append((key, try term(.fact)))
            } catch let f as F where !f.fatal {
                lx.pos = save
                break
            }
            save = lx.pos
            guard comma() else {
                lx.pos = save
                break
            }
        }
        lx.skipSpace()
        try lx.expect("}", "'}' or ','")
        return .map(TermMap(entries))
    }

    private func mapKey() throws -> MapKey {
        lx.skipSpace()
        try lx.rejectParameter()
        if let s = try lx.stringLiteral() { return .string(s) }
        if let i = try lx.integer() { return .integer(i) }
        throw unexpected("a map key (string or integer)")
    }

    // MARK: Expressions

    /// `||` level (lowest precedence).
    func expr() throws -> [Op] {
        try enter()
        defer { leave() }
        var ops = try expr1()
        while true {
            let save = lx.pos
            lx.skipSpace()
            guard lx.eat("||") else {
                lx.pos = save
                return ops
            }
            let rhs: [Op]
            do {
                rhs = try expr1()
            } catch let f as F where !f.fatal {
                lx.pos = save
                return ops
            }
            ops.append(.closure(params: [], ops: rhs))
            ops.append(.binary(.lazyOr))
        }
    }

    /// `&&` level.
    private func expr1() throws -> [Op] {
        var ops = try expr2()
        while true {
            let save = lx.pos
            lx.skipSpace()
            guard lx.eat("&&") else {
                lx.pos = save
                return ops
            }
            let rhs: [Op]
            do {
                rhs = try expr2()
            } catch let f as F where !f.fatal {
                lx.pos = save
                return ops
            }
            ops.append(.closure(params: [], ops: rhs))
            ops.append(.binary(.lazyAnd))
        }
    }

    /// Comparison level: at most one, non-associative comparison.
    private func expr2() throws -> [Op] {
        var stop = false
        var ops = try chain(minLevel: 3, stop: &stop)
        let save = lx.pos
        lx.skipSpace()
        guard let op = comparisonOperator() else {
            lx.pos = save
            return ops
        }
        do {
            var rhsStop = false
            ops.append(contentsOf: try chain(minLevel: 3, stop: &rhsStop))
            ops.append(.binary(op))
        } catch let f as F where !f.fatal {
            lx.pos = save
        }
        return ops
    }

    private static let comparisons: [(String, BinaryOp)] = [
        ("<=", .lessOrEqual), (">=", .greaterOrEqual), ("<", .lessThan), (">", .greaterThan),
        ("===", .equal), ("!==", .notEqual), ("==", .heterogeneousEqual), ("!=", .heterogeneousNotEqual),
    ]

    private func comparisonOperator() -> BinaryOp? {
        for (text, op) in Self.comparisons where lx.eat(text) { return op }
        return nil
    }

    /// Left-associative levels 3 (`^`), 4 (`|`), 5 (`&`), 6 (`+ -`), 7 (`* /`) by
    /// precedence climbing. `stop` is set when an operator's right operand failed:
    /// no enclosing level can then go on (their operators differ), as in the reference.
    private func chain(minLevel: Int, stop: inout Bool) throws -> [Op] {
        var lhs = try expr8(stop: &stop)
        while !stop {
            let save = lx.pos
            lx.skipSpace()
            guard let (op, level) = chainOperator(), level >= minLevel else {
                lx.pos = save
                return lhs
            }
            do {
                lhs.append(contentsOf: try chain(minLevel: level + 1, stop: &stop))
                lhs.append(.binary(op))
            } catch let f as F where !f.fatal {
                lx.pos = save
                stop = true
            }
        }
        return lhs
    }

    private func chainOperator() -> (BinaryOp, Int)? {
        switch lx.current {
        case "^": lx.pos += 1; return (.bitwiseXor, 3)
        case "|": lx.pos += 1; return (.bitwiseOr, 4)
        case "&": lx.pos += 1; return (.bitwiseAnd, 5)
        case "+": lx.pos += 1; return (.add, 6)
        case "-": lx.pos += 1; return (.sub, 6)
        case "*": lx.pos += 1; return (.mul, 7)
        case "/": lx.pos += 1; return (.div, 7)
        default: return nil
        }
    }

    /// Prefix `!` (applied to a `+ -` level expression) or a method chain.
    private func expr8(stop: inout Bool) throws -> [Op] {
        let save = lx.pos
        lx.skipSpace()
        if lx.eat("!") {
            try enter()
            defer { leave() }
            lx.skipSpace()
            var ops = try chain(minLevel: 6, stop: &stop)
            ops.append(.unary(.negate))
            return ops
        }
        lx.pos = save
        return try expr9()
    }

    /// A term or parenthesised expression followed by `.method(…)` calls.
    private func expr9() throws -> [Op] {
        var ops = try exprTerm()
        while lx.current == "." {
            lx.pos += 1
            let afterDot = lx.pos
            do {
                try binaryMethod(applyingTo: &ops)
                continue
            } catch let f as F where !f.fatal {
                lx.pos = afterDot
            }
            guard let op = try attempt(unaryMethod) else {
                throw unexpected("a method such as length(), contains(…) or extern::name(…)")
            }
            ops.append(.unary(op))
        }
        return ops
    }

    private static let binaryMethods: [(String, BinaryOp)] = [
        ("contains", .contains), ("starts_with", .prefix), ("ends_with", .suffix), ("matches", .regex),
        ("intersection", .intersection), ("union", .union), ("all", .all), ("any", .any), ("get", .get),
        ("try_or", .tryOr),
    ]

    /// `.name(arg)` applied to the receiver `ops` (which is only changed on success).
    private func binaryMethod(applyingTo ops: inout [Op]) throws {
        var method: BinaryOp?
        for (text, op) in Self.binaryMethods where lx.eat(text) {
            method = op
            break
        }
        if method == nil, lx.eat("extern::") { method = .ffi(try lx.name()) }
        guard let op = method else { throw unexpected("a method name") }
        try lx.expect("(")
        lx.skipSpace()
        var param: String?
        if op == .all || op == .any {
            try lx.expect("$", "a closure parameter such as '$p ->'")
            param = try lx.name()
            lx.skipSpace()
            try lx.expect("->")
            lx.skipSpace()
        }
        let arg = try expr()
        lx.skipSpace()
        try lx.expect(")")
        if op == .tryOr {
            ops = [.closure(params: [], ops: ops)] + arg
        } else if let param {
            ops.append(.closure(params: [param], ops: arg))
        } else {
            ops.append(contentsOf: arg)
        }
        ops.append(.binary(op))
    }

    private func unaryMethod() throws -> UnaryOp {
        let op: UnaryOp
        if lx.eat("length") {
            op = .length
        } else if lx.eat("type") {
            op = .typeOf
        } else if lx.eat("extern::") {
            op = .ffi(try lx.name())
        } else {
            throw unexpected("a method name")
        }
        try lx.expect("(")
        lx.skipSpace()
        try lx.expect(")")
        return op
    }

    /// `( expr )` or a term (no term starts with `(`).
    private func exprTerm() throws -> [Op] {
        lx.skipSpace()
        guard lx.eat("(") else { return [.value(try term(.predicate))] }
        lx.skipSpace()
        var ops = try expr()
        lx.skipSpace()
        try lx.expect(")")
        ops.append(.unary(.parens))
        return ops
    }
}
