/// One action an agent took in a workflow, as reports draw it: who acted, on whom or what, what
/// came of it against what the scenario expected, and what it cost.
public struct WorkflowEntry: Hashable, Sendable, Codable {
    /// What kind of action: `delegate`, `call` or `forward`.
    public var kind: String
    /// The acting agent's name.
    public var agent: String
    /// The peer (delegate, forward) or the tool (call).
    public var target: String
    /// The line of the action in the scenario file.
    public var line: Int
    /// Scenario time of the action (seconds since the epoch).
    public var time: Int64
    public var description: String
    public var expectation: Expectation
    public var outcome: Outcome
    public var judgement: Judgement
    /// For tool calls: the price charged and the budget left along the chain (nil: no ceiling).
    public var chargedCents: Int64?
    public var remainingCents: Int64?

    public init(
        kind: String, agent: String, target: String, line: Int, time: Int64, description: String, expectation: Expectation, outcome: Outcome,
        judgement: Judgement, chargedCents: Int64? = nil, remainingCents: Int64? = nil
    ) {
        self.kind = kind
        self.agent = agent
        self.target = target
        self.line = line
        self.time = time
        self.description = description
        self.expectation = expectation
        self.outcome = outcome
        self.judgement = judgement
        self.chargedCents = chargedCents
        self.remainingCents = remainingCents
    }
}
