/// The authorizer's world after a run, printed the way the reference's
/// conformance samples record it: facts grouped by origin set, rules and checks
/// by block (nil = the authorizer), and the policies.
public struct AuthorizerWorld: Hashable, Sendable {
    /// Facts that share one origin set.
    public struct FactGroup: Hashable, Sendable {
        /// Block indices, nil for the authorizer; nil sorts first.
        public var origins: [Int?]
        /// Printed facts, sorted by byte order.
        public var facts: [String]
    }

    /// The rules of one block.
    public struct RuleGroup: Hashable, Sendable {
        /// The block index, `nil` for the authorizer.
        public var origin: Int?
        /// Printed rules, in block order.
        public var rules: [String]
    }

    /// The checks of one block.
    public struct CheckGroup: Hashable, Sendable {
        /// The block index, `nil` for the authorizer.
        public var origin: Int?
        /// Printed checks, in block order.
        public var checks: [String]
    }

    /// Facts, grouped by origin set.
    public var facts: [FactGroup]
    /// Rules, grouped by block.
    public var rules: [RuleGroup]
    /// Checks, grouped by block.
    public var checks: [CheckGroup]
    /// The authorizer's policies, printed, in order.
    public var policies: [String]

    init(world: World, blocks: [DecodedBlock], authorizer: BlockSource) {
        facts = world.facts.map { group in
            FactGroup(
                origins: group.origins.origins.map { $0.isAuthorizer ? nil : $0.index }.sorted { a, b in
                    switch (a, b) {
                    case (nil, .some): return true
                    case let (x?, y?): return x < y
                    default: return false
                    }
                },
                facts: group.facts.map(DatalogPrinter.print).sorted(by: AuthorizerWorld.byteOrder))
        }.filter { !$0.facts.isEmpty }.sorted(by: AuthorizerWorld.groupOrder)
        var rules: [RuleGroup] = []
        var checks: [CheckGroup] = []
        for (i, block) in blocks.enumerated() {
            if !block.source.rules.isEmpty {
                rules.append(RuleGroup(origin: i, rules: block.source.rules.map(DatalogPrinter.print).sorted(by: AuthorizerWorld.byteOrder)))
            }
            if !block.source.checks.isEmpty {
                checks.append(CheckGroup(origin: i, checks: block.source.checks.map(DatalogPrinter.print).sorted(by: AuthorizerWorld.byteOrder)))
            }
        }
        if !authorizer.rules.isEmpty {
            rules.append(RuleGroup(origin: nil, rules: authorizer.rules.map(DatalogPrinter.print).sorted(by: AuthorizerWorld.byteOrder)))
        }
        if !authorizer.checks.isEmpty {
            checks.append(CheckGroup(origin: nil, checks: authorizer.checks.map(DatalogPrinter.print).sorted(by: AuthorizerWorld.byteOrder)))
        }
        self.rules = rules
        self.checks = checks
        policies = authorizer.policies.map(DatalogPrinter.print)
    }

    static func byteOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// The reference sorts groups by origin set (nil first, then element-wise), then by facts.
    static func groupOrder(_ a: FactGroup, _ b: FactGroup) -> Bool {
        for (x, y) in zip(a.origins, b.origins) where x != y {
            switch (x, y) {
            case (nil, _): return true
            case (_, nil): return false
            case let (x?, y?): return x < y
            }
        }
        if a.origins.count != b.origins.count { return a.origins.count < b.origins.count }
        return a.facts.lexicographicallyPrecedes(b.facts, by: byteOrder)
    }
}
