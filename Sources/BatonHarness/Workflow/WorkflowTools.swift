import BatonModel
import BatonTools
import Synchronization

/// The run's tool server (a real MCP server, reached through a real MCP client in process), and
/// the view of the run its authorizer checks tokens against. The ledger lasts the whole scenario:
/// budget spent in one request is gone for the next.
public final class WorkflowTools: Sendable {
    public let server: ToolServer
    let authorizer: WorkflowToolAuthorizer
    let client: MCPToolClient

    /// The identity the tool server records as the receiver of calls.
    public static func identity(domain: String) -> String { "mcp://tools.\(domain)" }

    /// Ends the MCP session (the runner calls it when the scenario is done).
    public func close() async { await client.close() }

    init(catalog: ToolCatalog) async throws {
        authorizer = WorkflowToolAuthorizer()
        server = ToolServer(catalog: catalog, authorizer: authorizer)
        client = try await MCPToolClient.connect(to: server)
    }

    /// Places a call with the current view of the run.
    func call(_ call: ToolCallRequest, view: ToolGate) async -> ToolCallResult {
        authorizer.gate.withLock { $0 = view }
        var result = await client.call(tool: call.tool, token: call.token, caller: call.caller, arguments: call.arguments)
        // The view holds the world it verifies for: drop it, so nothing outlives the call.
        authorizer.gate.withLock { $0 = nil }
        // A verifier that failed to answer is an implementation error, never a refusal.
        if let failure = authorizer.takeFailure() { result.outcome = failure }
        return result
    }
}

/// What the tool server checks a token with: the verifier of the run and how it reads tokens.
struct ToolGate: Sendable {
    /// Verifies a token for a holder identity and scope.
    var verify: @Sendable (_ token: String?, _ holder: String, _ scope: String) async -> Outcome
    /// An agent name's identity.
    var identity: @Sendable (String) -> String
    /// What the token says of its chain (budgets and revocation ids per block).
    var read: @Sendable (String) -> ChainReading
    /// The profile's refusal when a call does not fit the budget.
    var budgetRefusal: ToolRefusal
    /// False in the flawed variant that removes the ledger: no ceiling is ever checked.
    var keepsLedger = true
    /// Whether the profile's tokens carry a ceiling per block (the ledger then fails closed when it
    /// cannot read one per block).
    var tokensCarryBudgets = false
}

/// The tool server's authorizer: the token must verify with the caller as its holder (audience)
/// and the tool's scope; the budget ceilings along its chain come from the token's blocks.
final class WorkflowToolAuthorizer: ToolCallAuthorizer {
    let gate = Mutex<ToolGate?>(nil)
    let failure = Mutex<Outcome?>(nil)

    func takeFailure() -> Outcome? {
        failure.withLock { f in
            defer { f = nil }; return f
        }
    }

    func authorize(_ call: ToolCallRequest, tool: ToolSpec) async -> ToolAuthorization {
        guard let gate = gate.withLock({ $0 }) else {
            return .refused(ToolRefusal(code: "tool_server_unconfigured", message: "the tool server has no view of the run"))
        }
        let outcome = await gate.verify(call.token, gate.identity(call.caller), tool.scope)
        switch outcome.verdict {
        case .accept:
            let reading = call.token.map(gate.read) ?? ChainReading()
            // The ledger fails closed: a token whose budgets cannot be read block by block is not charged
            // as if it had no ceiling.
            guard !gate.tokensCarryBudgets || reading.budgets.count == reading.revocationIDs.count || !gate.keepsLedger else {
                return .refused(
                    ToolRefusal(
                        code: gate.budgetRefusal.code, step: gate.budgetRefusal.step,
                        message:
                            "the token's budgets cannot be read block by block (\(reading.budgets.count) for \(reading.revocationIDs.count) blocks)"))
            }
            return .allowed(hops: gate.keepsLedger ? Self.hops(reading) : [], budgetRefusal: gate.budgetRefusal)
        case .reject:
            return .refused(ToolRefusal(code: outcome.code ?? "unknown", step: outcome.step, message: outcome.message ?? ""))
        case .error:
            failure.withLock { $0 = outcome }
            return .refused(ToolRefusal(code: "verifier_error", message: outcome.message ?? ""))
        }
    }

    /// One ledger hop per block, keyed by its revocation id, with the effective ceiling at that block
    /// (the lowest declared so far).
    static func hops(_ reading: ChainReading) -> [BudgetHop] {
        var ceiling: Int64?
        return reading.revocationIDs.enumerated().map { i, id in
            if i < reading.budgets.count, let b = reading.budgets[i] { ceiling = min(ceiling ?? b, b) }
            return BudgetHop(key: id, ceilingCents: ceiling)
        }
    }
}
