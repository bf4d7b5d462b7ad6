/// Errors raised while evaluating expressions or running the Datalog engine.
///
/// The cases mirror the reference implementation's `error::Expression` and
/// `error::RunLimit` variants; `referenceName` gives the exact variant name as
/// it appears in conformance results (e.g. `{"Execution": "Overflow"}` or
/// `{"RunLimit": "TooManyFacts"}`).
public enum ExecutionError: Error, Equatable, Sendable {
    /// An operator was applied to operands of unsupported types, or an
    /// expression did not produce a boolean where one was required.
    case invalidType
    /// Checked 64-bit integer arithmetic overflowed.
    case overflow
    /// Integer division by zero (or `Int64.min / -1`, as the reference does).
    case divideByZero
    /// A variable was referenced that is not bound.
    case unknownVariable(String)
    /// The expression's stack was malformed (underflow, leftover values, misplaced closure).
    case invalidStack
    /// A closure parameter has the same name as a variable already in scope.
    case shadowedVariable
    /// An `extern::` function was called that is not registered.
    case undefinedExtern(String)
    /// A registered extern function failed: (function name, its message).
    case externEvalError(String, String)
    /// The world grew to the maximum number of facts.
    case tooManyFacts
    /// Rule application did not reach a fixpoint within the maximum number of iterations.
    case tooManyIterations
    /// Evaluation exceeded its time (or work) budget.
    case timeout
    /// Closures nested deeper than the evaluator accepts (no reference equivalent).
    case nestingTooDeep

    /// A stable snake_case identifier.
    public var code: String {
        switch self {
        case .invalidType: return "invalid_type"
        case .overflow: return "overflow"
        case .divideByZero: return "divide_by_zero"
        case .unknownVariable: return "unknown_variable"
        case .invalidStack: return "invalid_stack"
        case .shadowedVariable: return "shadowed_variable"
        case .undefinedExtern: return "undefined_extern"
        case .externEvalError: return "extern_eval_error"
        case .tooManyFacts: return "too_many_facts"
        case .tooManyIterations: return "too_many_iterations"
        case .timeout: return "timeout"
        case .nestingTooDeep: return "nesting_too_deep"
        }
    }

    /// The reference implementation's variant name.
    public var referenceName: String {
        switch self {
        case .invalidType: return "InvalidType"
        case .overflow: return "Overflow"
        case .divideByZero: return "DivideByZero"
        case .unknownVariable: return "UnknownVariable"
        case .invalidStack: return "InvalidStack"
        case .shadowedVariable: return "ShadowedVariable"
        case .undefinedExtern: return "UndefinedExtern"
        case .externEvalError: return "ExternEvalError"
        case .tooManyFacts: return "TooManyFacts"
        case .tooManyIterations: return "TooManyIterations"
        case .timeout: return "Timeout"
        case .nestingTooDeep: return "NestingTooDeep"
        }
    }

    /// True for run-limit errors (reported as `RunLimit` by the reference,
    /// the others as `Execution`).
    public var isRunLimit: Bool {
        switch self {
        case .tooManyFacts, .tooManyIterations, .timeout: return true
        default: return false
        }
    }
}
