/// An expression: a postfix program for a stack machine, as Biscuit serialises it.
public struct Expression: Hashable, Sendable {
    /// The instructions, in execution order.
    public var ops: [Op]
    /// An expression from its instructions.
    public init(ops: [Op]) { self.ops = ops }
}

/// One instruction of an expression.
public enum Op: Hashable, Sendable {
    /// Push a value (or a variable, resolved from the current bindings).
    case value(Term)
    /// Apply a unary operator to the top of the stack.
    case unary(UnaryOp)
    /// Apply a binary operator to the two top values of the stack.
    case binary(BinaryOp)
    /// A closure with its parameter names and body, used by `.all()`, `.any()`,
    /// lazy `&&`/`||` and `.try_or()`.
    case closure(params: [String], ops: [Op])
}

/// Unary operators.
public enum UnaryOp: Hashable, Sendable {
    /// `!x`: Boolean negation.
    case negate
    /// `(x)`: parentheses, kept so that printing round-trips.
    case parens
    /// `x.length()`.
    case length
    /// `x.type()`.
    case typeOf
    /// An external call `.extern::name()`.
    case ffi(String)
}

/// Binary operators, in the order of the wire format's enumeration.
public enum BinaryOp: Hashable, Sendable {
    /// `<`.
    case lessThan
    /// `>`.
    case greaterThan
    /// `<=`.
    case lessOrEqual
    /// `>=`.
    case greaterOrEqual
    /// `===` (strict equality; `==` in older syntax).
    case equal
    /// `.contains()`.
    case contains
    /// `.starts_with()`.
    case prefix
    /// `.ends_with()`.
    case suffix
    /// `.matches()`.
    case regex
    /// `+`.
    case add
    /// `-`.
    case sub
    /// `*`.
    case mul
    /// `/`.
    case div
    /// Boolean and with both sides evaluated (the form before lazy `&&`).
    case and
    /// Boolean or with both sides evaluated (the form before lazy `||`).
    case or
    /// `.intersection()`.
    case intersection
    /// `.union()`.
    case union
    /// `&`.
    case bitwiseAnd
    /// `|`.
    case bitwiseOr
    /// `^`.
    case bitwiseXor
    /// `!==` (strict inequality; `!=` in older syntax).
    case notEqual
    /// `==` between values of any types (false when the types differ).
    case heterogeneousEqual
    /// `!=` between values of any types (true when the types differ).
    case heterogeneousNotEqual
    /// `&&` with a closure on the right, evaluated only when needed.
    case lazyAnd
    /// `||` with a closure on the right, evaluated only when needed.
    case lazyOr
    /// `.all()`: the closure holds for every element.
    case all
    /// `.any()`: the closure holds for some element.
    case any
    /// `.get()`: an element of an array or a map.
    case get
    /// An external call `.extern::name(arg)`.
    case ffi(String)
    /// `.try_or()`: the closure's value, or the fallback if it fails.
    case tryOr
}
