import BatonModel

/// One event a step asks the runner to judge besides its own outcome.
public struct JudgedEvent: Sendable {
    /// The line of what is judged (an action in a plan).
    public var line: Int
    public var description: String
    public var expectation: Expectation
    public var outcome: Outcome
}
