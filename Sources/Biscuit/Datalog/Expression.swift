/// An expression: a postfix program for a stack machine, as Biscuit serialises it.
public struct Expression: Hashable, Sendable {
    public var ops: [Op]
    public init(ops: [Op]) { self.ops = ops }
}

/// One instruction of an expression.
public enum Op: Hashable, Sendable {
    /// Push a value (or a variable, resolved from the current bindings).
    case value(Term)
    case unary(UnaryOp)
    case binary(BinaryOp)
    /// A closure with its parameter names and body, used by `.all()`, `.any()`,
    /// lazy `&&`/`||` and `.try_or()`.
    case closure(params: [String], ops: [Op])
}

/// Unary operators.
public enum UnaryOp: Hashable, Sendable {
    case negate
    case parens
    case length
    case typeOf
    /// An external call `.extern::name()`.
    case ffi(String)
}

/// Binary operators, in the order of the wire format's enumeration.
public enum BinaryOp: Hashable, Sendable {
    case lessThan
    case greaterThan
    case lessOrEqual
    case greaterOrEqual
    case equal
    case contains
    case prefix
    case suffix
    case regex
    case add
    case sub
    case mul
    case div
    case and
    case or
    case intersection
    case union
    case bitwiseAnd
    case bitwiseOr
    case bitwiseXor
    case notEqual
    case heterogeneousEqual
    case heterogeneousNotEqual
    case lazyAnd
    case lazyOr
    case all
    case any
    case get
    /// An external call `.extern::name(arg)`.
    case ffi(String)
    case tryOr
}
