/// What an agent does with each task it accepts: its actions, in order. An agent with an empty
/// plan verifies the token it receives and answers.
public struct AgentPlan: Hashable, Sendable {
    public var actions: [AgentAction]
    /// Whether the agent checks a peer's agent card against the peer's published identity before
    /// delegating to it (honest agents do; a careless one believes any card).
    public var checksCards: Bool
    /// Whether the agent verifies the token of a task before it acts (a rogue takes any token).
    public var verifiesTokens: Bool

    public init(actions: [AgentAction] = [], checksCards: Bool = true, verifiesTokens: Bool = true) {
        self.actions = actions
        self.checksCards = checksCards
        self.verifiesTokens = verifiesTokens
    }

    public static let idle = AgentPlan()
}
