import BatonModel

/// `verify`: a direct call to the verifier with a token, audience, scope and trust anchor.
public struct VerifyStep: ScenarioStepKind, Hashable {
    public static let keyword = "verify"
    public static let isCheckpoint = true

    public var token: String?
    public var audience: String?
    public var scope: String?
    /// The agent whose key is the trust anchor (default: the scenario's `trust`).
    public var root: String?

    public static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> VerifyStep {
        try f.rejectUnknownKeys(["token", "audience", "scope", "root"])
        let v = VerifyStep(
            token: try f["token"].optionalString(), audience: try f["audience"].optionalString(),
            scope: try f["scope"].optionalString(), root: try f["root"].optionalString())
        if let t = v.token { try context.token(t, f["token"]) }
        if let a = v.audience { try context.agent(a, f["audience"]) }
        if let r = v.root { try context.agent(r, f["root"]) }
        return v
    }

    public func perform(_ run: inout StepRun) async throws -> Outcome? {
        let verifier = try run.verifier(for: token)
        let root = self.root ?? run.scenario.trust
        let request = run.verifyRequest(
            token: token.flatMap { run.state.tokens[$0] }, audience: audience.map(run.state.identity),
            scope: scope, root: root)
        run.log(
            "\(run.label): verify \(token ?? "no token") audience \(audience ?? "any") scope \(scope ?? "none") root \(root) [\(verifier.descriptor.name)]"
        )
        let outcome = await verifier.verify(request)
        run.state.trace += (outcome.details ?? []).map { "      \($0)" }
        return outcome
    }
}
