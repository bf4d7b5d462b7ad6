import BatonAgents
import BatonModel

/// A defence of the workflow itself removed: the tool server's ledger, or the agents' card check.
/// These are not verifier steps, so the verifier galleries cannot remove them; the workflow
/// scenarios must still catch each (`baton kill-matrix`).
public enum WorkflowFlaw: String, Flaw {
    /// The tool server charges nothing and checks no ceiling.
    case skipBudgetLedger = "workflow-skip-budget-ledger"
    /// Agents believe any agent card: the identity a card claims is taken without checking its key.
    case trustAgentCards = "workflow-trust-agent-cards"
    /// The gateway takes the caller a call claims instead of the transport identity.
    case gatewayTrustsClaimedCaller = "workflow-gateway-trusts-claimed-caller"
    /// The tool server takes calls that did not come through the gateway.
    case toolsAcceptDirectCalls = "workflow-tools-accept-direct-calls"

    public var summary: String {
        switch self {
        case .skipBudgetLedger: return "the tool server keeps no ledger: calls are never refused for budget"
        case .trustAgentCards: return "agents believe the identity an agent card claims without checking its key"
        case .gatewayTrustsClaimedCaller: return "the gateway believes the caller a call claims instead of the transport identity"
        case .toolsAcceptDirectCalls: return "the tool server takes calls that went around the gateway"
        }
    }

    /// The pseudo-steps of the workflow defences, as the refusals report them.
    public var removedStep: String {
        switch self {
        case .skipBudgetLedger: return WorkflowStepName.ledger
        case .trustAgentCards: return WorkflowStepName.card
        case .gatewayTrustsClaimedCaller, .toolsAcceptDirectCalls: return WorkflowGateway.step
        }
    }
}
