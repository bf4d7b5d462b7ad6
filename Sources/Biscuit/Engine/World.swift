/// The Datalog engine's state: facts tagged with the set of origins that
/// produced them, and rules tagged with their origin and trusted origins.
///
/// Semantics follow the reference implementation: a fact is visible to a rule,
/// check or policy when its origin set is a subset of the trusted origins; a
/// generated fact's origin set is the union of the matched facts' origin sets
/// plus the rule's origin; rules are applied in rounds until no new fact appears.
public struct World: Sendable {
    /// Facts that share one origin set.
    public struct FactGroup: Hashable, Sendable {
        /// The origin set shared by the facts.
        public var origins: OriginSet
        /// The facts.
        public var facts: [Fact]
    }

    /// Extern functions available to expressions.
    public var externs: [String: ExternFunction]
    /// Total rule-application rounds performed by ``run(limits:)`` so far.
    public private(set) var iterations = 0

    var store = EngineFactStore()
    var rules: [EngineCompiledRule] = []

    /// An empty world with the given external functions.
    public init(externs: [String: ExternFunction] = [:]) {
        self.externs = externs
    }

    /// Adds a fact with a single origin.
    public mutating func addFact(_ fact: Fact, origin: Origin) {
        addFact(fact, origins: OriginSet(origin))
    }

    /// Adds a fact with an explicit origin set.
    public mutating func addFact(_ fact: Fact, origins: OriginSet) {
        store.insert(EngineName(fact.predicate.name), EngineFactRow(origins: origins, terms: fact.predicate.terms))
    }

    /// Adds a rule from `origin`, matching facts visible through `trusted`.
    public mutating func addRule(_ rule: Rule, origin: Origin, trusted: TrustedOrigins) {
        rules.append(EngineCompiledRule(rule, origin: origin, trusted: trusted))
    }

    /// Number of facts (one per fact and origin set).
    public var factCount: Int { store.count }

    /// All facts grouped by origin set, groups in ascending origin order and
    /// facts in insertion order.
    public var facts: [FactGroup] { groups { _ in true } }

    /// The facts visible through `trusted`, grouped by origin set.
    public func facts(visibleTo trusted: TrustedOrigins) -> [FactGroup] {
        groups { trusted.contains($0) }
    }

    private func groups(_ include: (OriginSet) -> Bool) -> [FactGroup] {
        var byOrigin: [OriginSet: [Fact]] = [:]
        var order: [OriginSet] = []
        for name in store.names {
            guard let rel = store.relation(name) else { continue }
            for row in rel.rows where include(row.origins) {
                if byOrigin[row.origins] == nil { order.append(row.origins) }
                byOrigin[row.origins, default: []].append(Fact(name: name.value, terms: row.terms))
            }
        }
        return order.sorted().map { FactGroup(origins: $0, facts: byOrigin[$0] ?? []) }
    }

    // MARK: - Running rules

    /// Applies the rules in rounds until no new fact appears.
    ///
    /// Throws ``ExecutionError/tooManyIterations`` when `limits.maxIterations`
    /// rounds produced new facts, ``ExecutionError/tooManyFacts`` when the world
    /// reaches `limits.maxFacts` facts, ``ExecutionError/timeout`` when
    /// `limits.maxTime` has elapsed (checked after each round as the reference
    /// does, and also inside a round so that a single huge join cannot hang),
    /// or the first expression error.
    public mutating func run(limits: RunLimits) throws(ExecutionError) {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limits.maxTime)
        var rounds = 0
        defer { iterations += rounds }
        while true {
            let pending = try nextRound(limits: limits, roundsDone: rounds, deadline: deadline)
            if pending.count == 0 { return }
            store.merge(pending)
            rounds += 1
            if rounds == limits.maxIterations { throw .tooManyIterations }
            if store.count >= limits.maxFacts { throw .tooManyFacts }
            if clock.now >= deadline { throw .timeout }
        }
    }

    /// Applies every rule once to the current facts; returns the facts not yet in the world.
    private func nextRound(limits: RunLimits, roundsDone: Int, deadline: ContinuousClock.Instant) throws(ExecutionError) -> EngineFactStore {
        var pending = EngineFactStore()
        for rule in rules {
            try store.join(
                rule.body, trusted: rule.trusted, variableCount: rule.variableNames.count,
                deadline: deadline
            ) { (bindings, origins) throws(ExecutionError) -> Bool in
                guard try rule.expressionsHold(bindings, externs: externs),
                    let terms = rule.headTerms(bindings)
                else { return true }
                var o = origins
                o.insert(rule.origin)
                let row = EngineFactRow(origins: o, terms: terms)
                if !store.contains(rule.headName, row), pending.insert(rule.headName, row),
                    store.count + pending.count >= limits.maxFacts
                {
                    // The round would end with new facts and at least maxFacts
                    // facts: stop now with the error the reference reports then.
                    throw roundsDone + 1 == limits.maxIterations ? .tooManyIterations : .tooManyFacts
                }
                return true
            }
        }
        return pending
    }

    // MARK: - Queries

    /// The facts `rule` generates from the facts visible through `trusted`
    /// (without inserting them), each once, with the origin set it would carry.
    public func queryWithOrigins(
        _ rule: Rule, origin: Origin, trusted: TrustedOrigins,
        deadline: ContinuousClock.Instant? = nil
    ) throws(ExecutionError) -> [(origins: OriginSet, fact: Fact)] {
        let compiled = EngineCompiledRule(rule, origin: origin, trusted: trusted)
        var seen = Set<EngineFactRow>()
        var result: [(origins: OriginSet, fact: Fact)] = []
        try store.join(
            compiled.body, trusted: trusted, variableCount: compiled.variableNames.count,
            deadline: deadline
        ) { (bindings, origins) throws(ExecutionError) -> Bool in
            guard try compiled.expressionsHold(bindings, externs: externs),
                let terms = compiled.headTerms(bindings)
            else { return true }
            var o = origins
            o.insert(origin)
            if seen.insert(EngineFactRow(origins: o, terms: terms)).inserted {
                result.append((o, Fact(name: rule.head.name, terms: terms)))
            }
            return true
        }
        return result
    }

    /// The distinct facts `rule` generates from the facts visible through `trusted`.
    public func query(
        _ rule: Rule, origin: Origin, trusted: TrustedOrigins,
        deadline: ContinuousClock.Instant? = nil
    ) throws(ExecutionError) -> [Fact] {
        var seen = Set<Fact>()
        var result: [Fact] = []
        for (_, fact) in try queryWithOrigins(rule, origin: origin, trusted: trusted, deadline: deadline)
        where seen.insert(fact).inserted {
            result.append(fact)
        }
        return result
    }

    /// `check if` / `allow if` / `deny if` / `reject if` semantics: true iff some
    /// combination of visible facts matches the body and satisfies every expression.
    /// The first expression error met before a match is thrown.
    public func queryMatch(
        _ rule: Rule, origin: Origin, trusted: TrustedOrigins,
        deadline: ContinuousClock.Instant? = nil
    ) throws(ExecutionError) -> Bool {
        let compiled = EngineCompiledRule(rule, origin: origin, trusted: trusted)
        var found = false
        try store.join(
            compiled.body, trusted: trusted, variableCount: compiled.variableNames.count,
            deadline: deadline
        ) { (bindings, _) throws(ExecutionError) -> Bool in
            guard try compiled.expressionsHold(bindings, externs: externs),
                compiled.headTerms(bindings) != nil
            else { return true }
            found = true
            return false
        }
        return found
    }

    /// `check all` semantics (the reference's `check_match_all`): false if no
    /// combination of visible facts matches the body; otherwise true iff every
    /// matching combination satisfies all expressions (stopping at the first
    /// that does not). The head is not considered.
    public func queryMatchAll(
        _ rule: Rule, origin: Origin, trusted: TrustedOrigins,
        deadline: ContinuousClock.Instant? = nil
    ) throws(ExecutionError) -> Bool {
        let compiled = EngineCompiledRule(rule, origin: origin, trusted: trusted)
        var found = false
        var allHold = true
        try store.join(
            compiled.body, trusted: trusted, variableCount: compiled.variableNames.count,
            deadline: deadline
        ) { (bindings, _) throws(ExecutionError) -> Bool in
            found = true
            if try !compiled.expressionsHold(bindings, externs: externs) {
                allHold = false
                return false
            }
            return true
        }
        return found && allHold
    }
}
