/// A refusal: the code, the step that decided, and why.
public struct AgenticJWTError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: AgenticJWTCode
    public var step: AgenticJWTStep
    public var reason: String

    public init(_ code: AgenticJWTCode, at step: AgenticJWTStep, _ reason: String) {
        self.code = code
        self.step = step
        self.reason = reason
    }

    public var description: String { "\(code.rawValue) at \(step.rawValue): \(reason)" }
}
