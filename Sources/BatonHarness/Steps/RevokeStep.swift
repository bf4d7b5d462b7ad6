import BatonCrypto
import BatonModel

/// `revoke`: a token (one of its blocks) or an agent's key is revoked; the verifier's revocation
/// status is refreshed now. What a token's revocation id is, is the profile's business.
public struct RevokeStep: ScenarioStepKind, Hashable {
    public static let keyword = "revoke"
    public var token: String?
    public var block: Int?
    public var agent: String?

    public static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> RevokeStep {
        try f.rejectUnknownKeys(["token", "block", "agent"])
        let r = RevokeStep(token: try f["token"].optionalString(), block: try f["block"].optionalInt(), agent: try f["agent"].optionalString())
        if let t = r.token { try context.token(t, f["token"]) }
        if let a = r.agent { try context.agent(a, f["agent"]) }
        guard (r.token != nil) != (r.agent != nil) else { throw f.error("revoke either a token's block (token, block) or an agent's key (agent)") }
        return r
    }

    public func perform(_ run: inout StepRun) async throws -> Outcome? {
        if let agent {
            run.state.revokedKeys.append(run.state.key(agent).publicKey)
            run.log("\(run.label): \(agent)'s key is revoked")
        } else if let name = token, let text = run.state.tokens[name] {
            let revoked: (id: HexBytes, description: String)?
            do {
                revoked = try run.driver.revocationID(of: text, named: name, block: block)
            } catch let failure as ForgeFailure {
                throw ForgeFailure("\(run.label): \(failure.description)")
            }
            if let revoked {
                run.state.revokedIds.append(revoked.id)
                run.log("\(run.label): \(revoked.description) is revoked")
            }
        }
        run.state.revocationRefreshedAt = run.now
        return nil
    }
}
