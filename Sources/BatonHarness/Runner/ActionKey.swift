/// One action of one agent's plan.
public struct ActionKey: Hashable, Sendable {
    /// The agent's name.
    public var agent: String
    /// The action's index in its plan.
    public var action: Int
}
