import BiscuitSchema

/// Fast path for ``BlockDecoder``: reads a serialized `Block` straight into
/// Datalog, without building SwiftProtobuf messages.
///
/// It makes the same checks as ``BlockDecoder`` (and as the protobuf decoder:
/// required fields, UTF-8, enum ranges) but, instead of reporting a problem,
/// throws ``WireReader/Bail``; the caller then decodes with the SwiftProtobuf
/// path, which reports the problem exactly as before. It also bails on input
/// that is valid but unusual (unknown or repeated singular fields, packed
/// closure parameters, deep nesting), so that whatever it returns is what the
/// slow path returns.
struct FastBlockDecoder {
    typealias Bail = WireReader.Bail

    /// Nesting (terms, closures) beyond which the fast path leaves the block to
    /// the slow path, well below both ``BlockDecoder/maxDepth`` and the protobuf
    /// message depth limit, so that the two can never disagree on deep input.
    static let depthLimit = 24

    /// The top-level fields of a block that do not need the symbol table; the
    /// Datalog parts are read by ``decode(_:header:externalKey:)`` once the table is known.
    struct Header {
        var symbols: [String] = []
        var context: String?
        var version: UInt32?
        var publicKeys: [BiscuitPublicKey] = []
    }

    /// Reads a block's top-level fields.
    static func header(_ payload: [UInt8]) throws(Bail) -> Header {
        try payload.withUnsafeBufferPointer { (buffer) throws(Bail) -> Header in
            var r = WireReader(buffer)
            var h = Header()
            while !r.isAtEnd {
                let (number, type) = try r.field()
                try type.expect(number == 3 ? .varint : .lengthDelimited)
                switch number {
                case 1: h.symbols.append(try r.string())
                case 2:
                    guard h.context == nil else { throw Bail() }
                    h.context = try r.string()
                case 3:
                    guard h.version == nil else { throw Bail() }
                    h.version = try r.uint32()
                case 4...7: _ = try r.lengthDelimited()
                case 8:
                    var m = try r.message()
                    h.publicKeys.append(try publicKey(&m))
                default: throw Bail()
                }
            }
            return h
        }
    }

    /// A `PublicKey` message, checked as ``BlockDecoder/publicKey(_:)`` does.
    static func publicKey(_ r: inout WireReader) throws(Bail) -> BiscuitPublicKey {
        var algorithm: Int?
        var key: [UInt8]?
        while !r.isAtEnd {
            let (number, type) = try r.field()
            switch number {
            case 1:
                try type.expect(.varint)
                guard algorithm == nil else { throw Bail() }
                algorithm = try r.enumValue(max: 1)
            case 2:
                try type.expect(.lengthDelimited)
                guard key == nil else { throw Bail() }
                key = try r.bytes()
            default: throw Bail()
            }
        }
        guard let algorithm, let key else { throw Bail() }
        if algorithm == 0 {
            guard key.count == 32 else { throw Bail() }
            return BiscuitPublicKey(algorithm: .ed25519, bytes: key)
        }
        guard key.count == 33 else { throw Bail() }
        return BiscuitPublicKey(algorithm: .secp256r1, bytes: key)
    }

    let symbols: SymbolTable
    let publicKeys: PublicKeyTable

    /// The block's Datalog, as ``BlockDecoder/decode(_:externalKey:)`` would return it.
    func decode(_ payload: [UInt8], header h: Header, externalKey: BiscuitPublicKey?) throws(Bail) -> DecodedBlock {
        let version = h.version ?? 0
        guard (DatalogVersion.minimum...DatalogVersion.maximum).contains(version) else { throw Bail() }
        if version < DatalogVersion.v3_2 && externalKey != nil { throw Bail() }
        let source = try payload.withUnsafeBufferPointer { (buffer) throws(Bail) -> BlockSource in
            // The header pass checked the top-level structure; each list keeps its wire order.
            var r = WireReader(buffer)
            var source = BlockSource()
            while !r.isAtEnd {
                let (number, type) = try r.field()
                if number == 3 {
                    try type.expect(.varint)
                    _ = try r.varint()
                    continue
                }
                try type.expect(.lengthDelimited)
                switch number {
                case 4:
                    var m = try r.message()
                    source.facts.append(try fact(&m))
                case 5:
                    var m = try r.message()
                    source.rules.append(try rule(&m, version: version))
                case 6:
                    var m = try r.message()
                    source.checks.append(try check(&m, version: version))
                case 7:
                    var m = try r.message()
                    source.scopes.append(try scope(&m))
                default: _ = try r.lengthDelimited()
                }
            }
            return source
        }
        do { try DatalogVersion.Features(source).check(declared: version) } catch { throw Bail() }
        return DecodedBlock(
            source: source, context: h.context, version: version,
            symbols: h.symbols, publicKeys: h.publicKeys, externalKey: externalKey)
    }

    private func symbol(_ index: UInt64) throws(Bail) -> String {
        do { return try symbols.symbol(at: index) } catch { throw Bail() }
    }

    private func fact(_ r: inout WireReader) throws(Bail) -> Fact {
        var p: Predicate?
        while !r.isAtEnd {
            let (number, type) = try r.field()
            guard number == 1, p == nil else { throw Bail() }
            try type.expect(.lengthDelimited)
            var m = try r.message()
            p = try predicate(&m)
        }
        guard let p, p.terms.allSatisfy(\.isGround) else { throw Bail() }
        return Fact(p)
    }

    private func rule(_ r: inout WireReader, version: UInt32) throws(Bail) -> Rule {
        var head: Predicate?
        var body: [Predicate] = []
        var expressions: [Expression] = []
        var scopes: [Scope] = []
        while !r.isAtEnd {
            let (number, type) = try r.field()
            try type.expect(.lengthDelimited)
            var m = try r.message()
            switch number {
            case 1:
                guard head == nil else { throw Bail() }
                head = try predicate(&m)
            case 2: body.append(try predicate(&m))
            case 3: expressions.append(Expression(ops: try expressionOps(&m)))
            case 4: scopes.append(try scope(&m))
            default: throw Bail()
            }
        }
        guard let head else { throw Bail() }
        if version < DatalogVersion.v3_1 && !scopes.isEmpty { throw Bail() }
        return Rule(head: head, body: body, expressions: expressions, scopes: scopes)
    }

    private func check(_ r: inout WireReader, version: UInt32) throws(Bail) -> Check {
        var queries: [Rule] = []
        var kind: Int?
        while !r.isAtEnd {
            let (number, type) = try r.field()
            switch number {
            case 1:
                try type.expect(.lengthDelimited)
                var m = try r.message()
                queries.append(try rule(&m, version: version))
            case 2:
                try type.expect(.varint)
                guard kind == nil else { throw Bail() }
                kind = try r.enumValue(max: 2)
            default: throw Bail()
            }
        }
        if version < DatalogVersion.maximum {
            if version < DatalogVersion.v3_1 && kind != nil { throw Bail() }
            if version < DatalogVersion.v3_3 && kind == 2 { throw Bail() }
        }
        switch kind ?? 0 {
        case 0: return Check(kind: .one, queries: queries)
        case 1: return Check(kind: .all, queries: queries)
        default: return Check(kind: .reject, queries: queries)
        }
    }

    private func predicate(_ r: inout WireReader) throws(Bail) -> Predicate {
        var name: UInt64?
        var terms: [Term] = []
        while !r.isAtEnd {
            let (number, type) = try r.field()
            switch number {
            case 1:
                try type.expect(.varint)
                guard name == nil else { throw Bail() }
                name = try r.varint()
            case 2:
                try type.expect(.lengthDelimited)
                var m = try r.message()
                terms.append(try term(&m, depth: 0))
            default: throw Bail()
            }
        }
        guard let name else { throw Bail() }
        return Predicate(name: try symbol(name), terms: terms)
    }

    private func scope(_ r: inout WireReader) throws(Bail) -> Scope {
        var result: Scope?
        while !r.isAtEnd {
            let (number, type) = try r.field()
            try type.expect(.varint)
            guard result == nil else { throw Bail() }
            switch number {
            case 1: result = try r.enumValue(max: 1) == 0 ? .authority : .previous
            case 2:
                let i = try r.int64()
                do { result = .publicKey(try publicKeys.key(at: i)) } catch { throw Bail() }
            default: throw Bail()
            }
        }
        guard let result else { throw Bail() }
        return result
    }

    /// The elements of a `TermSet` or `Array` message (field 1, repeated `Term`).
    private func termList(_ r: inout WireReader, depth: Int) throws(Bail) -> [Term] {
        var out: [Term] = []
        while !r.isAtEnd {
            let (number, type) = try r.field()
            guard number == 1 else { throw Bail() }
            try type.expect(.lengthDelimited)
            var m = try r.message()
            out.append(try term(&m, depth: depth))
        }
        return out
    }

    private func term(_ r: inout WireReader, depth: Int) throws(Bail) -> Term {
        guard depth < FastBlockDecoder.depthLimit else { throw Bail() }
        var result: Term?
        while !r.isAtEnd {
            let (number, type) = try r.field()
            guard result == nil else { throw Bail() }
            switch number {
            case 1...4, 6: try type.expect(.varint)
            default: try type.expect(.lengthDelimited)
            }
            switch number {
            case 1: result = .variable(try symbol(UInt64(try r.uint32())))
            case 2: result = .integer(try r.int64())
            case 3: result = .string(try symbol(try r.varint()))
            case 4: result = .date(try r.varint())
            case 5: result = .bytes(try r.bytes())
            case 6: result = .bool(try r.bool())
            case 7:
                var m = try r.message()
                let elements = try termList(&m, depth: depth + 1)
                var kind: Int?
                for element in elements {
                    switch element {
                    case .variable, .set: throw Bail()
                    default: break
                    }
                    if let k = kind, k != element.rank { throw Bail() }
                    kind = element.rank
                }
                result = .set(TermSet(elements))
            case 8:
                guard try r.lengthDelimited().isEmpty else { throw Bail() }
                result = .null
            case 9:
                var m = try r.message()
                result = .array(try termList(&m, depth: depth + 1))
            case 10:
                var m = try r.message()
                result = .map(TermMap(try mapEntries(&m, depth: depth + 1)))
            default: throw Bail()
            }
        }
        guard let result else { throw Bail() }
        return result
    }

    private func mapEntries(_ r: inout WireReader, depth: Int) throws(Bail) -> [(MapKey, Term)] {
        var pairs: [(MapKey, Term)] = []
        while !r.isAtEnd {
            let (number, type) = try r.field()
            guard number == 1 else { throw Bail() }
            try type.expect(.lengthDelimited)
            var entry = try r.message()
            var key: MapKey?
            var value: Term?
            while !entry.isAtEnd {
                let (n, t) = try entry.field()
                try t.expect(.lengthDelimited)
                var m = try entry.message()
                switch n {
                case 1:
                    guard key == nil else { throw Bail() }
                    key = try mapKey(&m)
                case 2:
                    guard value == nil else { throw Bail() }
                    value = try term(&m, depth: depth)
                default: throw Bail()
                }
            }
            guard let key, let value else { throw Bail() }
            pairs.append((key, value))
        }
        return pairs
    }

    private func mapKey(_ r: inout WireReader) throws(Bail) -> MapKey {
        var key: MapKey?
        while !r.isAtEnd {
            let (number, type) = try r.field()
            try type.expect(.varint)
            guard key == nil else { throw Bail() }
            switch number {
            case 1: key = .integer(try r.int64())
            case 2: key = .string(try symbol(try r.varint()))
            default: throw Bail()
            }
        }
        guard let key else { throw Bail() }
        return key
    }

    /// An `Expression` message's ops.
    private func expressionOps(_ r: inout WireReader) throws(Bail) -> [Op] {
        var ops: [Op] = []
        while !r.isAtEnd {
            let (number, type) = try r.field()
            guard number == 1 else { throw Bail() }
            try type.expect(.lengthDelimited)
            var m = try r.message()
            ops.append(try op(&m, depth: 0))
        }
        return ops
    }

    private func op(_ r: inout WireReader, depth: Int) throws(Bail) -> Op {
        guard depth < FastBlockDecoder.depthLimit else { throw Bail() }
        var result: Op?
        while !r.isAtEnd {
            let (number, type) = try r.field()
            try type.expect(.lengthDelimited)
            guard result == nil else { throw Bail() }
            var m = try r.message()
            switch number {
            case 1: result = .value(try term(&m, depth: depth))
            case 2:
                let (kind, ffi) = try opKind(&m, max: 4)
                switch (kind, ffi) {
                case (0, nil): result = .unary(.negate)
                case (1, nil): result = .unary(.parens)
                case (2, nil): result = .unary(.length)
                case (3, nil): result = .unary(.typeOf)
                case let (4, name?): result = .unary(.ffi(try symbol(name)))
                default: throw Bail()
                }
            case 3:
                let (kind, ffi) = try opKind(&m, max: 29)
                if kind == 28 {
                    guard let ffi else { throw Bail() }
                    result = .binary(.ffi(try symbol(ffi)))
                } else {
                    guard ffi == nil, kind < FastBlockDecoder.binaryOps.count, let binary = FastBlockDecoder.binaryOps[kind] else {
                        throw Bail()
                    }
                    result = .binary(binary)
                }
            case 4:
                var params: [String] = []
                var ops: [Op] = []
                while !m.isAtEnd {
                    let (n, t) = try m.field()
                    switch n {
                    case 1:
                        try t.expect(.varint)
                        params.append(try symbol(UInt64(try m.uint32())))
                    case 2:
                        try t.expect(.lengthDelimited)
                        var o = try m.message()
                        ops.append(try op(&o, depth: depth + 1))
                    default: throw Bail()
                    }
                }
                result = .closure(params: params, ops: ops)
            default: throw Bail()
            }
        }
        guard let result else { throw Bail() }
        return result
    }

    /// An `OpUnary` / `OpBinary` message: its required kind and optional ffi name.
    private func opKind(_ r: inout WireReader, max: Int) throws(Bail) -> (Int, UInt64?) {
        var kind: Int?
        var ffi: UInt64?
        while !r.isAtEnd {
            let (number, type) = try r.field()
            try type.expect(.varint)
            switch number {
            case 1:
                guard kind == nil else { throw Bail() }
                kind = try r.enumValue(max: max)
            case 2:
                guard ffi == nil else { throw Bail() }
                ffi = try r.varint()
            default: throw Bail()
            }
        }
        guard let kind else { throw Bail() }
        return (kind, ffi)
    }

    /// Binary operators by wire value (28, `Ffi`, is handled apart).
    static let binaryOps: [BinaryOp?] = {
        let kinds = Biscuit_Format_Schema_OpBinary.Kind.allCases
        var table = [BinaryOp?](repeating: nil, count: (kinds.map(\.rawValue).max() ?? 0) + 1)
        for kind in kinds where kind != .ffi { table[kind.rawValue] = BlockDecoder.binary(kind) }
        return table
    }()
}
