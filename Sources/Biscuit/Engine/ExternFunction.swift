/// An external (FFI) function callable from Datalog as `.extern::name()` (unary,
/// `right` is nil) or `.extern::name(arg)` (binary).
///
/// The body returns the resulting term, or a failure message that the evaluator
/// reports as ``ExecutionError/externEvalError(_:_:)``, e.g.
/// `ExternFunction { l, r in r == nil ? .success(l) : .failure("expecting one value") }`.
public struct ExternFunction: Sendable {
    /// The function body: (left operand, optional right operand) -> result or failure.
    public let body: @Sendable (Term, Term?) -> Result<Term, ExternFunctionError>

    /// A function with this body.
    public init(_ body: @escaping @Sendable (Term, Term?) -> Result<Term, ExternFunctionError>) {
        self.body = body
    }

    /// Calls the function.
    public func callAsFunction(_ left: Term, _ right: Term?) -> Result<Term, ExternFunctionError> {
        body(left, right)
    }
}

/// The failure message of an ``ExternFunction`` (a string literal works: `.failure("bad input")`).
public struct ExternFunctionError: Error, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// Why the call failed.
    public var message: String

    /// A failure with `message`.
    public init(_ message: String) { self.message = message }
    /// A failure whose message is the literal.
    public init(stringLiteral value: String) { message = value }

    /// The message.
    public var description: String { message }
}
