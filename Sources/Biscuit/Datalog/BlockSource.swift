/// The Datalog content of one block (or of authorizer code), independent of
/// how it is serialised: what the text parser produces and the printer prints.
public struct BlockSource: Hashable, Sendable {
    /// Facts.
    public var facts: [Fact]
    /// Rules.
    public var rules: [Rule]
    /// Checks.
    public var checks: [Check]
    /// Block-level `trusting` scopes.
    public var scopes: [Scope]
    /// Authorizer policies (always empty for token blocks).
    public var policies: [Policy]

    /// Block contents; every part defaults to empty.
    public init(facts: [Fact] = [], rules: [Rule] = [], checks: [Check] = [], scopes: [Scope] = [], policies: [Policy] = []) {
        self.facts = facts
        self.rules = rules
        self.checks = checks
        self.scopes = scopes
        self.policies = policies
    }
}
