import BatonModel

/// `mint`: an agent mints the root token of a chain (the issuer under test, or the reference).
public struct MintStep: ScenarioStepKind, Hashable {
    public static let keyword = "mint"
    public static let isCheckpoint = true

    public var name: String
    public var by: String
    public var scopes: [String]
    public var principal: String?
    public var budgetCents: Int64?
    public var maxDepth: Int64
    public var ttlSeconds: Int64
    /// The holder of a one-hop token (profile `aip-compact`).
    public var to: String?
    /// `budget_cents` or `max_depth` given as a fraction (`1.5`): sent as is, for the issuer to refuse.
    public var fractions: [String: Double] = [:]

    public static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> MintStep {
        try f.rejectUnknownKeys(["as", "by", "to", "scopes", "principal", "budget_cents", "max_depth", "ttl"])
        var fractions: [String: Double] = [:]
        /// An integer, or a fraction kept aside (its integer field then holds the truncated value).
        func number(_ key: String) throws -> Int64? {
            guard f[key].exists else { return nil }
            if let d = Double(try f[key].string()), d.isFinite, d != d.rounded(.towardZero), abs(d) < 1e15 {
                fractions[key] = d
                return Int64(d)
            }
            return Int64(try f[key].int())
        }
        let budgetCents = try number("budget_cents")
        let maxDepth = try number("max_depth") ?? 3
        let m = MintStep(
            name: try f["as"].string(), by: try f["by"].string(), scopes: try f["scopes"].strings(),
            principal: try f["principal"].optionalString(), budgetCents: budgetCents,
            maxDepth: maxDepth, ttlSeconds: Int64(try f["ttl"].optionalInt() ?? 3600),
            to: try f["to"].optionalString(), fractions: fractions)

        try context.agent(m.by, f["by"])
        if let to = m.to { try context.agent(to, f["to"]) }
        try context.define(m.name, f["as"])
        return m
    }

    public func perform(_ run: inout StepRun) async throws -> Outcome? {
        let issuer = try run.issuer()
        var request = MintRequest(
            profile: run.scenario.profile, issuer: run.state.identity(by), issuerKey: run.state.key(by), scopes: scopes,
            principal: principal, budgetCents: budgetCents, maxDepth: maxDepth, ttlSeconds: ttlSeconds, now: run.now,
            nextKey: run.nextKey, subject: to.map(run.state.identity),
            subjectKey: to.map { run.state.key($0).publicKey })
        request.fractions = fractions.isEmpty ? nil : fractions
        run.log(
            "\(run.label): \(by) mints \(name) scopes \(scopes) budget \(fractions["budget_cents"].map { "\($0)" } ?? budgetCents.map(String.init) ?? "none") max_depth \(fractions["max_depth"].map { "\($0)" } ?? String(maxDepth)) ttl \(ttlSeconds)s [\(issuer.descriptor.name)]"
        )
        return try await run.issue(name: name, by: issuer) { await $0.mint(request) }
    }
}
