import Testing

// Scoped Foundation imports: Foundation's own `Predicate` and `Expression` would clash with Biscuit's.
import struct Foundation.Data
import struct Foundation.Date
import class Foundation.ISO8601DateFormatter
import class Foundation.JSONSerialization
import class Foundation.ProcessInfo
import struct Foundation.URL

@testable import Biscuit

// MARK: - A small DSL that builds postfix expressions the way the reference parser does

/// An expression under construction: postfix ops, plus the term when it is a single value.
private struct PX {
    var ops: [Op]
    var term: Term?

    init(_ term: Term) { ops = [.value(term)]; self.term = term }
    init(ops: [Op]) { self.ops = ops; term = nil }

    var expression: Expression { Expression(ops: ops) }

    private static func bin(_ l: PX, _ r: PX, _ op: BinaryOp) -> PX { PX(ops: l.ops + r.ops + [.binary(op)]) }
    private static func lazy(_ l: PX, _ r: PX, _ op: BinaryOp) -> PX {
        PX(ops: l.ops + [.closure(params: [], ops: r.ops), .binary(op)])
    }
    private func un(_ op: UnaryOp) -> PX { PX(ops: ops + [.unary(op)]) }

    static func < (l: PX, r: PX) -> PX { bin(l, r, .lessThan) }
    static func > (l: PX, r: PX) -> PX { bin(l, r, .greaterThan) }
    static func <= (l: PX, r: PX) -> PX { bin(l, r, .lessOrEqual) }
    static func >= (l: PX, r: PX) -> PX { bin(l, r, .greaterOrEqual) }
    static func === (l: PX, r: PX) -> PX { bin(l, r, .equal) }
    static func !== (l: PX, r: PX) -> PX { bin(l, r, .notEqual) }
    static func == (l: PX, r: PX) -> PX { bin(l, r, .heterogeneousEqual) }
    static func != (l: PX, r: PX) -> PX { bin(l, r, .heterogeneousNotEqual) }
    static func + (l: PX, r: PX) -> PX { bin(l, r, .add) }
    static func - (l: PX, r: PX) -> PX { bin(l, r, .sub) }
    static func * (l: PX, r: PX) -> PX { bin(l, r, .mul) }
    static func / (l: PX, r: PX) -> PX { bin(l, r, .div) }
    static func & (l: PX, r: PX) -> PX { bin(l, r, .bitwiseAnd) }
    static func | (l: PX, r: PX) -> PX { bin(l, r, .bitwiseOr) }
    static func ^ (l: PX, r: PX) -> PX { bin(l, r, .bitwiseXor) }
    static func && (l: PX, r: PX) -> PX { lazy(l, r, .lazyAnd) }
    static func || (l: PX, r: PX) -> PX { lazy(l, r, .lazyOr) }
    static prefix func ! (x: PX) -> PX { x.un(.negate) }

    func contains(_ a: PX) -> PX { PX.bin(self, a, .contains) }
    func startsWith(_ a: PX) -> PX { PX.bin(self, a, .prefix) }
    func endsWith(_ a: PX) -> PX { PX.bin(self, a, .suffix) }
    func matches(_ a: PX) -> PX { PX.bin(self, a, .regex) }
    func intersection(_ a: PX) -> PX { PX.bin(self, a, .intersection) }
    func union(_ a: PX) -> PX { PX.bin(self, a, .union) }
    func get(_ a: PX) -> PX { PX.bin(self, a, .get) }
    func ext(_ name: String, _ a: PX) -> PX { PX.bin(self, a, .ffi(name)) }
    /// `.try_or()`: the left operand becomes a closure without parameters.
    func tryOr(_ a: PX) -> PX { PX(ops: [.closure(params: [], ops: ops)] + a.ops + [.binary(.tryOr)]) }
    func all(_ p: String, _ body: PX) -> PX { PX(ops: ops + [.closure(params: [p], ops: body.ops), .binary(.all)]) }
    func any(_ p: String, _ body: PX) -> PX { PX(ops: ops + [.closure(params: [p], ops: body.ops), .binary(.any)]) }
    func length() -> PX { un(.length) }
    func typeOf() -> PX { un(.typeOf) }
    func ext(_ name: String) -> PX { un(.ffi(name)) }
}

/// Fixture vocabulary: static helpers are callable unqualified inside `PF` and its extensions.
private enum PF {
    static func i(_ v: Int64) -> PX { PX(.integer(v)) }
    static func s(_ v: String) -> PX { PX(.string(v)) }
    static func v(_ name: String) -> PX { PX(.variable(name)) }
    static func b(_ v: Bool) -> PX { PX(.bool(v)) }
    static let null = PX(.null)
    static func hx(_ text: String) -> PX { PX(.bytes(hexBytes(text))) }
    static func dt(_ text: String) -> PX {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        let seconds = f.date(from: text).map { UInt64($0.timeIntervalSince1970) } ?? UInt64.max
        return PX(.date(seconds))
    }
    static func st(_ items: PX...) -> PX { PX(.set(TermSet(items.map(term)))) }
    static func ar(_ items: PX...) -> PX { PX(.array(items.map(term))) }
    static func mp(_ entries: [(MapKey, PX)]) -> PX { PX(.map(TermMap(entries.map { ($0.0, term($0.1)) }))) }
    static func paren(_ x: PX) -> PX { PX(ops: x.ops + [.unary(.parens)]) }

    static func term(_ x: PX) -> Term { x.term ?? .string("<not a term>") }
    static func hexBytes(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8).compactMap { c -> UInt8? in
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
        return stride(from: 0, to: digits.count - 1, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }
    static func ed(_ hex: String) -> Scope { .publicKey(BiscuitPublicKey(algorithm: .ed25519, bytes: hexBytes(hex))) }
    static func p256(_ hex: String) -> Scope { .publicKey(BiscuitPublicKey(algorithm: .secp256r1, bytes: hexBytes(hex))) }

    static func p(_ name: String, _ args: PX...) -> Predicate { Predicate(name: name, terms: args.map(term)) }
    static func fact(_ name: String, _ args: PX...) -> Fact { Fact(Predicate(name: name, terms: args.map(term))) }
    static func rule(_ head: Predicate, _ body: [Predicate], _ exprs: [PX] = [], trusting: [Scope] = []) -> Rule {
        Rule(head: head, body: body, expressions: exprs.map(\.expression), scopes: trusting)
    }
    /// One alternative of a check or policy (its head is `query()`, which is never printed).
    static func q(_ body: [Predicate], _ exprs: [PX] = [], trusting: [Scope] = []) -> Rule {
        rule(Predicate(name: "query", terms: []), body, exprs, trusting: trusting)
    }
    static func checkIf(_ queries: Rule...) -> Check { Check(kind: .one, queries: queries) }
    static func checkAll(_ queries: Rule...) -> Check { Check(kind: .all, queries: queries) }
    static func rejectIf(_ queries: Rule...) -> Check { Check(kind: .reject, queries: queries) }
    /// `check if <expression>` (no predicates).
    static func checkExpr(_ e: PX) -> Check { checkIf(q([], [e])) }
    static func allowIf(_ queries: Rule...) -> Policy { Policy(kind: .allow, queries: queries) }
    static func denyIf(_ queries: Rule...) -> Policy { Policy(kind: .deny, queries: queries) }
    static let allowTrue = allowIf(q([], [b(true)]))
    static func authorizer(_ facts: [Fact], checks: [Check] = [], policies: [Policy] = [allowTrue]) -> BlockSource {
        BlockSource(facts: facts, checks: checks, policies: policies)
    }
}

// MARK: - Fixtures: the AST of every block and authorizer code of the conformance samples

extension PF {
    static let k1 = "acdd6d5b53bfee478bf689f8e012fe7988bf755e3d7c5152947abc149bc20189"
    static let k2 = "a060270db7e9c9f06e8f9cc33a64e99f6596af12cb01c4b638df8afc7b642463"
    static let k3 = "f98da8c1cf907856431bfc3dc87531e0eaadba90f919edc232405b85877ef136"
    static let kp = "025e918fd4463832aea2823dfd9716a36b4d9b1377bd53dd82ddf4c0bc75ed6bbf"

    static let rights3 = [fact("right", s("file1"), s("read")), fact("right", s("file2"), s("read")), fact("right", s("file1"), s("write"))]
    static let checkRead = checkIf(q([p("resource", v("0")), p("operation", s("read")), p("right", v("0"), s("read"))]))
    static let basic = [BlockSource(facts: rights3), BlockSource(checks: [checkRead])]
    static let file2Read = authorizer([fact("resource", s("file2")), fact("operation", s("read"))])
    static let authorizerCheck = checkIf(q([p("right", v("0"), v("1")), p("resource", v("0")), p("operation", v("1"))]))

    /// Blocks of each sample, by file name.
    static let blocks: [String: [BlockSource]] = [
        "test001_basic.bc": basic,
        "test002_different_root_key.bc": [BlockSource(facts: [fact("right", s("file1"), s("read"))]), BlockSource(checks: [checkRead])],
        "test003_invalid_signature_format.bc": basic,
        "test004_random_block.bc": basic,
        "test005_invalid_signature.bc": basic,
        "test006_reordered_blocks.bc": basic + [BlockSource(checks: [checkIf(q([p("resource", s("file1"))]))])],
        "test007_scoped_rules.bc": [
            BlockSource(facts: [fact("user_id", s("alice")), fact("owner", s("alice"), s("file1"))]),
            BlockSource(
                rules: [rule(p("right", v("0"), s("read")), [p("resource", v("0")), p("user_id", v("1")), p("owner", v("1"), v("0"))])],
                checks: [checkRead]),
            BlockSource(facts: [fact("owner", s("alice"), s("file2"))]),
        ],
        "test008_scoped_checks.bc": [
            BlockSource(facts: [fact("right", s("file1"), s("read"))]),
            BlockSource(checks: [checkRead]),
            BlockSource(facts: [fact("right", s("file2"), s("read"))]),
        ],
        "test009_expired_token.bc": [
            BlockSource(),
            BlockSource(checks: [
                checkIf(q([p("resource", s("file1"))])),
                checkIf(q([p("time", v("time"))], [v("time") <= dt("2018-12-20T00:00:00Z")])),
            ]),
        ],
        "test010_authorizer_scope.bc": [
            BlockSource(facts: [fact("right", s("file1"), s("read"))]),
            BlockSource(facts: [fact("right", s("file2"), s("read"))]),
        ],
        "test011_authorizer_authority_caveats.bc": [BlockSource(facts: [fact("right", s("file1"), s("read"))])],
        "test012_authority_caveats.bc": [BlockSource(checks: [checkIf(q([p("resource", s("file1"))]))])],
        "test013_block_rules.bc": [
            BlockSource(facts: [fact("right", s("file1"), s("read")), fact("right", s("file2"), s("read"))]),
            BlockSource(
                rules: [
                    rule(
                        p("valid_date", s("file1")), [p("time", v("0")), p("resource", s("file1"))],
                        [v("0") <= dt("2030-12-31T12:59:59Z")]),
                    rule(
                        p("valid_date", v("1")), [p("time", v("0")), p("resource", v("1"))],
                        [v("0") <= dt("1999-12-31T12:59:59Z"), !st(s("file1")).contains(v("1"))]),
                ],
                checks: [checkIf(q([p("valid_date", v("0")), p("resource", v("0"))]))]),
        ],
        "test014_regex_constraint.bc": [
            BlockSource(checks: [checkIf(q([p("resource", v("0"))], [v("0").matches(s("file[0-9]+.txt"))]))])
        ],
        "test015_multi_queries_caveats.bc": [BlockSource(facts: [fact("must_be_present", s("hello"))])],
        "test016_caveat_head_name.bc": [
            BlockSource(checks: [checkIf(q([p("resource", s("hello"))]))]),
            BlockSource(facts: [fact("query", s("test"))]),
        ],
        "test017_expressions.bc": [BlockSource(checks: test017)],
        "test018_unbound_variables_in_rule.bc": [
            BlockSource(checks: [checkIf(q([p("operation", s("read"))]))]),
            BlockSource(rules: [rule(p("operation", v("unbound"), s("read")), [p("operation", v("any1"), v("any2"))])]),
        ],
        "test019_generating_ambient_from_variables.bc": [
            BlockSource(checks: [checkIf(q([p("operation", s("read"))]))]),
            BlockSource(rules: [rule(p("operation", s("read")), [p("operation", v("any"))])]),
        ],
        "test020_sealed.bc": basic,
        "test021_parsing.bc": [BlockSource(facts: [fact("ns::fact_123", s("hello é\t😁"))])],
        "test022_default_symbols.bc": [BlockSource(facts: defaultSymbolPredicates.map(Fact.init))],
        "test023_execution_scope.bc": [
            BlockSource(facts: [fact("authority_fact", i(1))]),
            BlockSource(facts: [fact("block1_fact", i(1))]),
            BlockSource(checks: [checkIf(q([p("authority_fact", v("var"))])), checkIf(q([p("block1_fact", v("var"))]))]),
        ],
        "test024_third_party.bc": [
            BlockSource(facts: [fact("right", s("read"))], checks: [checkIf(q([p("group", s("admin"))], trusting: [ed(k1)]))]),
            BlockSource(facts: [fact("group", s("admin"))], checks: [checkIf(q([p("right", s("read"))]))]),
        ],
        "test025_check_all.bc": [
            BlockSource(
                facts: [fact("allowed_operations", st(s("A"), s("B")))],
                checks: [
                    checkAll(
                        q(
                            [p("operation", v("op")), p("allowed_operations", v("allowed"))],
                            [v("allowed").contains(v("op"))]))
                ])
        ],
        "test026_public_keys_interning.bc": test026,
        "test027_integer_wraparound.bc": [
            BlockSource(checks: [
                checkExpr(i(10_000_000_000) * i(10_000_000_000) !== i(0)),
                checkExpr(i(Int64.max) + i(1) !== i(0)),
                checkExpr(i(Int64.min) - i(1) !== i(0)),
            ])
        ],
        "test028_expressions_v4.bc": [
            BlockSource(checks: [
                checkExpr(b(true) !== b(false)),
                checkExpr(i(1) !== i(3)),
                checkExpr(i(1) | (i(2) ^ i(3)) === i(0)),
                checkExpr(s("abcD12x") !== s("abcD12")),
                checkExpr(dt("2022-12-04T09:46:41Z") !== dt("2020-12-04T09:46:41Z")),
                checkExpr(hx("12abcd") !== hx("12ab")),
                checkExpr(st(i(1), i(4)) !== st(i(1), i(2))),
            ])
        ],
        "test029_reject_if.bc": [BlockSource(checks: [rejectIf(q([p("test", v("test"))], [v("test")]))])],
        "test030_null.bc": [
            BlockSource(checks: [
                checkIf(q([p("fact", null, v("value"))], [v("value") == null])),
                rejectIf(q([p("fact", null, v("value"))], [v("value") != null])),
            ])
        ],
        "test031_heterogeneous_equal.bc": [BlockSource(checks: test031)],
        "test032_laziness_closures.bc": [BlockSource(checks: test032)],
        "test033_typeof.bc": test033,
        "test034_array_map.bc": [BlockSource(checks: test034)],
        "test035_ffi.bc": [
            BlockSource(checks: [checkIf(q([], [b(true).ext("test"), s("a").ext("test", s("a")) == s("equal strings")]))])
        ],
        "test036_secp256r1.bc": basic,
        "test037_secp256r1_third_party.bc": [
            BlockSource(facts: rights3, checks: [checkIf(q([p("from_third", b(true))], trusting: [p256(kp)]))]),
            BlockSource(facts: [fact("from_third", b(true))], checks: [checkRead]),
        ],
        "test038_try_op.bc": [
            BlockSource(checks: [
                checkExpr(paren(b(true) === i(12)).tryOr(b(true))),
                checkExpr(paren(paren(b(true) === i(12)).tryOr(b(true) === i(12))).tryOr(b(true))),
                rejectIf(q([], [paren(b(true) == i(12)).tryOr(b(true))])),
            ])
        ],
    ]

    static let defaultSymbolPredicates: [Predicate] = [
        "read", "write", "resource", "operation", "right", "time", "role", "owner", "tenant", "namespace",
        "user", "team", "service", "admin", "email", "group", "member", "ip_address", "client", "client_ip",
        "domain", "path", "version", "cluster", "node", "hostname", "nonce", "query",
    ].enumerated().map { p($0.element, i(Int64($0.offset))) }

    static var test017: [Check] {
        let d1 = dt("2019-12-04T09:46:41Z"), d2 = dt("2020-12-04T09:46:41Z")
        return [
            checkExpr(b(true)),
            checkExpr(!b(false)),
            checkExpr(b(true) === b(true)),
            checkExpr(b(false) === b(false)),
            checkExpr(i(1) < i(2)),
            checkExpr(i(2) > i(1)),
            checkExpr(i(1) <= i(2)),
            checkExpr(i(1) <= i(1)),
            checkExpr(i(2) >= i(1)),
            checkExpr(i(2) >= i(2)),
            checkExpr(i(3) === i(3)),
            checkExpr(i(1) + i(2) * i(3) - i(4) / i(2) === i(5)),
            checkIf(q([], [s("hello world").startsWith(s("hello")), s("hello world").endsWith(s("world"))])),
            checkExpr(s("aaabde").matches(s("a*c?.e"))),
            checkExpr(s("aaabde").contains(s("abd"))),
            checkExpr(s("aaabde") === s("aaa") + s("b") + s("de")),
            checkExpr(s("abcD12") === s("abcD12")),
            checkExpr(s("abcD12").length() === i(6)),
            checkExpr(s("é").length() === i(2)),
            checkExpr(d1 < d2),
            checkExpr(d2 > d1),
            checkExpr(d1 <= d2),
            checkExpr(d2 >= d2),
            checkExpr(d2 >= d1),
            checkExpr(d2 >= d2),
            checkExpr(d2 === d2),
            checkExpr(hx("12ab") === hx("12ab")),
            checkExpr(st(i(1), i(2)).contains(i(2))),
            checkExpr(st(d2, d1).contains(d2)),
            checkExpr(st(b(true), b(false)).contains(b(true))),
            checkExpr(st(s("def"), s("abc")).contains(s("abc"))),
            checkExpr(st(hx("34de"), hx("12ab")).contains(hx("34de"))),
            checkExpr(st(i(2), i(1)).contains(st(i(2)))),
            checkExpr(st(i(1), i(2)) === st(i(1), i(2))),
            checkExpr(st(i(1), i(2)).intersection(st(i(2), i(3))) === st(i(2))),
            checkExpr(st(i(1), i(2)).union(st(i(2), i(3))) === st(i(1), i(2), i(3))),
            checkExpr(st(i(1), i(2), i(3)).intersection(st(i(1), i(2))).contains(i(1))),
            checkExpr(st(i(1), i(2), i(3)).intersection(st(i(1), i(2))).length() === i(2)),
            checkExpr(st().length() === i(0)),
        ]
    }

    static var test026: [BlockSource] {
        let c23 = checkIf(q([p("query", i(2)), p("query", i(3))], trusting: [ed(k2)]))
        let c1 = checkIf(q([p("query", i(1))], trusting: [ed(k1)]))
        return [
            BlockSource(facts: [fact("query", i(0))], checks: [checkIf(q([], [b(true)], trusting: [.previous, ed(k1)]))]),
            BlockSource(
                facts: [fact("query", i(1))],
                rules: [rule(p("query", i(1), i(2)), [p("query", i(1)), p("query", i(2))], trusting: [ed(k2)])],
                checks: [c23, c1]),
            BlockSource(facts: [fact("query", i(2))], checks: [c23, c1]),
            BlockSource(facts: [fact("query", i(3))], checks: [c23, c1]),
            BlockSource(
                facts: [fact("query", i(4))],
                checks: [
                    checkIf(q([p("query", i(2))], trusting: [ed(k2)])),
                    checkIf(q([p("query", i(4))], trusting: [ed(k3)])),
                ]),
        ]
    }

    static var test031: [Check] {
        let dA = dt("2022-12-04T09:46:41Z"), dB = dt("2020-12-04T09:46:41Z")
        return [
            checkExpr(b(true) == b(true)),
            checkExpr(b(false) == b(false)),
            checkExpr(b(false) != b(true)),
            checkExpr(i(1) != b(true)),
            checkExpr(i(1) == i(1)),
            checkExpr(i(1) != i(3)),
            checkExpr(i(1) != b(true)),
            checkExpr(s("abcD12") == s("abcD12")),
            checkExpr(s("abcD12x") != s("abcD12")),
            checkExpr(s("abcD12x") != b(true)),
            checkExpr(dA == dA),
            checkExpr(dA != dB),
            checkExpr(dA != b(true)),
            checkExpr(hx("12abcd") == hx("12abcd")),
            checkExpr(hx("12abcd") != hx("12ab")),
            checkExpr(hx("12abcd") != b(true)),
            checkExpr(st(i(1), i(2)) == st(i(1), i(2))),
            checkExpr(st(i(1), i(4)) != st(i(1), i(2))),
            checkExpr(st(i(1), i(4)) != b(true)),
            checkIf(q([p("fact", i(1), v("value"))], [i(1) == v("value")])),
            checkIf(q([p("fact2", i(1), v("value"))], [i(1) != v("value")])),
        ]
    }

    static var test032: [Check] {
        let s123 = st(i(1), i(2), i(3))
        return [
            checkExpr(!b(false) && b(true)),
            checkExpr(b(false) || b(true)),
            checkExpr(paren(b(true) || b(false)) && b(true)),
            checkExpr(!paren(b(false) && s("x").intersection(s("x")))),
            checkExpr(b(true) || s("x").intersection(s("x"))),
            checkExpr(s123.all("p", v("p") > i(0))),
            checkExpr(!s123.all("p", v("p") == i(2))),
            checkExpr(s123.any("p", v("p") > i(2))),
            checkExpr(!s123.any("p", v("p") > i(3))),
            checkExpr(s123.any("p", v("p") > i(1) && st(i(3), i(4), i(5)).any("q", v("p") == v("q")))),
        ]
    }

    static var test033: [BlockSource] {
        let date = dt("2023-12-28T00:00:00Z")
        func typeIs(_ x: PX, _ name: String) -> PX { x.typeOf() == s(name) }
        func bound(_ pred: String, _ name: String) -> Check { checkIf(q([p(pred, v("t"))], [typeIs(v("t"), name)])) }
        return [
            BlockSource(
                facts: [
                    fact("integer", i(1)), fact("string", s("test")), fact("date", date), fact("bytes", hx("aa")),
                    fact("bool", b(true)), fact("set", st(b(false), b(true))), fact("null", null),
                    fact("array", ar(i(1), i(2), i(3))), fact("map", mp([(.string("a"), b(true))])),
                ],
                checks: [
                    checkExpr(typeIs(i(1), "integer")), bound("integer", "integer"),
                    checkExpr(typeIs(s("test"), "string")), bound("string", "string"),
                    checkExpr(typeIs(paren(date), "date")), bound("date", "date"),
                    checkExpr(typeIs(hx("aa"), "bytes")), bound("bytes", "bytes"),
                    checkExpr(typeIs(b(true), "bool")), bound("bool", "bool"),
                    checkExpr(typeIs(st(b(true), b(false)), "set")), bound("set", "set"),
                    checkExpr(typeIs(null, "null")), bound("null", "null"),
                    bound("array", "array"),
                    bound("map", "map"),
                ])
        ]
    }

    static var test034: [Check] {
        let abcd = mp([(.string("a"), i(1)), (.string("b"), i(2)), (.string("c"), i(3)), (.string("d"), i(4))])
        let m12 = mp([(.integer(1), s("a")), (.integer(2), s("b"))])
        let mab = mp([(.string("a"), i(1)), (.string("b"), i(2))])
        let mixed = mp([(.string("b"), i(2)), (.string("a"), i(1)), (.integer(1), s("A"))])
        let user = mp([(.string("user"), mp([(.string("id"), i(1)), (.string("roles"), ar(s("admin")))]))])
        return [
            checkExpr(ar(i(1), i(2), i(1)).length() == i(3)),
            checkExpr(ar(s("a"), s("b")) != b(true)),
            checkExpr(ar(s("a"), s("b")) != ar(i(1), i(2), i(3))),
            checkExpr(ar(s("a"), s("b")) == ar(s("a"), s("b"))),
            checkExpr(ar(s("a"), s("b")) === ar(s("a"), s("b"))),
            checkExpr(ar(s("a"), s("b")) !== ar(s("a"), s("c"))),
            checkExpr(ar(s("a"), s("b"), s("c")).contains(s("c"))),
            checkExpr(ar(i(1), i(2), i(3)).startsWith(ar(i(1), i(2)))),
            checkExpr(ar(i(4), i(5), i(6)).endsWith(ar(i(6)))),
            checkExpr(ar(i(1), i(2), s("a")).get(i(2)) == s("a")),
            checkExpr(ar(i(1), i(2)).get(i(3)) == null),
            checkExpr(ar(i(1), i(2), i(3)).all("p", v("p") > i(0))),
            checkExpr(ar(i(1), i(2), i(3)).any("p", v("p") > i(2))),
            checkExpr(abcd.length() == i(4)),
            checkExpr(m12 != b(true)),
            checkExpr(m12 != mab),
            checkExpr(m12 == m12),
            checkExpr(m12 !== mab),
            checkExpr(m12 === m12),
            checkExpr(abcd.contains(s("d"))),
            checkExpr(mixed.get(s("a")) == i(1)),
            checkExpr(mixed.get(i(1)) == s("A")),
            checkExpr(mixed.get(s("c")) == null),
            checkExpr(mixed.get(i(2)) == null),
            checkExpr(mab.all("kv", v("kv").get(i(0)) != s("c") && v("kv").get(i(1)) < i(3))),
            checkExpr(mixed.any("kv", v("kv").get(i(0)) == i(1) && v("kv").get(i(1)) == s("A"))),
            checkExpr(user.get(s("user")).get(s("roles")).contains(s("admin"))),
        ]
    }

    /// Authorizer code of each validation, by file name then validation name.
    static var authorizers: [String: [String: BlockSource]] {
        let allowOnly = authorizer([])
        return [
            "test001_basic.bc": ["": authorizer([fact("resource", s("file1"))])],
            "test007_scoped_rules.bc": ["": file2Read],
            "test008_scoped_checks.bc": ["": file2Read],
            "test009_expired_token.bc": [
                "": authorizer([
                    fact("resource", s("file1")), fact("operation", s("read")), fact("time", dt("2020-12-21T09:23:12Z")),
                ])
            ],
            "test010_authorizer_scope.bc": ["": authorizer([fact("resource", s("file2")), fact("operation", s("read"))], checks: [authorizerCheck])],
            "test011_authorizer_authority_caveats.bc": [
                "": authorizer([fact("resource", s("file2")), fact("operation", s("read"))], checks: [authorizerCheck])
            ],
            "test012_authority_caveats.bc": [
                "file1": authorizer([fact("resource", s("file1")), fact("operation", s("read"))]),
                "file2": file2Read,
            ],
            "test013_block_rules.bc": [
                "file1": authorizer([fact("resource", s("file1")), fact("time", dt("2020-12-21T09:23:12Z"))]),
                "file2": authorizer([fact("resource", s("file2")), fact("time", dt("2020-12-21T09:23:12Z"))]),
            ],
            "test014_regex_constraint.bc": [
                "file1": authorizer([fact("resource", s("file1"))]),
                "file123": authorizer([fact("resource", s("file123.txt"))]),
            ],
            "test015_multi_queries_caveats.bc": [
                "": authorizer(
                    [],
                    checks: [
                        checkIf(q([p("must_be_present", v("0"))]), q([p("must_be_present", v("0"))]))
                    ])
            ],
            "test016_caveat_head_name.bc": ["": allowOnly],
            "test017_expressions.bc": ["": allowOnly],
            "test019_generating_ambient_from_variables.bc": ["": authorizer([fact("operation", s("write"))])],
            "test020_sealed.bc": ["": authorizer([fact("resource", s("file1")), fact("operation", s("read"))])],
            "test021_parsing.bc": ["": authorizer([], checks: [checkIf(q([p("ns::fact_123", s("hello é\t😁"))]))])],
            "test022_default_symbols.bc": ["": authorizer([], checks: [checkIf(q(defaultSymbolPredicates))])],
            "test023_execution_scope.bc": ["": allowOnly],
            "test024_third_party.bc": ["": allowOnly],
            "test025_check_all.bc": [
                "A, B": authorizer([fact("operation", s("A")), fact("operation", s("B"))]),
                "A, invalid": authorizer([fact("operation", s("A")), fact("operation", s("invalid"))]),
                "no matches": allowOnly,
            ],
            "test026_public_keys_interning.bc": [
                "": authorizer(
                    [],
                    checks: [checkIf(q([p("query", i(1), i(2))], trusting: [ed(k1), ed(k2)]))],
                    policies: [
                        denyIf(q([p("query", i(3))])),
                        denyIf(q([p("query", i(1), i(2))])),
                        denyIf(q([p("query", i(0))], trusting: [ed(k1)])),
                        allowTrue,
                    ])
            ],
            "test027_integer_wraparound.bc": ["": allowOnly],
            "test028_expressions_v4.bc": ["": allowOnly],
            "test029_reject_if.bc": [
                "": authorizer([fact("test", b(false))]),
                "rejection": authorizer([fact("test", b(true))]),
            ],
            "test030_null.bc": [
                "": authorizer([fact("fact", null, null)]),
                "rejection1": authorizer([fact("fact", null, i(1))]),
                "rejection2": authorizer([fact("fact", null, b(true))]),
                "rejection3": authorizer([fact("fact", null, s("abcd"))]),
            ],
            "test031_heterogeneous_equal.bc": [
                "": authorizer([fact("fact", i(1), i(1)), fact("fact2", i(1), i(2))]),
                "evaluate to false": authorizer(
                    [fact("fact", i(1), i(2)), fact("fact2", i(1), i(1))],
                    checks: [checkExpr(b(false) != b(false))]),
            ],
            "test032_laziness_closures.bc": [
                "": allowOnly,
                "shadowing": authorizer(
                    [],
                    policies: [
                        allowIf(q([], [st(s("true")).any("p", st(s("true")).all("p", v("p")))]))
                    ]),
            ],
            "test033_typeof.bc": ["": allowOnly],
            "test034_array_map.bc": ["": allowOnly],
            "test035_ffi.bc": ["": allowOnly],
            "test036_secp256r1.bc": ["": authorizer([fact("resource", s("file1")), fact("operation", s("read"))])],
            "test037_secp256r1_third_party.bc": ["": authorizer([fact("resource", s("file1")), fact("operation", s("read"))])],
            "test038_try_op.bc": [
                "": allowOnly,
                "right-hand side does not catch errors": authorizer(
                    [],
                    checks: [
                        checkExpr(b(true).tryOr(b(true) === i(12)))
                    ]),
            ],
        ]
    }

    // AIP vectors

    static let tool = checkIf(q([p("tool", v("t"))], [ar(s("research:read")).contains(v("t"))]))
    static let aipAuthority = BlockSource(
        facts: [
            fact("identity", s("aip:web:acme.com/orchestrator")), fact("right", s("research:read")),
            fact("max_depth", i(3)), fact("budget_ceiling", i(500)),
        ],
        checks: [
            checkIf(q([p("tool", v("t"))], [ar(s("research:read"), s("write:draft")).contains(v("t"))])),
            checkIf(q([p("time", v("t"))], [v("t") <= dt("2030-01-01T00:00:00Z")])),
        ])
    static let aipDelegation = BlockSource(
        facts: [
            fact("delegator", s("aip:web:acme.com/orchestrator")), fact("delegate", s("aip:web:acme.com/researcher")),
            fact("context", s("literature review for user query")), fact("budget_ceiling", i(100)),
        ],
        checks: [tool])
    static var aipSetSyntax: BlockSource {
        var block = aipAuthority
        block.checks[0] = checkIf(q([p("tool", v("t"))], [st(s("write:draft"), s("research:read")).contains(v("t"))]))
        return block
    }
    static let aipChain = [
        aipAuthority, aipDelegation,
        BlockSource(checks: [rejectIf(q([p("tool", s("email:send"))]))]),
        BlockSource(checks: [checkIf(q([p("time", v("t"))], [v("t") <= dt("2029-01-01T00:00:00Z")]))]),
    ]
    static let aipStartsWith = BlockSource(
        facts: [fact("identity", s("aip:web:acme.com/orchestrator"))],
        checks: [
            checkIf(
                q([p("tool", v("t"))], [ar(s("report:daily")).contains(v("t"))]),
                q([p("tool", v("t"))], [v("t").startsWith(s("tool:"))]))
        ])
    /// AIP authorizations: facts tool/time/depth and `allow if tool(...)`.
    static func aipAuthorizer(tool name: String, time: String, depth: Int64) -> BlockSource {
        authorizer(
            [fact("tool", s(name)), fact("time", dt(time)), fact("depth", i(depth))],
            policies: [allowIf(q([p("tool", s(name))]))])
    }
}

// MARK: - Shared data

private enum PrinterShared {
    static func json(_ relative: String) -> [String: Any]? {
        let url = SharedData.root.appendingPathComponent(relative)
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            Issue.record("\(url.path) could not be read")
            return nil
        }
        return object
    }
}

// MARK: - Tests

@Suite("DatalogPrinter")
struct DatalogPrinterTests {
    @Test(
        "every block of samples.json prints byte for byte as its \"code\"",
        .enabled(if: SharedData.samplesAvailable, "../shared/biscuit-samples is missing: NOT tested"))
    func sampleBlocks() {
        guard let samples = PrinterShared.json("biscuit-samples/samples.json"),
            let cases = samples["testcases"] as? [[String: Any]]
        else { return }
        #expect(cases.count == 38)
        var compared = 0
        for testCase in cases {
            let file = testCase["filename"] as? String ?? "?"
            let blocks = testCase["token"] as? [[String: Any]] ?? []
            guard let fixtures = PF.blocks[file] else {
                Issue.record("no fixture for \(file)")
                continue
            }
            #expect(fixtures.count == blocks.count, "\(file): block count")
            for (index, (block, fixture)) in zip(blocks, fixtures).enumerated() {
                let expected = block["code"] as? String ?? "<missing code>"
                let printed = DatalogPrinter.printBlock(fixture)
                #expect(printed == expected, "\(file) block \(index)")
                #expect(DatalogPrinter.printBlock(fixture, includingScopes: false) == expected)
                compared += 1
            }
        }
        #expect(compared == 65)
    }

    @Test(
        "authorizer code of samples.json validations prints byte for byte",
        .enabled(if: SharedData.samplesAvailable, "../shared/biscuit-samples is missing: NOT tested"))
    func sampleAuthorizers() {
        guard let samples = PrinterShared.json("biscuit-samples/samples.json"),
            let cases = samples["testcases"] as? [[String: Any]]
        else { return }
        let fixtures = PF.authorizers
        var compared = 0
        for testCase in cases {
            let file = testCase["filename"] as? String ?? "?"
            let validations = testCase["validations"] as? [String: [String: Any]] ?? [:]
            for (name, validation) in validations {
                let expected = validation["authorizer_code"] as? String ?? ""
                guard let fixture = fixtures[file]?[name] else {
                    // Only validations that fail before authorization have no code.
                    #expect(expected.isEmpty, "no fixture for \(file) / \(name)")
                    continue
                }
                #expect(DatalogPrinter.printAuthorizer(fixture) == expected, "\(file) / \(name)")
                compared += 1
            }
        }
        #expect(compared == 44)
    }

    @Test(
        "AIP vector printed block sources and authorizer code", .enabled(if: SharedData.vectorsAvailable, "../shared/vectors is missing: NOT tested"))
    func aipVector() {
        guard let vector = PrinterShared.json("vectors/aip_vector.json") else { return }
        let printed = vector["printed_block_source"] as? [String] ?? []
        #expect(printed.count == 2)
        #expect(printed.first == DatalogPrinter.printBlock(PF.aipAuthority))
        #expect(printed.last == DatalogPrinter.printBlock(PF.aipDelegation))

        let authorizations = vector["authorizations"] as? [[String: Any]] ?? []
        let fixtures = [
            PF.aipAuthorizer(tool: "research:read", time: "2026-06-01T00:00:00Z", depth: 1),
            PF.aipAuthorizer(tool: "write:draft", time: "2026-06-01T00:00:00Z", depth: 1),
            PF.aipAuthorizer(tool: "email:send", time: "2026-06-01T00:00:00Z", depth: 1),
            PF.aipAuthorizer(tool: "research:read", time: "2031-01-01T00:00:00Z", depth: 1),
            PF.aipAuthorizer(tool: "research:read", time: "2030-01-01T00:00:00Z", depth: 1),
            PF.aipAuthorizer(tool: "write:draft", time: "2026-06-01T00:00:00Z", depth: 0),
        ]
        #expect(authorizations.count == fixtures.count)
        for (authorization, fixture) in zip(authorizations, fixtures) {
            // The vector's authorizer code is the input source (no blank separators);
            // the block printer reproduces it since it only holds facts then a policy.
            let expected = authorization["authorizer_code"] as? String ?? "<missing>"
            let asBlock =
                DatalogPrinter.printBlock(fixture)
                + fixture.policies.map { DatalogPrinter.print($0) + ";\n" }.joined()
            #expect(asBlock == expected)
        }
        // Check failures quoted in error messages use the check printer.
        let error = authorizations.count > 2 ? authorizations[2]["error"] as? String ?? "" : ""
        #expect(error.contains(DatalogPrinter.print(PF.aipAuthority.checks[0])))
        #expect(error.contains(DatalogPrinter.print(PF.tool)))
    }

    @Test(
        "extra vectors: set syntax, v3.3 chain, starts_with alternatives",
        .enabled(if: SharedData.vectorsAvailable, "../shared/vectors is missing: NOT tested"))
    func extraVectors() {
        guard let extra = PrinterShared.json("vectors/extra_vectors.json") else { return }
        let set = extra["extra_set_syntax"] as? [String: Any] ?? [:]
        #expect(set["printed"] as? String == DatalogPrinter.printBlock(PF.aipSetSyntax))

        let chain = (extra["extra_v33_chain"] as? [String: Any])?["printed"] as? [String] ?? []
        #expect(chain.count == PF.aipChain.count)
        #expect(chain == PF.aipChain.map { DatalogPrinter.printBlock($0) })

        let startsWith = extra["extra_starts_with"] as? [String: Any] ?? [:]
        #expect(startsWith["printed"] as? String == DatalogPrinter.printBlock(PF.aipStartsWith))
        let denial = startsWith["report:weekly"] as? String ?? ""
        #expect(denial.hasSuffix(": " + DatalogPrinter.print(PF.aipStartsWith.checks[0])))
    }

    @Test("terms")
    func terms() {
        #expect(DatalogPrinter.print(Term.integer(-42)) == "-42")
        #expect(DatalogPrinter.print(Term.integer(Int64.min)) == "-9223372036854775808")
        #expect(DatalogPrinter.print(Term.string("a\"b\\c\n")) == "\"a\"b\\c\n\"")
        #expect(DatalogPrinter.print(Term.variable("x")) == "$x")
        #expect(DatalogPrinter.print(Term.bytes([])) == "hex:")
        #expect(DatalogPrinter.print(Term.bytes([0x00, 0xff, 0x1a])) == "hex:00ff1a")
        #expect(DatalogPrinter.print(Term.set(TermSet([]))) == "{,}")
        #expect(DatalogPrinter.print(Term.set(TermSet([.string("b"), .integer(3), .string("a"), .integer(3)]))) == "{3, \"a\", \"b\"}")
        #expect(DatalogPrinter.print(Term.array([])) == "[]")
        #expect(DatalogPrinter.print(Term.map(TermMap([]))) == "{}")
        #expect(
            DatalogPrinter.print(Term.map(TermMap([(.string("k"), .null), (.integer(-1), .array([.bool(false)]))]))) == "{-1: [false], \"k\": null}")
        #expect(DatalogPrinter.print(Term.null) == "null")
    }

    @Test("dates: RFC 3339, whole range and invalid values")
    func dates() {
        #expect(DatalogPrinter.print(Term.date(0)) == "1970-01-01T00:00:00Z")
        #expect(DatalogPrinter.print(Term.date(1_893_456_000)) == "2030-01-01T00:00:00Z")
        #expect(DatalogPrinter.print(Term.date(951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(DatalogPrinter.print(Term.date(253_402_300_799)) == "9999-12-31T23:59:59Z")
        #expect(DatalogPrinter.print(Term.date(253_402_300_800)) == "<invalid date>")
        // Values above Int64.max are read as negative timestamps, as the reference does.
        #expect(DatalogPrinter.print(Term.date(UInt64(bitPattern: -1))) == "1969-12-31T23:59:59Z")
        #expect(DatalogPrinter.print(Term.date(UInt64(bitPattern: -62_167_219_200))) == "0000-01-01T00:00:00Z")
        #expect(DatalogPrinter.print(Term.date(UInt64(bitPattern: -62_167_219_201))) == "<invalid date>")
        #expect(DatalogPrinter.print(Term.date(UInt64.max / 2 + 1)) == "<invalid date>")
    }

    @Test("expressions: every operator")
    func operators() {
        let a = Op.value(.variable("a")), b = Op.value(.variable("b"))
        let cases: [(BinaryOp, String)] = [
            (.lessThan, "$a < $b"), (.greaterThan, "$a > $b"), (.lessOrEqual, "$a <= $b"), (.greaterOrEqual, "$a >= $b"),
            (.equal, "$a === $b"), (.notEqual, "$a !== $b"), (.heterogeneousEqual, "$a == $b"),
            (.heterogeneousNotEqual, "$a != $b"), (.contains, "$a.contains($b)"), (.prefix, "$a.starts_with($b)"),
            (.suffix, "$a.ends_with($b)"), (.regex, "$a.matches($b)"), (.add, "$a + $b"), (.sub, "$a - $b"),
            (.mul, "$a * $b"), (.div, "$a / $b"), (.and, "$a &&! $b"), (.or, "$a ||! $b"),
            (.intersection, "$a.intersection($b)"), (.union, "$a.union($b)"), (.bitwiseAnd, "$a & $b"),
            (.bitwiseOr, "$a | $b"), (.bitwiseXor, "$a ^ $b"), (.lazyAnd, "$a && $b"), (.lazyOr, "$a || $b"),
            (.all, "$a.all($b)"), (.any, "$a.any($b)"), (.get, "$a.get($b)"), (.ffi("f"), "$a.extern::f($b)"),
            (.tryOr, "$a.try_or($b)"),
        ]
        for (op, text) in cases {
            #expect(DatalogPrinter.print(Expression(ops: [a, b, .binary(op)])) == text)
        }
        let unary: [(UnaryOp, String)] = [
            (.negate, "!$a"), (.parens, "($a)"), (.length, "$a.length()"), (.typeOf, "$a.type()"), (.ffi("g"), "$a.extern::g()"),
        ]
        for (op, text) in unary {
            #expect(DatalogPrinter.print(Expression(ops: [a, .unary(op)])) == text)
        }
        let closure = Expression(ops: [a, .closure(params: ["x", "y"], ops: [.value(.variable("x"))]), .binary(.any)])
        #expect(DatalogPrinter.print(closure) == "$a.any($x, $y -> $x)")
    }

    @Test("malformed and deeply nested expressions do not crash")
    func malformed() {
        #expect(DatalogPrinter.print(Expression(ops: [])) == DatalogPrinter.invalidExpression)
        #expect(DatalogPrinter.print(Expression(ops: [.binary(.add)])) == "<invalid expression>")
        #expect(DatalogPrinter.print(Expression(ops: [.unary(.negate)])) == "<invalid expression>")
        #expect(DatalogPrinter.printIfValid(Expression(ops: [.value(.integer(1)), .value(.integer(2))])) == nil)
        #expect(DatalogPrinter.printIfValid(Expression(ops: [.closure(params: [], ops: [])])) == nil)

        var ops: [Op] = [.value(.bool(true))]
        for _ in 0..<10_000 { ops = [.closure(params: [], ops: ops)] }
        #expect(DatalogPrinter.printIfValid(Expression(ops: ops)) == nil)

        var term = Term.integer(1)
        for _ in 0..<10_000 { term = .array([term]) }
        #expect(DatalogPrinter.print(term).contains("<too deep>"))

        let long = Expression(ops: [.value(.integer(0))] + Array(repeating: [Op.value(.integer(1)), .binary(.add)], count: 2000).flatMap { $0 })
        #expect(DatalogPrinter.print(long).hasSuffix(" + 1"))
    }

    @Test("rules, checks and policies with empty parts")
    func emptyParts() {
        let head = Predicate(name: "h", terms: [])
        #expect(DatalogPrinter.print(Rule(head: head, body: [])) == "h() <- ")
        #expect(DatalogPrinter.print(Check(kind: .one, queries: [])) == "check if ")
        #expect(DatalogPrinter.print(Policy(kind: .deny, queries: [])) == "deny")
        #expect(DatalogPrinter.print(Policy(kind: .allow, queries: [])) == "allow")
        let trueRule = Rule(head: head, body: [], expressions: [Expression(ops: [.value(.bool(true))])], scopes: [.authority])
        #expect(DatalogPrinter.print(trueRule) == "h() <- true trusting authority")
        #expect(
            DatalogPrinter.print(Check(kind: .reject, queries: [trueRule, trueRule]))
                == "reject if true trusting authority or true trusting authority")
        #expect(DatalogPrinter.print(Fact(name: "f", terms: [])) == "f()")
    }

    @Test("block-level scopes and authorizer layout")
    func blockLayout() {
        let key = BiscuitPublicKey(algorithm: .ed25519, bytes: [0xab, 0x01])
        let block = BlockSource(
            facts: [Fact(name: "f", terms: [.integer(1)])],
            rules: [Rule(head: Predicate(name: "r", terms: [.variable("x")]), body: [Predicate(name: "f", terms: [.variable("x")])])],
            checks: [
                Check(kind: .all, queries: [Rule(head: Predicate(name: "query", terms: []), body: [Predicate(name: "r", terms: [.integer(1)])])])
            ],
            scopes: [.authority, .previous, .publicKey(key)],
            policies: [Policy(kind: .allow, queries: [])])
        #expect(DatalogPrinter.print(Scope.publicKey(key)) == "ed25519/ab01")
        #expect(
            DatalogPrinter.printBlock(block, includingScopes: true)
                == "trusting authority, previous, ed25519/ab01;\nf(1);\nr($x) <- f($x);\ncheck all r(1);\n")
        #expect(DatalogPrinter.printBlock(block) == "f(1);\nr($x) <- f($x);\ncheck all r(1);\n", "the reference omits block scopes")
        #expect(DatalogPrinter.printAuthorizer(block) == "f(1);\n\nr($x) <- f($x);\n\ncheck all r(1);\n\nallow;\n")
        #expect(DatalogPrinter.printBlock(BlockSource()) == "")
        #expect(DatalogPrinter.printAuthorizer(BlockSource()) == "")
    }
}
