/// Evaluates Biscuit expressions (postfix programs) with the reference's semantics.
public enum ExpressionEvaluator {
    /// Maximum closure nesting depth.
    public static let maxClosureDepth = 256
    /// Maximum number of operations executed by one evaluation (closures over
    /// collections can multiply work); exceeding it raises ``ExecutionError/timeout``.
    public static let maxSteps = 1_000_000

    /// Evaluates `expression` with the given variable bindings and extern functions.
    ///
    /// Returns the resulting term (checks and rules require `.bool(true)`).
    public static func evaluate(
        _ expression: Expression,
        bindings: [String: Term],
        externs: [String: ExternFunction] = [:]
    ) throws(ExecutionError) -> Term {
        var env = EngineEnv(names: [], values: [])
        env.names.reserveCapacity(bindings.count)
        env.values.reserveCapacity(bindings.count)
        for (k, v) in bindings {
            env.names.append(k)
            env.values.append(v)
        }
        var steps = 0
        return try run(expression.ops, env: env, externs: externs, depth: 0, steps: &steps)
    }

    /// Evaluation entry point used by the engine (bindings in slot order).
    static func evaluate(
        _ expression: Expression,
        env: EngineEnv,
        externs: [String: ExternFunction]
    ) throws(ExecutionError) -> Term {
        var steps = 0
        return try run(expression.ops, env: env, externs: externs, depth: 0, steps: &steps)
    }

    private enum StackElement {
        case term(Term)
        case closure(params: [String], ops: [Op])
    }

    static func run(
        _ ops: [Op],
        env: EngineEnv,
        externs: [String: ExternFunction],
        depth: Int,
        steps: inout Int
    ) throws(ExecutionError) -> Term {
        if depth > maxClosureDepth { throw .nestingTooDeep }
        var stack: [StackElement] = []
        stack.reserveCapacity(4)
        for op in ops {
            steps += 1
            if steps > maxSteps { throw .timeout }
            switch op {
            case let .value(.variable(name)):
                guard let t = env.lookup(name) else { throw .unknownVariable(name) }
                stack.append(.term(t))
            case let .value(t):
                stack.append(.term(t))
            case let .unary(u):
                guard case let .term(t)? = stack.popLast() else { throw .invalidStack }
                stack.append(.term(try unary(u, t, externs: externs)))
            case let .binary(b):
                let right = stack.popLast()
                let left = stack.popLast()
                switch (left, right) {
                case let (.term(l)?, .term(r)?):
                    stack.append(.term(try binary(b, l, r, externs: externs)))
                case let (.term(t)?, .closure(params, body)?), let (.closure(params, body)?, .term(t)?):
                    for p in params where env.contains(p) { throw .shadowedVariable }
                    let result = try withClosure(
                        b, t, params: params, body: body, env: env,
                        externs: externs, depth: depth, steps: &steps)
                    stack.append(.term(result))
                default:
                    throw .invalidStack
                }
            case let .closure(params, body):
                stack.append(.closure(params: params, ops: body))
            }
        }
        guard stack.count == 1, case let .term(t) = stack[0] else { throw .invalidStack }
        return t
    }

    // MARK: - Closures

    private static func withClosure(
        _ op: BinaryOp,
        _ value: Term,
        params: [String],
        body: [Op],
        env: EngineEnv,
        externs: [String: ExternFunction],
        depth: Int,
        steps: inout Int
    ) throws(ExecutionError) -> Term {
        switch (op, value) {
        case (.tryOr, _) where params.isEmpty:
            do {
                return try run(body, env: env, externs: externs, depth: depth + 1, steps: &steps)
            } catch {
                // Work-budget and nesting errors are not the expression's own failures.
                if error == .timeout || error == .nestingTooDeep { throw error }
                return value
            }
        case (.lazyOr, .bool(true)) where params.isEmpty:
            return .bool(true)
        case (.lazyOr, .bool(false)) where params.isEmpty:
            return try run(body, env: env, externs: externs, depth: depth + 1, steps: &steps)
        case (.lazyAnd, .bool(false)) where params.isEmpty:
            return .bool(false)
        case (.lazyAnd, .bool(true)) where params.isEmpty:
            return try run(body, env: env, externs: externs, depth: depth + 1, steps: &steps)
        case (.all, _), (.any, _):
            guard params.count == 1 else { throw .invalidType }
            let isAll = op == .all
            var inner = env
            inner.names.append(params[0])
            inner.values.append(.null)
            let last = inner.values.count - 1
            func test(_ element: Term, _ steps: inout Int) throws(ExecutionError) -> Bool? {
                inner.values[last] = element
                switch try run(body, env: inner, externs: externs, depth: depth + 1, steps: &steps) {
                case .bool(true): return isAll ? nil : true
                case .bool(false): return isAll ? false : nil
                default: throw .invalidType
                }
            }
            switch value {
            case let .set(s):
                for e in s.elements { if let r = try test(e, &steps) { return .bool(r) } }
            case let .array(a):
                for e in a { if let r = try test(e, &steps) { return .bool(r) } }
            case let .map(m):
                for entry in m.entries {
                    if let r = try test(.array([entry.key.term, entry.value]), &steps) { return .bool(r) }
                }
            default:
                throw .invalidType
            }
            return .bool(isAll)
        default:
            throw .invalidType
        }
    }

    // MARK: - Unary

    static func unary(_ op: UnaryOp, _ value: Term, externs: [String: ExternFunction]) throws(ExecutionError) -> Term {
        switch (op, value) {
        case let (.negate, .bool(b)): return .bool(!b)
        case (.parens, _): return value
        case let (.length, .string(s)): return .integer(Int64(s.utf8.count))
        case let (.length, .bytes(b)): return .integer(Int64(b.count))
        case let (.length, .set(s)): return .integer(Int64(s.count))
        case let (.length, .array(a)): return .integer(Int64(a.count))
        case let (.length, .map(m)): return .integer(Int64(m.count))
        case (.typeOf, .variable): throw .invalidType
        case (.typeOf, _): return .string(value.typeName)
        case let (.ffi(name), _): return try callExtern(name, value, nil, externs: externs)
        default: throw .invalidType
        }
    }

    private static func callExtern(_ name: String, _ left: Term, _ right: Term?, externs: [String: ExternFunction]) throws(ExecutionError) -> Term {
        guard let f = externs[name] else { throw .undefinedExtern(name) }
        switch f.body(left, right) {
        case let .success(t): return t
        case let .failure(error): throw .externEvalError(name, error.message)
        }
    }

    // MARK: - Binary

    static func binary(_ op: BinaryOp, _ left: Term, _ right: Term, externs: [String: ExternFunction]) throws(ExecutionError) -> Term {
        switch (left, right) {
        case let (.integer(a), .integer(b)):
            switch op {
            case .lessThan: return .bool(a < b)
            case .greaterThan: return .bool(a > b)
            case .lessOrEqual: return .bool(a <= b)
            case .greaterOrEqual: return .bool(a >= b)
            case .equal, .heterogeneousEqual: return .bool(a == b)
            case .notEqual, .heterogeneousNotEqual: return .bool(a != b)
            case .add:
                let (r, o) = a.addingReportingOverflow(b)
                if o { throw .overflow }
                return .integer(r)
            case .sub:
                let (r, o) = a.subtractingReportingOverflow(b)
                if o { throw .overflow }
                return .integer(r)
            case .mul:
                let (r, o) = a.multipliedReportingOverflow(by: b)
                if o { throw .overflow }
                return .integer(r)
            case .div:
                // The reference maps every failed checked division (including
                // Int64.min / -1) to DivideByZero.
                if b == 0 { throw .divideByZero }
                let (r, o) = a.dividedReportingOverflow(by: b)
                if o { throw .divideByZero }
                return .integer(r)
            case .bitwiseAnd: return .integer(a & b)
            case .bitwiseOr: return .integer(a | b)
            case .bitwiseXor: return .integer(a ^ b)
            default: break
            }
        case let (.string(a), .string(b)):
            switch op {
            case .prefix: return .bool(a.utf8.starts(with: b.utf8))
            case .suffix: return .bool(a.utf8.reversed().starts(with: b.utf8.reversed()))
            case .regex: return .bool(DatalogRegex.matches(pattern: b, in: a))
            case .contains: return .bool(utf8Contains(a, b))
            case .add: return .string(a + b)
            case .equal, .heterogeneousEqual: return .bool(a.utf8.elementsEqual(b.utf8))
            case .notEqual, .heterogeneousNotEqual: return .bool(!a.utf8.elementsEqual(b.utf8))
            default: break
            }
        case let (.date(a), .date(b)):
            switch op {
            case .lessThan: return .bool(a < b)
            case .greaterThan: return .bool(a > b)
            case .lessOrEqual: return .bool(a <= b)
            case .greaterOrEqual: return .bool(a >= b)
            case .equal, .heterogeneousEqual: return .bool(a == b)
            case .notEqual, .heterogeneousNotEqual: return .bool(a != b)
            default: break
            }
        case let (.bytes(a), .bytes(b)):
            switch op {
            case .equal, .heterogeneousEqual: return .bool(a == b)
            case .notEqual, .heterogeneousNotEqual: return .bool(a != b)
            default: break
            }
        case let (.set(a), .set(b)):
            switch op {
            case .equal, .heterogeneousEqual: return .bool(a == b)
            case .notEqual, .heterogeneousNotEqual: return .bool(a != b)
            case .intersection: return .set(a.intersection(b))
            case .union: return .set(a.union(b))
            case .contains: return .bool(a.isSuperset(of: b))
            default: break
            }
        case let (.bool(a), .bool(b)):
            switch op {
            case .and: return .bool(a && b)
            case .or: return .bool(a || b)
            case .equal, .heterogeneousEqual: return .bool(a == b)
            case .notEqual, .heterogeneousNotEqual: return .bool(a != b)
            default: break
            }
        case (.null, .null):
            switch op {
            case .equal, .heterogeneousEqual: return .bool(true)
            case .notEqual, .heterogeneousNotEqual: return .bool(false)
            default: break
            }
        case let (.array(a), .array(b)):
            switch op {
            case .equal, .heterogeneousEqual: return .bool(a == b)
            case .notEqual, .heterogeneousNotEqual: return .bool(a != b)
            case .prefix: return .bool(a.starts(with: b))
            case .suffix: return .bool(a.count >= b.count && a[(a.count - b.count)...].elementsEqual(b))
            default: break
            }
        case let (.map(a), .map(b)):
            switch op {
            case .equal, .heterogeneousEqual: return .bool(a == b)
            case .notEqual, .heterogeneousNotEqual: return .bool(a != b)
            default: break
            }
        default:
            break
        }

        // Mixed-type and collection operations.
        switch (op, left, right) {
        case let (.contains, .set(s), element):
            switch element {
            case .integer, .date, .bool, .string, .bytes: return .bool(s.contains(element))
            default: throw .invalidType
            }
        case let (.contains, .array(a), element):
            return .bool(a.contains(element))
        case let (.contains, .map(m), key):
            switch key {
            case let .integer(i): return .bool(m[.integer(i)] != nil)
            case let .string(s): return .bool(m[.string(s)] != nil)
            default: return .bool(false)
            }
        case let (.get, .array(a), .integer(i)):
            guard i >= 0, i < Int64(a.count) else { return .null }
            return a[Int(i)]
        case let (.get, .map(m), .integer(i)):
            return m[.integer(i)] ?? .null
        case let (.get, .map(m), .string(s)):
            return m[.string(s)] ?? .null
        case (.heterogeneousEqual, _, _):
            return .bool(false)
        case (.heterogeneousNotEqual, _, _):
            return .bool(true)
        case let (.ffi(name), _, _):
            return try callExtern(name, left, right, externs: externs)
        default:
            throw .invalidType
        }
    }

    /// Byte-wise substring test (as Rust's `str::contains`).
    private static func utf8Contains(_ haystack: String, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        if n.isEmpty { return true }
        let h = Array(haystack.utf8)
        if n.count > h.count { return false }
        let first = n[0]
        var i = 0
        let lastStart = h.count - n.count
        while i <= lastStart {
            if h[i] == first {
                var j = 1
                while j < n.count && h[i + j] == n[j] { j += 1 }
                if j == n.count { return true }
            }
            i += 1
        }
        return false
    }
}

/// Variable bindings for evaluation: parallel arrays of names and values,
/// searched from the end (closure parameters are appended).
struct EngineEnv {
    var names: [String]
    var values: [Term]

    @inline(__always)
    func lookup(_ name: String) -> Term? {
        var i = names.count - 1
        while i >= 0 {
            if names[i].utf8.elementsEqual(name.utf8) { return values[i] }
            i -= 1
        }
        return nil
    }

    func contains(_ name: String) -> Bool {
        names.contains { $0.utf8.elementsEqual(name.utf8) }
    }
}
