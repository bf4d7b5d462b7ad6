import Biscuit

/// The canonical Datalog of AIP chained tokens (draft-prakash-aip-01 tokens §7):
/// what the issuer writes, and the shapes the verifier's structural walk reads.
public enum CanonicalDatalog {
    /// `check if tool($t), [...].contains($t) [or tool($t), $t.starts_with("p")]… [or tool($t)]`.
    public static func toolCheck(_ scopes: ScopeSet) -> Check {
        var queries: [Rule] = []
        let toolBody = [Predicate(name: "tool", terms: [.variable("t")])]
        if !scopes.exact.isEmpty {
            queries.append(
                Rule(
                    head: query, body: toolBody,
                    expressions: [
                        Expression(ops: [.value(.array(scopes.exact.map(Term.string))), .value(.variable("t")), .binary(.contains)])
                    ]))
        }
        for p in scopes.prefixes {
            queries.append(
                Rule(
                    head: query, body: toolBody,
                    expressions: [
                        Expression(ops: [.value(.variable("t")), .value(.string(p)), .binary(.prefix)])
                    ]))
        }
        if scopes.wildcard { queries.append(Rule(head: query, body: toolBody)) }
        return Check(kind: .one, queries: queries)
    }

    /// `check if time($t), $t <= <expiry>`.
    public static func timeCheck(expiry: UInt64) -> Check {
        Check(
            kind: .one,
            queries: [
                Rule(
                    head: query, body: [Predicate(name: "time", terms: [.variable("t")])],
                    expressions: [Expression(ops: [.value(.variable("t")), .value(.date(expiry)), .binary(.lessOrEqual)])])
            ])
    }

    static let query = Predicate(name: "query", terms: [])

    /// Reads a tool check back. Returns nil when the check does not mention `tool`;
    /// throws when it does but is not in canonical form.
    public static func scopes(of check: Check) throws(AIPError) -> ScopeSet? {
        let mentionsTool = check.queries.contains { q in q.body.contains { $0.name == "tool" } }
        guard mentionsTool else { return nil }
        func bad(_ why: String) -> AIPError {
            AIPError(.tokenMalformed, step: .v4, "non-canonical tool check (\(why)): \(DatalogPrinter.print(check))")
        }
        guard check.kind == .one else { throw bad("not `check if`") }
        var scopes = ScopeSet()
        for q in check.queries {
            guard q.scopes.isEmpty, q.body.count == 1, q.body[0].name == "tool", q.body[0].terms.count == 1,
                case let .variable(v) = q.body[0].terms[0]
            else { throw bad("body must be exactly tool($t)") }
            switch q.expressions.count {
            case 0:
                scopes.wildcard = true
            case 1:
                let ops = q.expressions[0].ops
                if ops.count == 3, case let .value(collection) = ops[0], ops[1] == .value(.variable(v)), ops[2] == .binary(.contains) {
                    let elements: [Term]
                    switch collection {
                    case let .array(a): elements = a
                    case let .set(s): elements = s.elements
                    default: throw bad("contains() on something other than a list")
                    }
                    for e in elements {
                        guard case let .string(s) = e else { throw bad("non-string scope") }
                        scopes.exact.append(s)
                    }
                } else if ops.count == 3, ops[0] == .value(.variable(v)), case let .value(.string(p)) = ops[1], ops[2] == .binary(.prefix) {
                    scopes.prefixes.append(p)
                } else {
                    throw bad("unrecognised expression")
                }
            default:
                throw bad("more than one expression")
            }
        }
        return scopes
    }

    /// Reads a time check back: nil when the check does not mention `time`; throws when non-canonical.
    public static func expiry(of check: Check) throws(AIPError) -> UInt64? {
        let mentionsTime = check.queries.contains { q in q.body.contains { $0.name == "time" } }
        guard mentionsTime else { return nil }
        let bad = AIPError(.tokenMalformed, step: .v4, "non-canonical time check: \(DatalogPrinter.print(check))")
        guard check.kind == .one, check.queries.count == 1 else { throw bad }
        let q = check.queries[0]
        guard q.scopes.isEmpty, q.body.count == 1, q.body[0].name == "time", q.body[0].terms.count == 1,
            case let .variable(v) = q.body[0].terms[0], q.expressions.count == 1
        else { throw bad }
        let ops = q.expressions[0].ops
        guard ops.count == 3, ops[0] == .value(.variable(v)), case let .value(.date(d)) = ops[1], ops[2] == .binary(.lessOrEqual) else {
            throw bad
        }
        return d
    }
}
