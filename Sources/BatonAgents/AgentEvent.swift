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

    public init(agent: String, action: Int, repetition: Int = 0, description: String, outcome: Outcome) {
        self.agent = agent
        self.action = action
        self.repetition = repetition
        self.description = description
        self.outcome = outcome
    }
}
