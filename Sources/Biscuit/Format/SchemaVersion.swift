/// Datalog versions carried in `Block.version`, and the features each introduced.
public enum DatalogVersion {
    /// Datalog 3.0: the oldest version still accepted.
    public static let minimum: UInt32 = 3
    /// Datalog 3.1: scopes, `check all`, bitwise operators and `!=`.
    public static let v3_1: UInt32 = 4
    /// Datalog 3.2: third-party blocks.
    public static let v3_2: UInt32 = 5
    /// Datalog 3.3: `reject if`, null, arrays' and maps' operations, closures, `===`, `.type()`, extern calls.
    public static let v3_3: UInt32 = 6
    /// The newest version understood.
    public static let maximum: UInt32 = 6

    /// The features a block uses, which decide the smallest version that can carry it.
    struct Features {
        var scopes = false
        var v3_1Operators = false
        var checkAll = false
        var v3_3 = false

        init(_ block: BlockSource) {
            scopes =
                !block.scopes.isEmpty
                || block.rules.contains { !$0.scopes.isEmpty }
                || block.checks.contains { $0.queries.contains { !$0.scopes.isEmpty } }
            for check in block.checks {
                if check.kind == .all { checkAll = true }
                if check.kind == .reject { v3_3 = true }
            }
            let allQueries = block.rules + block.checks.flatMap(\.queries)
            v3_1Operators = allQueries.contains { $0.expressions.contains(where: Features.usesV3_1) }
            if !v3_3 {
                v3_3 =
                    block.rules.contains { rule in
                        Features.usesV3_3(rule.head) || rule.body.contains(where: Features.usesV3_3)
                            || rule.expressions.contains(where: Features.usesV3_3)
                    }
                    || block.checks.contains { check in
                        check.queries.contains { q in
                            q.body.contains(where: Features.usesV3_3) || q.expressions.contains(where: Features.usesV3_3)
                        }
                    } || block.facts.contains { Features.usesV3_3($0.predicate) }
            }
        }

        /// The smallest version for these features (third-party blocks need at least 3.2 on top).
        var version: UInt32 {
            if v3_3 { return DatalogVersion.v3_3 }
            if scopes || v3_1Operators || checkAll { return DatalogVersion.v3_1 }
            return DatalogVersion.minimum
        }

        /// Throws when `declared` is too old for the features used (the reference's compatibility rule).
        func check(declared: UInt32) throws(BiscuitError) {
            if declared < DatalogVersion.v3_1 {
                if scopes { throw .format(.deserialization("scopes are only supported in datalog v3.1+")) }
                if v3_1Operators { throw .format(.deserialization("bitwise operators and != are only supported in datalog v3.1+")) }
                if checkAll { throw .format(.deserialization("check all is only supported in datalog v3.1+")) }
            } else if declared < DatalogVersion.v3_3 && v3_3 {
                throw .format(.deserialization("maps, arrays, null, closures are only supported in datalog v3.3+"))
            }
        }

        private static func usesV3_1(_ e: Expression) -> Bool {
            e.ops.contains { op in
                if case let .binary(b) = op {
                    switch b {
                    case .bitwiseAnd, .bitwiseOr, .bitwiseXor, .notEqual: return true
                    default: return false
                    }
                }
                return false
            }
        }

        private static func usesV3_3(_ e: Expression) -> Bool {
            e.ops.contains { op in
                switch op {
                case let .value(t): return usesV3_3(t)
                case .closure: return true
                case let .unary(u):
                    if case .typeOf = u { return true }
                    if case .ffi = u { return true }
                    return false
                case let .binary(b):
                    switch b {
                    case .heterogeneousEqual, .heterogeneousNotEqual, .lazyAnd, .lazyOr, .all, .any, .ffi: return true
                    default: return false
                    }
                }
            }
        }

        private static func usesV3_3(_ p: Predicate) -> Bool { p.terms.contains(where: usesV3_3) }

        /// Null, or a set holding null. (Arrays and maps alone do not raise the version,
        /// as in the reference: biscuit-python emits arrays in version-3 blocks.)
        private static func usesV3_3(_ t: Term) -> Bool {
            switch t {
            case .null: return true
            case let .set(s): return s.contains(.null)
            default: return false
            }
        }
    }
}
