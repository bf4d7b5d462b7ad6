/// What the authorizer decided for one call.
public enum ToolAuthorization: Hashable, Sendable {
    /// The call may run if the budget allows: `hops` are the chain's budget ceilings, root first;
    /// `budgetRefusal` is what to refuse with when one of them would be exceeded (for AIP,
    /// `aip_budget_exceeded`).
    case allowed(hops: [BudgetHop], budgetRefusal: ToolRefusal)
    /// The call may not run.
    case refused(ToolRefusal)
}
