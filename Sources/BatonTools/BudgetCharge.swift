/// The outcome of charging a ledger along a chain's hops.
public enum BudgetCharge: Hashable, Sendable {
    /// Charged; `remaining` is the least budget left over the hops that have a ceiling (nil: none has).
    case charged(remaining: Int64?)
    /// Not charged: at `hop`, `spent` already plus `cents` would pass the ceiling.
    case exceeded(hop: BudgetHop, spent: Int64, cents: Int64)
}
