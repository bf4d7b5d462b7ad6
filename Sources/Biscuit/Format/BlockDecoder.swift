import BiscuitSchema

/// Turns protobuf blocks into Datalog, resolving symbol and public key indices.
struct BlockDecoder {
    var symbols: SymbolTable
    var publicKeys: PublicKeyTable

    /// Limit on nesting of closures and collections inside one term or op.
    static let maxDepth = 64

    func decode(_ block: Biscuit_Format_Schema_Block, externalKey: BiscuitPublicKey?) throws(BiscuitError) -> DecodedBlock {
        let version = block.hasVersion ? block.version : 0
        guard (DatalogVersion.minimum...DatalogVersion.maximum).contains(version) else {
            throw .format(.unsupportedVersion(minimum: DatalogVersion.minimum, maximum: DatalogVersion.maximum, actual: version))
        }
        var source = BlockSource()
        for f in block.facts {
            let p = try predicate(f.predicate)
            guard p.terms.allSatisfy(\.isGround) else {
                throw .format(.deserialization("a fact contains a variable: \(p.name)"))
            }
            source.facts.append(Fact(p))
        }
        for r in block.rules {
            source.rules.append(try rule(r, version: version))
        }
        for c in block.checks {
            if version < DatalogVersion.maximum {
                if version < DatalogVersion.v3_1 && c.hasKind {
                    throw .format(.deserialization("check kinds are only supported on datalog v3.1+ blocks"))
                }
                if version < DatalogVersion.v3_3 && c.hasKind && c.kind == .reject {
                    throw .format(.deserialization("reject if is only supported in datalog v3.3+"))
                }
            }
            let kind: Check.Kind
            switch c.kind {
            case .one: kind = .one
            case .all: kind = .all
            case .reject: kind = .reject
            }
            source.checks.append(Check(kind: kind, queries: try c.queries.map { (q) throws(BiscuitError) in try rule(q, version: version) }))
        }
        if version < DatalogVersion.v3_2 && externalKey != nil {
            throw .format(.deserialization("third-party blocks are only supported in datalog v3.2+"))
        }
        source.scopes = try block.scope.map { (s) throws(BiscuitError) in try scope(s) }
        try DatalogVersion.Features(source).check(declared: version)
        return DecodedBlock(
            source: source,
            context: block.hasContext ? block.context : nil,
            version: version,
            symbols: block.symbols,
            publicKeys: try block.publicKeys.map { (k) throws(BiscuitError) in try BlockDecoder.publicKey(k) },
            externalKey: externalKey)
    }

    static func publicKey(_ k: Biscuit_Format_Schema_PublicKey) throws(BiscuitError) -> BiscuitPublicKey {
        switch k.algorithm {
        case .ed25519:
            guard k.key.count == 32 else { throw .format(.invalidKeySize(k.key.count)) }
            return BiscuitPublicKey(algorithm: .ed25519, bytes: Array(k.key))
        case .secp256R1:
            guard k.key.count == 33 else { throw .format(.invalidKeySize(k.key.count)) }
            return BiscuitPublicKey(algorithm: .secp256r1, bytes: Array(k.key))
        }
    }

    func rule(_ r: Biscuit_Format_Schema_Rule, version: UInt32) throws(BiscuitError) -> Rule {
        if version < DatalogVersion.v3_1 && !r.scope.isEmpty {
            throw .format(.deserialization("scopes are only supported in datalog v3.1+"))
        }
        return Rule(
            head: try predicate(r.head),
            body: try r.body.map { (p) throws(BiscuitError) in try predicate(p) },
            expressions: try r.expressions.map { (e) throws(BiscuitError) in Expression(ops: try ops(e.ops, depth: 0)) },
            scopes: try r.scope.map { (s) throws(BiscuitError) in try scope(s) })
    }

    func predicate(_ p: Biscuit_Format_Schema_Predicate) throws(BiscuitError) -> Predicate {
        Predicate(name: try symbols.symbol(at: p.name), terms: try p.terms.map { (t) throws(BiscuitError) in try term(t, depth: 0) })
    }

    func scope(_ s: Biscuit_Format_Schema_Scope) throws(BiscuitError) -> Scope {
        switch s.content {
        case .scopeType(.authority): return .authority
        case .scopeType(.previous): return .previous
        case let .publicKey(i): return .publicKey(try publicKeys.key(at: i))
        case nil: throw .format(.deserialization("expected `content` field in Scope"))
        }
    }

    func term(_ t: Biscuit_Format_Schema_Term, depth: Int) throws(BiscuitError) -> Term {
        guard depth < BlockDecoder.maxDepth else { throw .format(.deserialization("terms nested too deeply")) }
        switch t.content {
        case nil: throw .format(.deserialization("ID content enum is empty"))
        case let .variable(v): return .variable(try symbols.symbol(at: UInt64(v)))
        case let .integer(i): return .integer(i)
        case let .string(s): return .string(try symbols.symbol(at: s))
        case let .date(d): return .date(d)
        case let .bytes(b): return .bytes(Array(b))
        case let .bool(b): return .bool(b)
        case .null: return .null
        case let .set(s):
            var kind: Int?
            var elements: [Term] = []
            for e in s.set {
                let element = try term(e, depth: depth + 1)
                switch element {
                case .variable: throw .format(.deserialization("sets cannot contain variables"))
                case .set: throw .format(.deserialization("sets cannot contain other sets"))
                default: break
                }
                if let k = kind, k != element.rank {
                    throw .format(.deserialization("sets elements must have the same type"))
                }
                kind = element.rank
                elements.append(element)
            }
            return .set(TermSet(elements))
        case let .array(a):
            return .array(try a.array.map { (e) throws(BiscuitError) in try term(e, depth: depth + 1) })
        case let .map(m):
            var pairs: [(MapKey, Term)] = []
            for entry in m.entries {
                let key: MapKey
                switch entry.key.content {
                case let .integer(i): key = .integer(i)
                case let .string(s): key = .string(try symbols.symbol(at: s))
                case nil: throw .format(.deserialization("ID content enum is empty"))
                }
                pairs.append((key, try term(entry.value, depth: depth + 1)))
            }
            return .map(TermMap(pairs))
        }
    }

    func ops(_ list: [Biscuit_Format_Schema_Op], depth: Int) throws(BiscuitError) -> [Op] {
        guard depth < BlockDecoder.maxDepth else { throw .format(.deserialization("closures nested too deeply")) }
        var out: [Op] = []
        out.reserveCapacity(list.count)
        for op in list {
            switch op.content {
            case nil: throw .format(.deserialization("operation is empty"))
            case let .value(t): out.append(.value(try term(t, depth: depth)))
            case let .unary(u):
                switch (u.kind, u.hasFfiName) {
                case (.negate, false): out.append(.unary(.negate))
                case (.parens, false): out.append(.unary(.parens))
                case (.length, false): out.append(.unary(.length))
                case (.typeOf, false): out.append(.unary(.typeOf))
                case (.ffi, true): out.append(.unary(.ffi(try symbols.symbol(at: u.ffiName))))
                case (.ffi, false): throw .format(.deserialization("missing ffi name"))
                default: throw .format(.deserialization("ffi name set on a regular unary operation"))
                }
            case let .binary(b):
                if b.kind == .ffi {
                    guard b.hasFfiName else { throw .format(.deserialization("missing ffi name")) }
                    out.append(.binary(.ffi(try symbols.symbol(at: b.ffiName))))
                } else {
                    guard !b.hasFfiName else { throw .format(.deserialization("ffi name set on a regular binary operation")) }
                    out.append(.binary(BlockDecoder.binary(b.kind)))
                }
            case let .closure(c):
                let params = try c.params.map { (p) throws(BiscuitError) in try symbols.symbol(at: UInt64(p)) }
                out.append(.closure(params: params, ops: try ops(c.ops, depth: depth + 1)))
            }
        }
        return out
    }

    static func binary(_ kind: Biscuit_Format_Schema_OpBinary.Kind) -> BinaryOp {
        switch kind {
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
        case .ffi: return .ffi("")
        case .tryOr: return .tryOr
        }
    }
}

/// A block's Datalog with what the wire format carried alongside it.
public struct DecodedBlock: Hashable, Sendable {
    /// The block's facts, rules, checks and scopes.
    public var source: BlockSource
    /// The block's free-form context string, if any.
    public var context: String?
    /// The declared Datalog version (3...6).
    public var version: UInt32
    /// Symbols this block added.
    public var symbols: [String]
    /// Public keys this block added to its table.
    public var publicKeys: [BiscuitPublicKey]
    /// The third-party signer, for third-party blocks.
    public var externalKey: BiscuitPublicKey?
}
