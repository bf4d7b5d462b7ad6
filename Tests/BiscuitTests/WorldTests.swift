import Testing

@testable import Biscuit

private func fact(_ name: String, _ terms: Term...) -> Fact { Fact(name: name, terms: terms) }
private func pred(_ name: String, _ terms: Term...) -> Predicate { Predicate(name: name, terms: terms) }
private func v(_ name: String) -> Term { .variable(name) }
private func s(_ x: String) -> Term { .string(x) }
private func i(_ x: Int64) -> Term { .integer(x) }
private let generous = RunLimits(maxFacts: 100_000, maxIterations: 1000, maxTime: .seconds(30))
private let authorizerTrust = TrustedOrigins.from(
    scopes: [], default: .authorityAndAuthorizer,
    currentBlock: .authorizer, blocksByPublicKey: [:])

private func block(_ n: Int) -> TrustedOrigins {
    TrustedOrigins.from(scopes: [], default: .authorityAndAuthorizer, currentBlock: .block(n), blocksByPublicKey: [:])
}

@Suite struct WorldTests {
    @Test func familyGrandparents() throws {
        var w = World()
        for (a, b) in [("A", "B"), ("B", "C"), ("C", "D")] { w.addFact(fact("parent", s(a), s(b)), origin: .block(0)) }
        let rule = Rule(
            head: pred("grandparent", v("gp"), v("gc")),
            body: [pred("parent", v("gp"), v("p")), pred("parent", v("p"), v("gc"))])
        // Querying does not insert.
        let queried = try w.query(rule, origin: .block(0), trusted: block(0))
        #expect(Set(queried) == [fact("grandparent", s("A"), s("C")), fact("grandparent", s("B"), s("D"))])
        #expect(w.factCount == 3)

        w.addRule(rule, origin: .block(0), trusted: block(0))
        try w.run(limits: generous)
        #expect(w.factCount == 5)
        let all = try w.query(
            Rule(head: pred("q", v("x"), v("y")), body: [pred("grandparent", v("x"), v("y"))]),
            origin: .authorizer, trusted: authorizerTrust)
        #expect(Set(all) == [fact("q", s("A"), s("C")), fact("q", s("B"), s("D"))])
        // Generated facts carry {0} (facts from block 0, rule from block 0).
        let groups = w.facts
        #expect(groups.count == 1)
        #expect(groups.first?.origins == OriginSet([.block(0)]))
        #expect(groups.first?.facts.count == 5)
    }

    @Test func constantsAndRepeatedVariables() throws {
        var w = World()
        w.addFact(fact("edge", i(1), i(1)), origin: .authorizer)
        w.addFact(fact("edge", i(1), i(2)), origin: .authorizer)
        w.addFact(fact("edge", i(2), i(3)), origin: .authorizer)
        let loops = try w.query(
            Rule(head: pred("loop", v("x")), body: [pred("edge", v("x"), v("x"))]),
            origin: .authorizer, trusted: authorizerTrust)
        #expect(loops == [fact("loop", i(1))])
        let fromTwo = try w.query(
            Rule(head: pred("to", v("y")), body: [pred("edge", i(2), v("y"))]),
            origin: .authorizer, trusted: authorizerTrust)
        #expect(fromTwo == [fact("to", i(3))])
        // Arity must match.
        let none = try w.query(Rule(head: pred("x", v("a")), body: [pred("edge", v("a"))]), origin: .authorizer, trusted: authorizerTrust)
        #expect(none.isEmpty)
    }

    @Test func originsAndVisibility() throws {
        var w = World()
        w.addFact(fact("right", s("file1")), origin: .block(0))
        w.addFact(fact("right", s("file2")), origin: .block(1))
        w.addFact(fact("resource", s("file2")), origin: .authorizer)
        let q = Rule(head: pred("q", v("r")), body: [pred("right", v("r"))])
        // The authorizer (default trust) sees block 0 only.
        #expect(try w.query(q, origin: .authorizer, trusted: authorizerTrust) == [fact("q", s("file1"))])
        // Block 1 sees block 0, itself and the authorizer.
        #expect(Set(try w.query(q, origin: .block(1), trusted: block(1))) == [fact("q", s("file1")), fact("q", s("file2"))])
        // The authorizer's check fails on block 1's right (spec example).
        let check = Rule(head: pred("query"), body: [pred("resource", v("r")), pred("right", v("r"))])
        #expect(try !w.queryMatch(check, origin: .authorizer, trusted: authorizerTrust))
        #expect(try w.queryMatch(check, origin: .block(1), trusted: block(1)))

        // A rule in block 1 deriving from block 0 and authorizer facts produces {0, 1, authorizer}.
        w.addRule(
            Rule(head: pred("granted", v("r")), body: [pred("resource", v("r")), pred("right", v("r"))]),
            origin: .block(1), trusted: block(1))
        try w.run(limits: generous)
        let withOrigins = try w.queryWithOrigins(
            Rule(head: pred("g", v("r")), body: [pred("granted", v("r"))]),
            origin: .block(1), trusted: block(1))
        #expect(withOrigins.count == 1)
        #expect(withOrigins.first?.origins == OriginSet([.block(1), .authorizer]))
        let granted = w.facts.first { $0.facts.contains(fact("granted", s("file2"))) }
        #expect(granted?.origins == OriginSet([.block(1), .authorizer]))
        // Not visible to the authorizer (origin includes block 1) nor to block 2.
        let g = Rule(head: pred("g", v("r")), body: [pred("granted", v("r"))])
        #expect(try w.query(g, origin: .authorizer, trusted: authorizerTrust).isEmpty)
        #expect(try w.query(g, origin: .block(2), trusted: block(2)).isEmpty)
        // facts(visibleTo:) filters by subset.
        let visible = w.facts(visibleTo: authorizerTrust).flatMap(\.facts)
        #expect(Set(visible) == [fact("right", s("file1")), fact("resource", s("file2"))])
    }

    @Test func rulesFromTheAuthorizerDeriveAuthorizerFacts() throws {
        var w = World()
        w.addFact(fact("user", i(1)), origin: .block(0))
        w.addRule(Rule(head: pred("known", v("u")), body: [pred("user", v("u"))]), origin: .authorizer, trusted: authorizerTrust)
        try w.run(limits: generous)
        #expect(w.facts.map(\.origins) == [OriginSet([.block(0)]), OriginSet([.block(0), .authorizer])])
        #expect(w.facts.map { $0.origins.description } == ["0", "0, authorizer"])
    }

    @Test func sameFactFromDifferentOriginsIsStoredPerOriginSet() {
        var w = World()
        w.addFact(fact("a", i(1)), origin: .block(0))
        w.addFact(fact("a", i(1)), origin: .block(0))
        #expect(w.factCount == 1)
        w.addFact(fact("a", i(1)), origin: .block(1))
        #expect(w.factCount == 2)
    }

    @Test func trustedOriginsFromScopes() {
        let key = BiscuitPublicKey(algorithm: .ed25519, bytes: Array(repeating: 7, count: 32))
        let other = BiscuitPublicKey(algorithm: .ed25519, bytes: Array(repeating: 8, count: 32))
        let byKey: [BiscuitPublicKey: [Int]] = [key: [2, 4]]
        func from(_ scopes: [Scope], _ current: Origin, _ def: TrustedOrigins = .authorityAndAuthorizer) -> [Origin] {
            TrustedOrigins.from(scopes: scopes, default: def, currentBlock: current, blocksByPublicKey: byKey).origins.origins
        }
        #expect(from([], .block(3)) == [.block(0), .block(3), .authorizer])
        #expect(from([], .authorizer) == [.block(0), .authorizer])
        #expect(from([], .block(3), TrustedOrigins([.block(2)])) == [.block(2), .block(3), .authorizer])
        #expect(from([.authority], .block(3)) == [.block(0), .block(3), .authorizer])
        #expect(from([.previous], .block(3)) == [.block(0), .block(1), .block(2), .block(3), .authorizer])
        #expect(from([.previous], .authorizer) == [.authorizer])
        #expect(from([.publicKey(key)], .block(1)) == [.block(1), .block(2), .block(4), .authorizer])
        #expect(from([.publicKey(other)], .block(1)) == [.block(1), .authorizer])
        #expect(from([.publicKey(key), .authority], .authorizer) == [.block(0), .block(2), .block(4), .authorizer])
        // Many blocks: beyond the first machine word.
        let big = from([.previous], .block(130))
        #expect(big.count == 132)
        #expect(big.last == .authorizer)
        #expect(big[129] == .block(129))
    }

    @Test func originSetBeyondOneWord() {
        var a = OriginSet([.block(1), .block(70)])
        let b = OriginSet([.block(1), .block(70), .block(200), .authorizer])
        #expect(a.isSubset(of: b))
        #expect(!b.isSubset(of: a))
        #expect(!OriginSet([.block(71)]).isSubset(of: b))
        a.formUnion(OriginSet([.block(200)]))
        #expect(a.contains(.block(200)))
        #expect(a.union(b) == b)
        #expect(a.count == 3)
        #expect(OriginSet([.block(0), .authorizer]) < OriginSet([.block(1)]))
    }

    @Test func scopedRuleSeesTrustedBlocks() throws {
        var w = World()
        w.addFact(fact("group", s("admin")), origin: .block(1))
        let key = BiscuitPublicKey(algorithm: .ed25519, bytes: Array(repeating: 1, count: 32))
        let check = Rule(head: pred("query"), body: [pred("group", s("admin"))], scopes: [.publicKey(key)])
        let trusted = TrustedOrigins.from(
            scopes: check.scopes, default: .authorityAndAuthorizer,
            currentBlock: .block(0), blocksByPublicKey: [key: [1]])
        #expect(try w.queryMatch(check, origin: .block(0), trusted: trusted))
        #expect(try !w.queryMatch(check, origin: .block(0), trusted: block(0)))
    }

    @Test func expressionsFilterAndErrors() throws {
        var w = World()
        for n in 1...5 { w.addFact(fact("n", i(Int64(n))), origin: .authorizer) }
        let big = Rule(
            head: pred("big", v("x")), body: [pred("n", v("x"))],
            expressions: [Expression(ops: [.value(v("x")), .value(i(3)), .binary(.greaterThan)])])
        #expect(Set(try w.query(big, origin: .authorizer, trusted: authorizerTrust)) == [fact("big", i(4)), fact("big", i(5))])
        // A non-boolean expression is InvalidType.
        let notBool = Rule(head: pred("q"), body: [pred("n", v("x"))], expressions: [Expression(ops: [.value(v("x"))])])
        #expect(throws: ExecutionError.invalidType) { try w.queryMatch(notBool, origin: .authorizer, trusted: authorizerTrust) }
        // Errors abort a run.
        var w2 = w
        w2.addRule(
            Rule(
                head: pred("o", v("x")), body: [pred("n", v("x"))],
                expressions: [Expression(ops: [.value(v("x")), .value(i(.max)), .binary(.add), .value(i(0)), .binary(.greaterThan)])]),
            origin: .authorizer, trusted: authorizerTrust)
        #expect(throws: ExecutionError.overflow) { try w2.run(limits: generous) }
        // Rules without a body: expressions alone decide.
        let noBody = Rule(head: pred("query"), body: [], expressions: [Expression(ops: [.value(.bool(true))])])
        #expect(try w.queryMatch(noBody, origin: .authorizer, trusted: authorizerTrust))
        let noBodyFalse = Rule(head: pred("query"), body: [], expressions: [Expression(ops: [.value(.bool(false))])])
        #expect(try !w.queryMatch(noBodyFalse, origin: .authorizer, trusted: authorizerTrust))
        // A head variable missing from the body never produces a result.
        let unbound = Rule(head: pred("q", v("y")), body: [pred("n", v("x"))])
        #expect(try !w.queryMatch(unbound, origin: .authorizer, trusted: authorizerTrust))
        #expect(try w.query(unbound, origin: .authorizer, trusted: authorizerTrust).isEmpty)
    }

    @Test func externsInRules() throws {
        var w = World(externs: [
            "double": ExternFunction { l, _ in
                guard case let .integer(x) = l else { return .failure("not an integer") }
                return .success(.integer(x * 2))
            }
        ])
        w.addFact(fact("n", i(2)), origin: .authorizer)
        w.addFact(fact("n", s("x")), origin: .authorizer)
        let ok = Rule(
            head: pred("query"), body: [pred("n", v("x"))],
            expressions: [Expression(ops: [.value(v("x")), .unary(.ffi("double")), .value(i(4)), .binary(.heterogeneousEqual)])])
        // Either the integer matches first (true) or the string fails first (error): both are reference behaviours,
        // so check with the string fact filtered out by a constant.
        let onlyInt = Rule(
            head: pred("query"), body: [pred("n", i(2))],
            expressions: [Expression(ops: [.value(i(2)), .unary(.ffi("double")), .value(i(4)), .binary(.heterogeneousEqual)])])
        #expect(try w.queryMatch(onlyInt, origin: .authorizer, trusted: authorizerTrust))
        #expect(throws: ExecutionError.externEvalError("double", "not an integer")) {
            try w.queryMatchAll(ok, origin: .authorizer, trusted: authorizerTrust)
        }
    }

    @Test func checkAllSemantics() throws {
        var w = World()
        w.addFact(fact("operation", s("read")), origin: .authorizer)
        w.addFact(fact("operation", s("write")), origin: .authorizer)
        func isRead() -> Expression { Expression(ops: [.value(v("op")), .value(s("read")), .binary(.heterogeneousEqual)]) }
        let allRead = Rule(head: pred("query"), body: [pred("operation", v("op"))], expressions: [isRead()])
        // check if: one match suffices.
        #expect(try w.queryMatch(allRead, origin: .authorizer, trusted: authorizerTrust))
        // check all: every match must satisfy the expressions.
        #expect(try !w.queryMatchAll(allRead, origin: .authorizer, trusted: authorizerTrust))
        var onlyRead = World()
        onlyRead.addFact(fact("operation", s("read")), origin: .authorizer)
        #expect(try onlyRead.queryMatchAll(allRead, origin: .authorizer, trusted: authorizerTrust))
        // No match at all: check all fails.
        let none = Rule(head: pred("query"), body: [pred("missing", v("op"))], expressions: [isRead()])
        #expect(try !w.queryMatchAll(none, origin: .authorizer, trusted: authorizerTrust))
        // Errors propagate.
        let bad = Rule(
            head: pred("query"), body: [pred("operation", v("op"))],
            expressions: [Expression(ops: [.value(v("op")), .value(i(1)), .binary(.add)])])
        #expect(throws: ExecutionError.invalidType) { try w.queryMatchAll(bad, origin: .authorizer, trusted: authorizerTrust) }
    }

    @Test func tooManyFacts() {
        var w = World()
        for n in 0..<100 { w.addFact(fact("n", i(Int64(n))), origin: .authorizer) }
        w.addRule(
            Rule(head: pred("pair", v("a"), v("b")), body: [pred("n", v("a")), pred("n", v("b"))]),
            origin: .authorizer, trusted: authorizerTrust)
        #expect(throws: ExecutionError.tooManyFacts) {
            try w.run(limits: RunLimits(maxFacts: 1000, maxIterations: 100, maxTime: .seconds(30)))
        }
    }

    @Test func tooManyIterations() throws {
        var w = World()
        w.addFact(fact("reached", i(0)), origin: .authorizer)
        for n in 0..<150 { w.addFact(fact("edge", i(Int64(n)), i(Int64(n + 1))), origin: .authorizer) }
        w.addRule(
            Rule(head: pred("reached", v("b")), body: [pred("reached", v("a")), pred("edge", v("a"), v("b"))]),
            origin: .authorizer, trusted: authorizerTrust)
        var limited = w
        #expect(throws: ExecutionError.tooManyIterations) {
            try limited.run(limits: RunLimits(maxFacts: 100_000, maxIterations: 100, maxTime: .seconds(60)))
        }
        #expect(limited.iterations == 100)
        try w.run(limits: RunLimits(maxFacts: 100_000, maxIterations: 1000, maxTime: .seconds(60)))
        #expect(w.iterations == 150)
        #expect(w.factCount == 1 + 150 + 150)
    }

    @Test func timeoutAfterARound() {
        var w = World()
        w.addFact(fact("a", i(1)), origin: .authorizer)
        w.addRule(Rule(head: pred("b", v("x")), body: [pred("a", v("x"))]), origin: .authorizer, trusted: authorizerTrust)
        #expect(throws: ExecutionError.timeout) { try w.run(limits: RunLimits(maxTime: .zero)) }
    }

    @Test func hugeJoinTimesOutInsteadOfHanging() {
        var w = World()
        for n in 0..<1000 { w.addFact(fact("n", i(Int64(n))), origin: .authorizer) }
        // 10^9 combinations, none producing a fact.
        let never = Expression(ops: [.value(.bool(false))])
        w.addRule(
            Rule(head: pred("t", v("a")), body: [pred("n", v("a")), pred("n", v("b")), pred("n", v("c"))], expressions: [never]),
            origin: .authorizer, trusted: authorizerTrust)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: ExecutionError.timeout) {
            try w.run(limits: RunLimits(maxFacts: 1000, maxIterations: 100, maxTime: .milliseconds(50)))
        }
        #expect(clock.now - start < .seconds(5))
        let check = Rule(head: pred("query"), body: [pred("n", v("a")), pred("n", v("b")), pred("n", v("c"))], expressions: [never])
        #expect(throws: ExecutionError.timeout) {
            try w.queryMatch(check, origin: .authorizer, trusted: authorizerTrust, deadline: clock.now.advanced(by: .milliseconds(50)))
        }
    }

    @Test func rulesInOneRoundDoNotSeeEachOthersOutput() throws {
        var w = World()
        w.addFact(fact("a", i(1)), origin: .authorizer)
        w.addRule(Rule(head: pred("c", v("x")), body: [pred("b", v("x"))]), origin: .authorizer, trusted: authorizerTrust)
        w.addRule(Rule(head: pred("b", v("x")), body: [pred("a", v("x"))]), origin: .authorizer, trusted: authorizerTrust)
        try w.run(limits: generous)
        #expect(w.iterations == 2)
        #expect(w.factCount == 3)
        #expect(Set(w.facts.flatMap(\.facts)) == [fact("a", i(1)), fact("b", i(1)), fact("c", i(1))])
    }

    @Test func factsWithVariablesNeverMatch() throws {
        var w = World()
        w.addFact(fact("odd", v("x")), origin: .authorizer)
        #expect(try w.query(Rule(head: pred("q", v("y")), body: [pred("odd", v("y"))]), origin: .authorizer, trusted: authorizerTrust).isEmpty)
    }
}
