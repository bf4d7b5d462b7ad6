import Testing

@testable import Biscuit

private func val(_ t: Term) -> Op { .value(t) }
private func int(_ x: Int64) -> Op { .value(.integer(x)) }
private func str(_ x: String) -> Op { .value(.string(x)) }
private func bool(_ x: Bool) -> Op { .value(.bool(x)) }
private func variable(_ x: String) -> Op { .value(.variable(x)) }
private func bin(_ op: BinaryOp) -> Op { .binary(op) }
private func un(_ op: UnaryOp) -> Op { .unary(op) }
private func closure(_ params: [String], _ ops: [Op]) -> Op { .closure(params: params, ops: ops) }
private func closure(_ ops: [Op]) -> Op { .closure(params: [], ops: ops) }
private func intSet(_ xs: [Int64]) -> Term { .set(TermSet(xs.map { .integer($0) })) }

private func eval(_ ops: [Op], _ bindings: [String: Term] = [:], externs: [String: ExternFunction] = [:]) throws(ExecutionError) -> Term {
    try ExpressionEvaluator.evaluate(Expression(ops: ops), bindings: bindings, externs: externs)
}

private func evalError(_ ops: [Op], _ bindings: [String: Term] = [:], externs: [String: ExternFunction] = [:]) -> ExecutionError? {
    do {
        _ = try eval(ops, bindings, externs: externs)
        return nil
    } catch {
        return error
    }
}

private func binary(_ l: Term, _ op: BinaryOp, _ r: Term) throws(ExecutionError) -> Term {
    try eval([val(l), val(r), bin(op)])
}

@Suite struct ExpressionEvaluatorTests {
    // MARK: integers

    @Test func integerComparisonsAndArithmetic() throws {
        #expect(try binary(.integer(1), .lessThan, .integer(2)) == .bool(true))
        #expect(try binary(.integer(2), .greaterThan, .integer(1)) == .bool(true))
        #expect(try binary(.integer(1), .lessOrEqual, .integer(1)) == .bool(true))
        #expect(try binary(.integer(1), .greaterOrEqual, .integer(2)) == .bool(false))
        #expect(try binary(.integer(3), .equal, .integer(3)) == .bool(true))
        #expect(try binary(.integer(3), .notEqual, .integer(3)) == .bool(false))
        #expect(try binary(.integer(3), .heterogeneousEqual, .integer(4)) == .bool(false))
        #expect(try binary(.integer(3), .heterogeneousNotEqual, .integer(4)) == .bool(true))
        #expect(try binary(.integer(3), .add, .integer(4)) == .integer(7))
        #expect(try binary(.integer(3), .sub, .integer(4)) == .integer(-1))
        #expect(try binary(.integer(3), .mul, .integer(4)) == .integer(12))
        #expect(try binary(.integer(7), .div, .integer(2)) == .integer(3))
        #expect(try binary(.integer(-7), .div, .integer(2)) == .integer(-3))
    }

    @Test func bitwise() throws {
        for (op, a, b, expected) in [
            (BinaryOp.bitwiseAnd, Int64(9), Int64(10), Int64(8)), (.bitwiseAnd, 9, 1, 1),
            (.bitwiseOr, 1, 2, 3), (.bitwiseOr, 2, 0, 2), (.bitwiseXor, 1, 1, 0), (.bitwiseXor, 1, 0, 1),
        ] {
            #expect(try binary(.integer(a), op, .integer(b)) == .integer(expected))
        }
        #expect(throws: ExecutionError.invalidType) { try binary(.bool(true), .bitwiseAnd, .bool(true)) }
    }

    @Test func checkedArithmetic() {
        #expect(throws: ExecutionError.overflow) { try binary(.integer(1), .add, .integer(.max)) }
        #expect(throws: ExecutionError.overflow) { try binary(.integer(-10), .sub, .integer(.max)) }
        #expect(throws: ExecutionError.overflow) { try binary(.integer(2), .mul, .integer(.max)) }
        #expect(throws: ExecutionError.divideByZero) { try binary(.integer(1), .div, .integer(0)) }
        // The reference reports every failed checked division as DivideByZero.
        #expect(throws: ExecutionError.divideByZero) { try binary(.integer(.min), .div, .integer(-1)) }
    }

    @Test func integerInvalidTypes() {
        #expect(throws: ExecutionError.invalidType) { try binary(.integer(1), .add, .string("a")) }
        #expect(throws: ExecutionError.invalidType) { try binary(.integer(1), .lessThan, .date(1)) }
        #expect(throws: ExecutionError.invalidType) { try binary(.integer(1), .contains, .integer(1)) }
        #expect(throws: ExecutionError.invalidType) { try binary(.integer(1), .and, .integer(1)) }
    }

    // MARK: strings

    @Test func strings() throws {
        #expect(try binary(.string("hello world"), .prefix, .string("hello")) == .bool(true))
        #expect(try binary(.string("hello world"), .suffix, .string("world")) == .bool(true))
        #expect(try binary(.string("hello world"), .suffix, .string("hello")) == .bool(false))
        #expect(try binary(.string("aaabde"), .contains, .string("abd")) == .bool(true))
        #expect(try binary(.string("aaabde"), .contains, .string("abe")) == .bool(false))
        #expect(try binary(.string("abc"), .contains, .string("")) == .bool(true))
        #expect(try binary(.string("ab"), .add, .string("cd")) == .string("abcd"))
        #expect(try binary(.string("abcD12"), .equal, .string("abcD12")) == .bool(true))
        #expect(try binary(.string("abcD12x"), .notEqual, .string("abcD12")) == .bool(true))
        #expect(try eval([str("é"), un(.length)]) == .integer(2))
        #expect(try eval([str("abcD12"), un(.length)]) == .integer(6))
        #expect(throws: ExecutionError.invalidType) { try binary(.string("a"), .lessThan, .string("b")) }
        #expect(throws: ExecutionError.invalidType) { try binary(.string("a"), .sub, .string("b")) }
        #expect(throws: ExecutionError.invalidType) { try binary(.string("x"), .intersection, .string("x")) }
    }

    @Test func stringsAreComparedByBytes() throws {
        // "é" precomposed vs decomposed: canonically equivalent, different bytes.
        let composed = "\u{E9}", decomposed = "e\u{301}"
        #expect(try binary(.string(composed), .equal, .string(decomposed)) == .bool(false))
        #expect(try binary(.string(decomposed), .prefix, .string("e")) == .bool(true))
        #expect(try binary(.string("x" + decomposed), .contains, .string("xe")) == .bool(true))
    }

    @Test func regex() throws {
        #expect(try binary(.string("aaabde"), .regex, .string("a*c?.e")) == .bool(true))
        #expect(try binary(.string("file123.txt"), .regex, .string("file[0-9]+.txt")) == .bool(true))
        #expect(try binary(.string("file1"), .regex, .string("file[0-9]+.txt")) == .bool(false))
        // Unanchored search, explicit anchors.
        #expect(try binary(.string("xxabcxx"), .regex, .string("abc")) == .bool(true))
        #expect(try binary(.string("xxabcxx"), .regex, .string("^abc")) == .bool(false))
        #expect(try binary(.string("abc"), .regex, .string("^abc$")) == .bool(true))
        // Invalid patterns never match.
        #expect(try binary(.string("abc"), .regex, .string("(abc")) == .bool(false))
        #expect(try binary(.string("abc"), .regex, .string("*")) == .bool(false))
    }

    // MARK: dates, bytes, bools, null

    @Test func dates() throws {
        #expect(try binary(.date(1), .lessThan, .date(2)) == .bool(true))
        #expect(try binary(.date(2), .greaterOrEqual, .date(2)) == .bool(true))
        #expect(try binary(.date(2), .notEqual, .date(1)) == .bool(true))
        #expect(throws: ExecutionError.invalidType) { try binary(.date(1), .add, .integer(1)) }
        #expect(throws: ExecutionError.invalidType) { try binary(.date(1), .equal, .integer(1)) }
    }

    @Test func bytesAndBools() throws {
        #expect(try binary(.bytes([0x12, 0xab]), .equal, .bytes([0x12, 0xab])) == .bool(true))
        #expect(try binary(.bytes([0x12, 0xab, 0xcd]), .notEqual, .bytes([0x12, 0xab])) == .bool(true))
        #expect(try eval([val(.bytes([1, 2, 3])), un(.length)]) == .integer(3))
        #expect(throws: ExecutionError.invalidType) { try binary(.bytes([1]), .lessThan, .bytes([2])) }
        #expect(try binary(.bool(true), .and, .bool(false)) == .bool(false))
        #expect(try binary(.bool(true), .or, .bool(false)) == .bool(true))
        #expect(try eval([bool(false), un(.negate)]) == .bool(true))
        #expect(throws: ExecutionError.invalidType) { try eval([int(1), un(.negate)]) }
        #expect(throws: ExecutionError.invalidType) { try eval([bool(true), un(.length)]) }
    }

    @Test func nullAndHeterogeneousEquality() throws {
        #expect(try binary(.null, .equal, .null) == .bool(true))
        #expect(try binary(.null, .heterogeneousEqual, .null) == .bool(true))
        #expect(try binary(.null, .notEqual, .null) == .bool(false))
        #expect(try binary(.null, .heterogeneousNotEqual, .integer(1)) == .bool(true))
        #expect(try binary(.integer(1), .heterogeneousEqual, .null) == .bool(false))
        #expect(throws: ExecutionError.invalidType) { try binary(.null, .equal, .integer(1)) }
        let pairs: [(Term, Term)] = [
            (.bool(true), .integer(1)), (.bool(true), .string("a")), (.integer(1), .string("a")),
            (.bytes([]), .integer(1)), (.date(12), .integer(1)), (intSet([1]), .array([])),
        ]
        for (a, b) in pairs {
            for (l, r) in [(a, b), (b, a)] {
                #expect(try binary(l, .heterogeneousEqual, r) == .bool(false))
                #expect(try binary(l, .heterogeneousNotEqual, r) == .bool(true))
                #expect(throws: ExecutionError.invalidType) { try binary(l, .equal, r) }
                #expect(throws: ExecutionError.invalidType) { try binary(l, .notEqual, r) }
            }
        }
    }

    // MARK: sets, arrays, maps

    @Test func sets() throws {
        #expect(try binary(intSet([1, 2]), .contains, .integer(2)) == .bool(true))
        #expect(try binary(intSet([1, 2]), .contains, intSet([2])) == .bool(true))
        #expect(try binary(intSet([1, 2]), .contains, intSet([3])) == .bool(false))
        #expect(try binary(.set(TermSet([.string("abc"), .string("def")])), .contains, .string("abc")) == .bool(true))
        #expect(try binary(intSet([1, 2]), .intersection, intSet([2, 3])) == intSet([2]))
        #expect(try binary(intSet([1, 2]), .union, intSet([2, 3])) == intSet([1, 2, 3]))
        #expect(try binary(intSet([1, 2]), .equal, intSet([2, 1])) == .bool(true))
        #expect(try binary(intSet([1, 4]), .notEqual, intSet([1, 2])) == .bool(true))
        #expect(try eval([val(.set(TermSet([]))), un(.length)]) == .integer(0))
        #expect(throws: ExecutionError.invalidType) { try binary(intSet([1]), .contains, .null) }
        #expect(throws: ExecutionError.invalidType) { try binary(intSet([1]), .contains, .array([])) }
        #expect(throws: ExecutionError.invalidType) { try binary(intSet([1]), .get, .integer(0)) }
    }

    @Test func arrays() throws {
        let a: Term = .array([.integer(0), .integer(1), .integer(2)])
        #expect(try binary(a, .equal, .array([.integer(0), .integer(1), .integer(2)])) == .bool(true))
        #expect(try binary(a, .notEqual, .array([.integer(0)])) == .bool(true))
        #expect(try binary(a, .contains, .integer(1)) == .bool(true))
        #expect(try binary(a, .contains, .string("1")) == .bool(false))
        #expect(try binary(a, .prefix, .array([.integer(0), .integer(1)])) == .bool(true))
        #expect(try binary(a, .prefix, .array([.integer(2), .integer(1)])) == .bool(false))
        #expect(try binary(a, .suffix, .array([.integer(1), .integer(2)])) == .bool(true))
        #expect(try binary(a, .suffix, .array([.integer(0), .integer(2)])) == .bool(false))
        #expect(try binary(.array([.integer(1)]), .suffix, a) == .bool(false))
        #expect(try binary(a, .get, .integer(1)) == .integer(1))
        #expect(try binary(a, .get, .integer(3)) == .null)
        #expect(try binary(a, .get, .integer(-1)) == .null)
        #expect(try eval([val(a), un(.length)]) == .integer(3))
        #expect(throws: ExecutionError.invalidType) { try binary(a, .get, .string("0")) }
        #expect(throws: ExecutionError.invalidType) { try binary(a, .lessThan, a) }
    }

    @Test func maps() throws {
        let m: Term = .map(TermMap([(.string("a"), .integer(0)), (.integer(2), .integer(1))]))
        #expect(try binary(m, .contains, .string("a")) == .bool(true))
        #expect(try binary(m, .contains, .integer(2)) == .bool(true))
        #expect(try binary(m, .contains, .integer(0)) == .bool(false))
        #expect(try binary(m, .contains, .bool(true)) == .bool(false))
        #expect(try binary(m, .get, .string("a")) == .integer(0))
        #expect(try binary(m, .get, .integer(2)) == .integer(1))
        #expect(try binary(m, .get, .string("c")) == .null)
        #expect(throws: ExecutionError.invalidType) { try binary(m, .get, .bool(true)) }
        #expect(try binary(m, .equal, .map(TermMap([(.integer(2), .integer(1)), (.string("a"), .integer(0))]))) == .bool(true))
        #expect(try eval([val(m), un(.length)]) == .integer(2))
    }

    @Test func typeOf() throws {
        let cases: [(Term, String)] = [
            (.integer(1), "integer"), (.string("a"), "string"), (.date(0), "date"),
            (.bytes([0xaa]), "bytes"), (.bool(true), "bool"), (intSet([]), "set"),
            (.null, "null"), (.array([]), "array"), (.map(TermMap([])), "map"),
        ]
        for (t, name) in cases {
            #expect(try eval([val(t), un(.typeOf)]) == .string(name))
        }
        #expect(try eval([val(.date(0)), un(.parens), un(.typeOf), str("date"), bin(.heterogeneousEqual)]) == .bool(true))
    }

    // MARK: closures

    @Test func laziness() throws {
        // false || (true && true)
        let ops = [bool(false), closure([bool(true), closure([bool(true)]), bin(.lazyAnd)]), bin(.lazyOr)]
        #expect(try eval(ops) == .bool(true))
        // The right side is not evaluated when the left decides.
        #expect(try eval([bool(true), closure([str("x"), str("x"), bin(.intersection)]), bin(.lazyOr)]) == .bool(true))
        #expect(try eval([bool(false), closure([str("x"), str("x"), bin(.intersection)]), bin(.lazyAnd)]) == .bool(false))
        #expect(throws: ExecutionError.invalidType) {
            try eval([bool(true), closure([str("x"), str("x"), bin(.intersection)]), bin(.lazyAnd)])
        }
        #expect(throws: ExecutionError.invalidType) { try eval([int(1), closure([bool(true)]), bin(.lazyOr)]) }
    }

    @Test func allAndAny() throws {
        let s = val(intSet([1, 2, 3]))
        #expect(try eval([s, closure(["p"], [variable("p"), int(0), bin(.greaterThan)]), bin(.all)]) == .bool(true))
        #expect(try eval([s, closure(["p"], [variable("p"), int(2), bin(.heterogeneousEqual)]), bin(.all)]) == .bool(false))
        #expect(try eval([s, closure(["p"], [variable("p"), int(2), bin(.greaterThan)]), bin(.any)]) == .bool(true))
        #expect(try eval([s, closure(["p"], [variable("p"), int(3), bin(.greaterThan)]), bin(.any)]) == .bool(false))
        #expect(try eval([val(intSet([])), closure(["p"], [int(0)]), bin(.all)]) == .bool(true))
        #expect(throws: ExecutionError.invalidType) { try eval([s, closure(["p"], [int(0)]), bin(.all)]) }
        #expect(throws: ExecutionError.invalidType) { try eval([s, closure(["p"], [int(0)]), bin(.any)]) }
        #expect(throws: ExecutionError.invalidType) { try eval([int(1), closure(["p"], [bool(true)]), bin(.all)]) }
        #expect(throws: ExecutionError.invalidType) { try eval([s, closure([], [bool(true)]), bin(.all)]) }
        #expect(throws: ExecutionError.invalidType) { try eval([s, closure(["p"], [bool(true)]), bin(.add)]) }
        // Arrays.
        let a = val(.array([.integer(1), .integer(2), .integer(3)]))
        #expect(try eval([a, closure(["p"], [variable("p"), int(0), bin(.greaterThan)]), bin(.all)]) == .bool(true))
        #expect(try eval([a, closure(["p"], [variable("p"), int(2), bin(.greaterThan)]), bin(.any)]) == .bool(true))
    }

    @Test func shadowing() throws {
        let ops = [val(intSet([1, 2])), closure(["p"], [variable("p"), int(0), bin(.greaterThan)]), bin(.all)]
        #expect(throws: ExecutionError.shadowedVariable) { try eval(ops, ["p": .null]) }
        #expect(try eval(ops, ["q": .null]) == .bool(true))
        // {"true"}.any($p -> {"true"}.all($p -> $p))  (test032)
        let nested = [
            val(.set(TermSet([.string("true")]))),
            closure(["p"], [val(.set(TermSet([.string("true")]))), closure(["p"], [variable("p")]), bin(.all)]),
            bin(.any),
        ]
        #expect(throws: ExecutionError.shadowedVariable) { try eval(nested) }
    }

    @Test func nestedClosuresSeeOuterParameters() throws {
        // {1, 2, 3}.any($p -> $p > 1 && {3, 4, 5}.any($q -> $p == $q))
        let inner = [val(intSet([3, 4, 5])), closure(["q"], [variable("p"), variable("q"), bin(.heterogeneousEqual)]), bin(.any)]
        let ops = [
            val(intSet([1, 2, 3])),
            closure(["p"], [variable("p"), int(1), bin(.greaterThan), closure(inner), bin(.lazyAnd)]),
            bin(.any),
        ]
        #expect(try eval(ops) == .bool(true))
        // The parameter is not visible after the closure.
        #expect(throws: ExecutionError.unknownVariable("p")) {
            try eval([val(intSet([1])), closure(["p"], [bool(true)]), bin(.all), variable("p"), bin(.lazyAnd)])
        }
    }

    @Test func tryOr() throws {
        // (true === 12).try_or(true)
        #expect(try eval([closure([bool(true), int(12), bin(.equal), un(.parens)]), bool(true), bin(.tryOr)]) == .bool(true))
        // (0 === 0).try_or(false)
        #expect(try eval([closure([int(0), int(0), bin(.equal), un(.parens)]), bool(false), bin(.tryOr)]) == .bool(true))
        // ((true === 12).try_or(true === 12)).try_or(true): inner right side error caught by the outer try
        let inner = [closure([bool(true), int(12), bin(.equal)]), bool(true), int(12), bin(.equal), bin(.tryOr)]
        #expect(try eval([closure(inner), bool(true), bin(.tryOr)]) == .bool(true))
        // (true == 12).try_or(true) is false
        #expect(try eval([closure([bool(true), int(12), bin(.heterogeneousEqual)]), bool(true), bin(.tryOr)]) == .bool(false))
        // true.try_or(true === 12): the right side's error propagates
        #expect(throws: ExecutionError.invalidType) {
            try eval([closure([bool(true)]), bool(true), int(12), bin(.equal), bin(.tryOr)])
        }
        // Unknown variables and extern failures inside the closure are caught too.
        #expect(try eval([closure([variable("nope")]), int(1), bin(.tryOr)]) == .integer(1))
    }

    // MARK: externs

    @Test func externs() throws {
        let externs: [String: ExternFunction] = [
            "id": ExternFunction { l, r in r == nil ? .success(l) : .failure("expecting a single value") },
            "eq": ExternFunction { l, r in
                guard let r else { return .failure("expecting two values") }
                return .success(.bool(l == r))
            },
        ]
        #expect(try eval([int(42), un(.ffi("id"))], externs: externs) == .integer(42))
        #expect(try eval([str("a"), str("a"), bin(.ffi("eq"))], externs: externs) == .bool(true))
        #expect(throws: ExecutionError.externEvalError("id", "expecting a single value")) {
            try eval([int(1), int(2), bin(.ffi("id"))], externs: externs)
        }
        #expect(throws: ExecutionError.undefinedExtern("missing")) { try eval([int(1), un(.ffi("missing"))]) }
        #expect(throws: ExecutionError.undefinedExtern("missing")) { try eval([int(1), int(2), bin(.ffi("missing"))]) }
    }

    // MARK: stack and variables

    @Test func stackAndVariableErrors() {
        #expect(evalError([]) == .invalidStack)
        #expect(evalError([int(1), int(2)]) == .invalidStack)
        #expect(evalError([int(1), bin(.add)]) == .invalidStack)
        #expect(evalError([un(.negate)]) == .invalidStack)
        #expect(evalError([closure([bool(true)])]) == .invalidStack)
        #expect(evalError([closure([bool(true)]), un(.negate)]) == .invalidStack)
        #expect(evalError([closure([bool(true)]), closure([bool(true)]), bin(.lazyAnd)]) == .invalidStack)
        #expect(evalError([variable("x")]) == .unknownVariable("x"))
        #expect(evalError([variable("x"), int(1), bin(.add)], ["x": .integer(1)]) == nil)
    }

    @Test func deepNestingIsRejectedNotCrashing() {
        var ops: [Op] = [bool(true)]
        for _ in 0..<400 { ops = [bool(false), closure(ops), bin(.lazyOr)] }
        #expect(evalError(ops) == .nestingTooDeep)
        // try_or does not swallow the nesting error.
        var tries: [Op] = [bool(true)]
        for _ in 0..<400 { tries = [closure(tries), bool(false), bin(.tryOr)] }
        #expect(evalError(tries) == .nestingTooDeep)
    }

    @Test func exponentialClosuresHitTheWorkBudget() {
        // Nested .all over 4-element sets, 20 levels deep: 4^20 evaluations without a budget.
        var body: [Op] = [bool(true)]
        for level in 0..<20 {
            body = [val(intSet([1, 2, 3, 4])), closure(["p\(level)"], body), bin(.all)]
        }
        #expect(evalError(body) == .timeout)
    }

    @Test func errorCodesAndReferenceNames() {
        #expect(ExecutionError.overflow.referenceName == "Overflow")
        #expect(ExecutionError.shadowedVariable.referenceName == "ShadowedVariable")
        #expect(ExecutionError.invalidType.code == "invalid_type")
        #expect(ExecutionError.tooManyFacts.isRunLimit)
        #expect(!ExecutionError.divideByZero.isRunLimit)
    }

    // MARK: expressions from the conformance samples

    @Test func sampleExpressions() throws {
        // test017: 1 + 2 * 3 - 4 / 2 === 5
        #expect(try eval([int(1), int(2), int(3), bin(.mul), bin(.add), int(4), int(2), bin(.div), bin(.sub), int(5), bin(.equal)]) == .bool(true))
        // test017: "aaabde" === "aaa" + "b" + "de"
        #expect(try eval([str("aaabde"), str("aaa"), str("b"), bin(.add), str("de"), bin(.add), bin(.equal)]) == .bool(true))
        // test017: {1, 2, 3}.intersection({1, 2}).length() === 2
        #expect(try eval([val(intSet([1, 2, 3])), val(intSet([1, 2])), bin(.intersection), un(.length), int(2), bin(.equal)]) == .bool(true))
        // test027: 10000000000 * 10000000000 !== 0
        #expect(throws: ExecutionError.overflow) { try eval([int(10_000_000_000), int(10_000_000_000), bin(.mul), int(0), bin(.notEqual)]) }
        // test027: -9223372036854775808 - 1 !== 0
        #expect(throws: ExecutionError.overflow) { try eval([int(.min), int(1), bin(.sub), int(0), bin(.notEqual)]) }
        // test028: 1 | 2 ^ 3 === 0
        #expect(try eval([int(1), int(2), bin(.bitwiseOr), int(3), bin(.bitwiseXor), int(0), bin(.equal)]) == .bool(true))
        // test030: $value == null
        #expect(try eval([variable("value"), val(.null), bin(.heterogeneousEqual)], ["value": .null]) == .bool(true))
        #expect(try eval([variable("value"), val(.null), bin(.heterogeneousNotEqual)], ["value": .integer(1)]) == .bool(true))
        // test031: "abcD12x" != true
        #expect(try eval([str("abcD12x"), bool(true), bin(.heterogeneousNotEqual)]) == .bool(true))
        // test032: !(false && "x".intersection("x"))
        #expect(try eval([bool(false), closure([str("x"), str("x"), bin(.intersection)]), bin(.lazyAnd), un(.parens), un(.negate)]) == .bool(true))
        // test033: {false, true}.type() == "set"
        #expect(try eval([val(.set(TermSet([.bool(false), .bool(true)]))), un(.typeOf), str("set"), bin(.heterogeneousEqual)]) == .bool(true))
        // test034: [1, 2, "a"].get(2) == "a"
        #expect(
            try eval([val(.array([.integer(1), .integer(2), .string("a")])), int(2), bin(.get), str("a"), bin(.heterogeneousEqual)]) == .bool(true))
        // test034: {"a": 1, "b": 2}.all($kv -> $kv.get(0) != "c" && $kv.get(1) < 3)
        let ab: Term = .map(TermMap([(.string("a"), .integer(1)), (.string("b"), .integer(2))]))
        let kvBody: [Op] = [
            variable("kv"), int(0), bin(.get), str("c"), bin(.heterogeneousNotEqual),
            closure([variable("kv"), int(1), bin(.get), int(3), bin(.lessThan)]), bin(.lazyAnd),
        ]
        #expect(try eval([val(ab), closure(["kv"], kvBody), bin(.all)]) == .bool(true))
        // test034: {1: "A", "a": 1, "b": 2}.any($kv -> $kv.get(0) == 1 && $kv.get(1) == "A")
        let mixed: Term = .map(TermMap([(.integer(1), .string("A")), (.string("a"), .integer(1)), (.string("b"), .integer(2))]))
        let anyBody: [Op] = [
            variable("kv"), int(0), bin(.get), int(1), bin(.heterogeneousEqual),
            closure([variable("kv"), int(1), bin(.get), str("A"), bin(.heterogeneousEqual)]), bin(.lazyAnd),
        ]
        #expect(try eval([val(mixed), closure(["kv"], anyBody), bin(.any)]) == .bool(true))
        // test034: {"user": {"id": 1, "roles": ["admin"]}}.get("user").get("roles").contains("admin")
        let user: Term = .map(
            TermMap([
                (
                    .string("user"),
                    .map(
                        TermMap([
                            (.string("id"), .integer(1)),
                            (.string("roles"), .array([.string("admin")])),
                        ]))
                )
            ]))
        #expect(try eval([val(user), str("user"), bin(.get), str("roles"), bin(.get), str("admin"), bin(.contains)]) == .bool(true))
        // test034: {1: "a", 2: "b"} !== {"a": 1, "b": 2}
        let m1: Term = .map(TermMap([(.integer(1), .string("a")), (.integer(2), .string("b"))]))
        let m2: Term = .map(TermMap([(.string("a"), .integer(1)), (.string("b"), .integer(2))]))
        #expect(try eval([val(m1), val(m2), bin(.notEqual)]) == .bool(true))
    }
}

@Suite struct DatalogRegexTests {
    private func m(_ pattern: String, _ text: String) -> Bool { DatalogRegex.matches(pattern: pattern, in: text) }

    @Test func basics() {
        #expect(m("a*c?.e", "aaabde"))
        #expect(m("abc", "xxabcxx"))
        #expect(!m("^abc", "xabc"))
        #expect(m("abc$", "xabc"))
        #expect(!m("abc$", "abcx"))
        #expect(m("", "anything"))
        #expect(m("a|b", "xbx"))
        #expect(m("^(ab|cd)+$", "abcdab"))
        #expect(!m("^(ab|cd)+$", "abcda"))
        #expect(m("^a{2,3}$", "aaa"))
        #expect(!m("^a{2,3}$", "aaaa"))
        #expect(m("^a{2}$", "aa"))
        #expect(m("^a{2,}$", "aaaaa"))
        #expect(m("^colou?r$", "color"))
        #expect(m("^.+@example\\.com$", "me@example.com"))
        #expect(!m("^.+@example\\.com$", "me@exampleXcom"))
    }

    @Test func classes() {
        #expect(m("^[a-z]+$", "hello"))
        #expect(!m("^[a-z]+$", "Hello"))
        #expect(m("^[^0-9]+$", "abc"))
        #expect(!m("^[^0-9]+$", "ab1"))
        #expect(m("^[]a]+$", "]a]"))
        #expect(m("^[a-]+$", "a-a"))
        #expect(m("^\\d+$", "0123"))
        #expect(m("^\\w+\\s\\w+$", "hello world"))
        #expect(m("^[\\d.]+$", "1.2.3"))
        #expect(m("^[[:alpha:]]+$", "abcXYZ"))
        #expect(!m("^[[:alpha:]]+$", "abc1"))
        #expect(m("^\\D\\S\\W$", "a-!"))
        #expect(m("^.$", "é"))
        #expect(!m("^.$", "\n"))
        #expect(m("(?s)^.$", "\n"))
    }

    @Test func flagsAndAssertions() {
        #expect(m("(?i)^hello$", "HeLLo"))
        #expect(!m("^hello$", "HeLLo"))
        #expect(m("(?i:[a-c])x", "Bx"))
        #expect(m("(?m)^b$", "a\nb\nc"))
        #expect(!m("^b$", "a\nb\nc"))
        #expect(m("\\bfoo\\b", "a foo b"))
        #expect(!m("\\bfoo\\b", "afoob"))
        #expect(m("\\Bfoo", "afoo"))
        #expect(m("\\Aab\\z", "ab"))
        #expect(m("(?P<name>a)(?<other>b)", "ab"))
        #expect(m("\\x41\\x{42}\\u0043", "ABC"))
    }

    @Test func invalidPatternsDoNotMatch() {
        for p in ["(", ")", "[a", "a{2", "a{3,2}", "*a", "a**", "\\p{L}", "\\y", "(?<!a)b", "(?=a)", "\\1", "[a&&b]"] {
            #expect(DatalogRegex.compile(p) == nil, "\(p) should be rejected")
        }
        #expect(DatalogRegex.compile("a{100000}") == nil)  // program too large
    }

    @Test func pathologicalPatternsRunInLinearTime() {
        let text = String(repeating: "a", count: 5000) + "b"
        let clock = ContinuousClock()
        let start = clock.now
        #expect(!m("^(a+)+$", text))
        #expect(!m("^(a|aa)*c", text))
        #expect(m("(a*)*b", text))
        #expect(clock.now - start < .seconds(10))
    }
}
