import BatonModel
import BatonTools

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
