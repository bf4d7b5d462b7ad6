/// A rule prepared for joining: body variables resolved to binding slots.
struct EngineCompiledRule {
    enum BodyTerm {
        /// Must equal this constant.
        case constant(Term)
        /// First occurrence of a variable: binds the slot.
        case bind(Int)
        /// Later occurrence: must equal the slot's value.
        case check(Int)
    }

    enum HeadTerm {
        case constant(Term)
        case slot(Int)
    }

    struct Atom {
        let name: EngineName
        let terms: [BodyTerm]
    }

    let headName: EngineName
    /// nil when the head uses a variable absent from the body (no fact is then produced).
    let head: [HeadTerm]?
    let body: [Atom]
    let expressions: [Expression]
    /// Slot index -> variable name.
    let variableNames: [String]
    let origin: Origin
    let trusted: TrustedOrigins

    init(_ rule: Rule, origin: Origin, trusted: TrustedOrigins) {
        var names: [String] = []
        func slot(_ name: String) -> Int? { names.firstIndex { utf8Equal($0, name) } }
        var atoms: [Atom] = []
        atoms.reserveCapacity(rule.body.count)
        for p in rule.body {
            var terms: [BodyTerm] = []
            terms.reserveCapacity(p.terms.count)
            for t in p.terms {
                if case let .variable(v) = t {
                    if let s = slot(v) {
                        terms.append(.check(s))
                    } else {
                        names.append(v)
                        terms.append(.bind(names.count - 1))
                    }
                } else {
                    terms.append(.constant(t))
                }
            }
            atoms.append(Atom(name: EngineName(p.name), terms: terms))
        }
        var head: [HeadTerm]? = []
        for t in rule.head.terms {
            if case let .variable(v) = t {
                guard let s = slot(v) else { head = nil; break }
                head?.append(.slot(s))
            } else {
                head?.append(.constant(t))
            }
        }
        self.headName = EngineName(rule.head.name)
        self.head = head
        self.body = atoms
        self.expressions = rule.expressions
        self.variableNames = names
        self.origin = origin
        self.trusted = trusted
    }

    /// True when every expression evaluates to `true`; `false` on the first
    /// `false`; a non-boolean result is ``ExecutionError/invalidType``.
    func expressionsHold(_ bindings: [Term], externs: [String: ExternFunction]) throws(ExecutionError) -> Bool {
        if expressions.isEmpty { return true }
        let env = EngineEnv(names: variableNames, values: bindings)
        for e in expressions {
            switch try ExpressionEvaluator.evaluate(e, env: env, externs: externs) {
            case .bool(true): continue
            case .bool(false): return false
            default: throw .invalidType
            }
        }
        return true
    }

    /// The head's terms under `bindings`, or nil when the head has an unbound variable.
    func headTerms(_ bindings: [Term]) -> [Term]? {
        guard let head else { return nil }
        return head.map {
            switch $0 {
            case let .constant(t): return t
            case let .slot(s): return bindings[s]
            }
        }
    }
}

extension EngineFactStore {
    /// Enumerates every combination of visible facts matching `body`, calling
    /// `visit` with the bindings (by slot) and the union of the facts' origin
    /// sets; stops when `visit` returns false. With an empty body, `visit` is
    /// called once with no origins.
    func join(
        _ body: [EngineCompiledRule.Atom],
        trusted: TrustedOrigins,
        variableCount: Int,
        deadline: ContinuousClock.Instant?,
        visit: (_ bindings: [Term], _ origins: OriginSet) throws(ExecutionError) -> Bool
    ) throws(ExecutionError) {
        var bindings = [Term](repeating: .null, count: variableCount)
        let n = body.count
        if n == 0 {
            _ = try visit(bindings, OriginSet())
            return
        }
        if n == 1 {
            // One body predicate (most checks): the loop below without its per-level state.
            let atom = body[0]
            guard let rel = relation(atom.name) else { return }
            var work = 0
            for row in rel.rows {
                work &+= 1
                if work & 1023 == 0, let deadline, ContinuousClock.now >= deadline { throw .timeout }
                guard row.terms.count == atom.terms.count, trusted.contains(row.origins),
                    Self.unify(atom.terms, row.terms, &bindings)
                else { continue }
                if try !visit(bindings, row.origins) { return }
            }
            return
        }
        var levelRows: [[EngineFactRow]] = []
        levelRows.reserveCapacity(n)
        for atom in body {
            guard let rel = relation(atom.name) else { return }  // no fact: no combination
            levelRows.append(rel.rows)
        }
        var cursor = [Int](repeating: 0, count: n)
        var origins = [OriginSet](repeating: OriginSet(), count: n + 1)
        var work = 0
        var level = 0
        while level >= 0 {
            let rows = levelRows[level]
            let atom = body[level]
            var matched = false
            while cursor[level] < rows.count {
                let row = rows[cursor[level]]
                cursor[level] += 1
                work &+= 1
                if work & 1023 == 0, let deadline, ContinuousClock.now >= deadline { throw .timeout }
                guard row.terms.count == atom.terms.count, trusted.contains(row.origins),
                    Self.unify(atom.terms, row.terms, &bindings)
                else { continue }
                origins[level + 1] = origins[level].union(row.origins)
                matched = true
                break
            }
            if !matched {
                cursor[level] = 0
                level -= 1
                continue
            }
            if level == n - 1 {
                if try !visit(bindings, origins[n]) { return }
            } else {
                level += 1
            }
        }
    }

    @inline(__always)
    static func unify(_ pattern: [EngineCompiledRule.BodyTerm], _ terms: [Term], _ bindings: inout [Term]) -> Bool {
        for i in 0..<pattern.count {
            let t = terms[i]
            if case .variable = t { return false }  // facts never match through variables
            switch pattern[i] {
            case let .constant(c): if c != t { return false }
            case let .bind(s): bindings[s] = t
            case let .check(s): if bindings[s] != t { return false }
            }
        }
        return true
    }
}
