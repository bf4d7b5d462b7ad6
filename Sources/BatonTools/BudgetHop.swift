/// One hop's budget ceiling in a verified delegation chain.
public struct BudgetHop: Hashable, Sendable {
    /// A stable key for the hop across calls: its block's revocation id, or a token id.
    public var key: String
    /// The effective ceiling at this hop, in cents; nil means no ceiling.
    public var ceilingCents: Int64?

    public init(key: String, ceilingCents: Int64?) {
        self.key = key
        self.ceilingCents = ceilingCents
    }
}
