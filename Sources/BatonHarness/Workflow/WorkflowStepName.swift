import BatonAgents

/// The steps a workflow's own defences report refusals at (beside the verifier's steps).
public enum WorkflowStepName {
    /// The tool server's budget ledger.
    public static let ledger = "LEDGER"
    /// An agent's check of a peer's card against the peer's published identity.
    public static let card = AgentRefusal.cardStep
}
