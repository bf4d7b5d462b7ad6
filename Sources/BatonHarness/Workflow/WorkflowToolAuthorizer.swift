import BatonModel
import BatonTools
import Synchronization

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
            return .allowed(hops: gate.keepsLedger ? reading.budgetHops : [], budgetRefusal: gate.budgetRefusal)
        case .reject:
            return .refused(ToolRefusal(code: outcome.code ?? "unknown", step: outcome.step, message: outcome.message ?? ""))
        case .error:
            failure.withLock { $0 = outcome }
            return .refused(ToolRefusal(code: "verifier_error", message: outcome.message ?? ""))
        }
    }
}
