import BatonTools

extension ChainReading {
    /// The tool server's ledger hops: one per block, keyed by its revocation id, with the effective
    /// ceiling at that block (the lowest declared so far; nil until a block declares one).
    public var budgetHops: [BudgetHop] {
        var ceiling: Int64?
        return revocationIDs.enumerated().map { i, id in
            if i < budgets.count, let b = budgets[i] { ceiling = min(ceiling ?? b, b) }
            return BudgetHop(key: id, ceilingCents: ceiling)
        }
    }
}
