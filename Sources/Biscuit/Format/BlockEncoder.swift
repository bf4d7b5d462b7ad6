import BiscuitSchema

/// Turns Datalog into protobuf blocks, interning symbols and public keys in the
/// same order as the reference implementation so that the bytes match.
struct BlockEncoder {
    var symbols: SymbolTable
    var publicKeys: PublicKeyTable

    /// Encodes a block. New symbols and keys are added to the tables and listed in the block.
    mutating func encode(_ source: BlockSource, context: String?, minimumVersion: UInt32 = DatalogVersion.minimum) throws(BiscuitError)
        -> Biscuit_Format_Schema_Block
    {
        guard source.policies.isEmpty else { throw .invalidBuilder("a token block cannot contain policies") }
        for fact in source.facts where !fact.predicate.terms.allSatisfy(\.isGround) {
            throw .invalidBuilder("fact \(fact.predicate.name) contains a variable")
        }
        let symbolStart = symbols.symbols.count
        let keyStart = publicKeys.keys.count

        var block = Biscuit_Format_Schema_Block()
        block.facts = source.facts.map { f in
            var out = Biscuit_Format_Schema_Fact()
            out.predicate = predicate(f.predicate)
            return out
        }
        block.rules = source.rules.map { rule($0) }
        block.checks = source.checks.map { c in
            var out = Biscuit_Format_Schema_Check()
            out.queries = c.queries.map { rule($0) }
            switch c.kind {
            case .one: break
            case .all: out.kind = .all
            case .reject: out.kind = .reject
            }
            return out
        }
        block.scope = source.scopes.map { scope($0) }
        block.symbols = symbols.symbols(since: symbolStart)
        block.publicKeys = publicKeys.keys[keyStart...].map(BlockEncoder.publicKey)
        if let context { block.context = context }
        block.version = max(DatalogVersion.Features(source).version, minimumVersion)
        return block
    }

    static func publicKey(_ k: BiscuitPublicKey) -> Biscuit_Format_Schema_PublicKey {
        var out = Biscuit_Format_Schema_PublicKey()
        out.algorithm = k.algorithm == .ed25519 ? .ed25519 : .secp256R1
        out.key = .init(k.bytes)
        return out
    }

    mutating func rule(_ r: Rule) -> Biscuit_Format_Schema_Rule {
        var out = Biscuit_Format_Schema_Rule()
        out.head = predicate(r.head)
        out.body = r.body.map { predicate($0) }
        out.expressions = r.expressions.map { e in
            var x = Biscuit_Format_Schema_Expression()
            x.ops = ops(e.ops)
            return x
        }
        out.scope = r.scopes.map { scope($0) }
        return out
    }

    mutating func predicate(_ p: Predicate) -> Biscuit_Format_Schema_Predicate {
        var out = Biscuit_Format_Schema_Predicate()
        out.name = symbols.insert(p.name)
        out.terms = p.terms.map { term($0) }
        return out
    }

    mutating func scope(_ s: Scope) -> Biscuit_Format_Schema_Scope {
        var out = Biscuit_Format_Schema_Scope()
        switch s {
        case .authority: out.scopeType = .authority
        case .previous: out.scopeType = .previous
        case let .publicKey(k): out.publicKey = publicKeys.insert(k)
        }
        return out
    }

    mutating func term(_ t: Term) -> Biscuit_Format_Schema_Term {
        var out = Biscuit_Format_Schema_Term()
        switch t {
        case let .variable(name): out.variable = UInt32(truncatingIfNeeded: symbols.insert(name))
        case let .integer(i): out.integer = i
        case let .string(s): out.string = symbols.insert(s)
        case let .date(d): out.date = d
        case let .bytes(b): out.bytes = .init(b)
        case let .bool(b): out.bool = b
        case .null: out.null = Biscuit_Format_Schema_Empty()
        case let .set(s):
            // Interned in printing order, serialised in symbol-index order (the reference's set order).
            var set = Biscuit_Format_Schema_TermSet()
            set.set = s.elements.map { term($0) }.sorted(by: BlockEncoder.wireOrder)
            out.set = set
        case let .array(a):
            var array = Biscuit_Format_Schema_Array()
            array.array = a.map { term($0) }
            out.array = array
        case let .map(m):
            var entries: [(Biscuit_Format_Schema_MapKey, Biscuit_Format_Schema_Term)] = []
            for entry in m.entries {
                var key = Biscuit_Format_Schema_MapKey()
                switch entry.key {
                case let .integer(i): key.integer = i
                case let .string(s): key.string = symbols.insert(s)
                }
                entries.append((key, term(entry.value)))
            }
            entries.sort { BlockEncoder.wireOrder($0.0, $1.0) }
            var map = Biscuit_Format_Schema_Map()
            map.entries = entries.map { k, v in
                var e = Biscuit_Format_Schema_MapEntry()
                e.key = k
                e.value = v
                return e
            }
            out.map = map
        }
        return out
    }

    mutating func ops(_ list: [Op]) -> [Biscuit_Format_Schema_Op] {
        list.map { op in
            var out = Biscuit_Format_Schema_Op()
            switch op {
            case let .value(t): out.value = term(t)
            case let .unary(u):
                var x = Biscuit_Format_Schema_OpUnary()
                switch u {
                case .negate: x.kind = .negate
                case .parens: x.kind = .parens
                case .length: x.kind = .length
                case .typeOf: x.kind = .typeOf
                case let .ffi(name): x.kind = .ffi; x.ffiName = symbols.insert(name)
                }
                out.unary = x
            case let .binary(b):
                var x = Biscuit_Format_Schema_OpBinary()
                if case let .ffi(name) = b {
                    x.kind = .ffi
                    x.ffiName = symbols.insert(name)
                } else {
                    x.kind = BlockEncoder.kind(b)
                }
                out.binary = x
            case let .closure(params, body):
                var x = Biscuit_Format_Schema_OpClosure()
                x.params = params.map { UInt32(truncatingIfNeeded: symbols.insert($0)) }
                x.ops = ops(body)
                out.closure = x
            }
            return out
        }
    }

    static func kind(_ b: BinaryOp) -> Biscuit_Format_Schema_OpBinary.Kind {
        switch b {
        case .lessThan: return .lessThan
        case .greaterThan: return .greaterThan
        case .lessOrEqual: return .lessOrEqual
        case .greaterOrEqual: return .greaterOrEqual
        case .equal: return .equal
        case .contains: return .contains
        case .prefix: return .prefix
        case .suffix: return .suffix
        case .regex: return .regex
        case .add: return .add
        case .sub: return .sub
        case .mul: return .mul
        case .div: return .div
        case .and: return .and
        case .or: return .or
        case .intersection: return .intersection
        case .union: return .union
        case .bitwiseAnd: return .bitwiseAnd
        case .bitwiseOr: return .bitwiseOr
        case .bitwiseXor: return .bitwiseXor
        case .notEqual: return .notEqual
        case .heterogeneousEqual: return .heterogeneousEqual
        case .heterogeneousNotEqual: return .heterogeneousNotEqual
        case .lazyAnd: return .lazyAnd
        case .lazyOr: return .lazyOr
        case .all: return .all
        case .any: return .any
        case .get: return .get
        case .ffi: return .ffi
        case .tryOr: return .tryOr
        }
    }

    // MARK: the reference's ordering of interned terms

    private static func rank(_ t: Biscuit_Format_Schema_Term) -> Int {
        switch t.content {
        case .variable: return 0
        case .integer: return 1
        case .string: return 2
        case .date: return 3
        case .bytes: return 4
        case .bool: return 5
        case .set: return 6
        case .null: return 7
        case .array: return 8
        case .map: return 9
        case nil: return 10
        }
    }

    static func wireOrder(_ a: Biscuit_Format_Schema_Term, _ b: Biscuit_Format_Schema_Term) -> Bool {
        let ra = rank(a), rb = rank(b)
        if ra != rb { return ra < rb }
        switch (a.content, b.content) {
        case let (.variable(x), .variable(y)): return x < y
        case let (.integer(x), .integer(y)): return x < y
        case let (.string(x), .string(y)): return x < y
        case let (.date(x), .date(y)): return x < y
        case let (.bytes(x), .bytes(y)): return x.lexicographicallyPrecedes(y)
        case let (.bool(x), .bool(y)): return !x && y
        case let (.set(x), .set(y)): return sequenceLess(x.set, y.set)
        case let (.array(x), .array(y)): return sequenceLess(x.array, y.array)
        case let (.map(x), .map(y)):
            for (e, f) in zip(x.entries, y.entries) {
                if wireOrder(e.key, f.key) { return true }
                if wireOrder(f.key, e.key) { return false }
                if wireOrder(e.value, f.value) { return true }
                if wireOrder(f.value, e.value) { return false }
            }
            return x.entries.count < y.entries.count
        default: return false
        }
    }

    private static func sequenceLess(_ x: [Biscuit_Format_Schema_Term], _ y: [Biscuit_Format_Schema_Term]) -> Bool {
        for (e, f) in zip(x, y) {
            if wireOrder(e, f) { return true }
            if wireOrder(f, e) { return false }
        }
        return x.count < y.count
    }

    static func wireOrder(_ a: Biscuit_Format_Schema_MapKey, _ b: Biscuit_Format_Schema_MapKey) -> Bool {
        switch (a.content, b.content) {
        case let (.integer(x), .integer(y)): return x < y
        case let (.string(x), .string(y)): return x < y
        case (.integer, .string): return true
        default: return false
        }
    }
}
