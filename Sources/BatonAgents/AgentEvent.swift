import BatonModel

/// What one action of one agent came to: the outcome judged against the action's expectation.
public struct AgentEvent: Hashable, Sendable {
    /// The agent that acted (its name on the bus).
    public var agent: String
    /// The action's index in the agent's plan.
    public var action: Int
    /// For repeated calls: which call (0-based); 0 otherwise.
    public var repetition: Int
    /// One line for the trace (`researcher calls research.search with t1`).
    public var description: String
    public var outcome: Outcome
    /// The peer or tool the action addressed.
    public var target: String
    /// For tool calls: the price charged and the budget left along the chain.
    public var chargedCents: Int64?
    public var remainingCents: Int64?

    public init(
        agent: String, action: Int, repetition: Int = 0, description: String, outcome: Outcome, target: String = "",
        chargedCents: Int64? = nil, remainingCents: Int64? = nil
    ) {
        self.agent = agent
        self.action = action
        self.repetition = repetition
        self.description = description
        self.outcome = outcome
        self.target = target
        self.chargedCents = chargedCents
        self.remainingCents = remainingCents
    }
}
