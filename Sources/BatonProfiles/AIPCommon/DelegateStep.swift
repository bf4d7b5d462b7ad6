import BatonHarness
import BatonModel

/// `delegate`: the holder of a chained token appends a delegation block for the next agent,
/// narrowing scopes, budget and expiry, with a purpose (`context`), through the issuer under test
/// or the reference.
struct DelegateStep: ScenarioStepKind, Hashable {
    static let keyword = "delegate"
    static let isCheckpoint = true

    var name: String
    var from: String
    var by: String
    var to: String
    var scopes: [String]
    var context: String
    var budgetCents: Int64?
    var expiresIn: Int64?
    var principal: String?
    /// Sign the block with the delegator's key (the signed-delegation extension).
    var signed: Bool

    static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> DelegateStep {
        try f.rejectUnknownKeys(["as", "from", "by", "to", "scopes", "context", "budget_cents", "expires_in", "principal", "signed"])
        let d = DelegateStep(
            name: try f["as"].string(), from: try f["from"].string(), by: try f["by"].string(), to: try f["to"].string(),
            scopes: try f["scopes"].strings(), context: try f["context"].string(),
            budgetCents: try f["budget_cents"].optionalInt().map(Int64.init), expiresIn: try f["expires_in"].optionalInt().map(Int64.init),
            principal: try f["principal"].optionalString(), signed: try f["signed"].optionalBool() ?? false)
        try context.token(d.from, f["from"])
        try context.agent(d.by, f["by"])
        try context.agent(d.to, f["to"])
        if expect?.verdict != .reject { try context.define(d.name, f["as"]) }
        return d
    }

    func perform(_ run: inout StepRun) async throws -> Outcome? {
        let issuer = try run.issuer()
        guard let token = run.state.tokens[from] else { throw ForgeFailure("\(run.label): no token \(from)") }
        if let e = expiresIn, run.now.addingReportingOverflow(e).overflow { throw ForgeFailure("\(run.label): expires_in \(e) overflows the clock") }
        let request = DelegateRequest(
            profile: run.scenario.profile, token: token, delegator: run.state.identity(by), delegate: run.state.identity(to),
            scopes: scopes, context: context, budgetCents: budgetCents, expiresAt: expiresIn.map { run.now + $0 },
            principal: principal, now: run.now, delegatorKey: signed || run.driver.signsEveryDelegation ? run.state.key(by) : nil,
            nextKey: run.nextKey, delegateKey: run.state.key(to).publicKey,
            revocation: run.verifyRequest(token: nil, audience: nil, scope: nil, root: run.scenario.trust).revocation)
        run.log(
            "\(run.label): \(by) delegates \(from) → \(name) to \(to) scopes \(scopes) context \"\(context)\"\(signed ? " (signed)" : "") [\(issuer.descriptor.name)]"
        )
        if let forgery = run.state.forgeries[from] { run.state.forgeries[name] = forgery }
        return try await run.issue(name: name, by: issuer) { await $0.delegate(request) }
    }
}
