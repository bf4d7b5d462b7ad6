import AgenticJWT
import BatonHarness
import BatonModel
import JOSE

/// `attack: intent`: an intent token rewritten as a compromised (or wrong) identity provider would
/// mint it: another workflow step, tool or agent, other completed steps or chain, with both chain
/// hashes recomputed so that they are consistent with the claimed history, the binding moved to
/// the named agent's key, and the whole re-signed with the provider's key. It tests what the
/// resource server checks on its own (A6–A9), beyond the provider's signature.
struct IntentAttack: ForgeAttack, Hashable {
    var workflow: String?
    var step: String?
    var tool: String?
    /// The agent the token is rewritten for (`sub`, `executed_by`, the step's agent, `cnf`, `agent_proof`).
    var agent: String?
    var completed: [String]?
    var chain: [String]?
    /// Bind the token to this agent's key only (`cnf`), leaving `sub` and everything else as it is.
    var bindTo: String?

    static let names = ["intent"]

    static func parse(_ f: YAMLField, context: ScenarioContext) throws -> IntentAttack {
        try f.rejectUnknownKeys(ForgeStep.commonKeys.union(["workflow", "step", "tool", "agent", "completed", "chain", "bind_to"]))
        let a = IntentAttack(
            workflow: try f["workflow"].optionalString(), step: try f["step"].optionalString(), tool: try f["tool"].optionalString(),
            agent: try f["agent"].optionalString(), completed: f["completed"].exists ? try f["completed"].strings() : nil,
            chain: f["chain"].exists ? try f["chain"].strings() : nil, bindTo: try f["bind_to"].optionalString())
        if let agent = a.agent { try context.agent(agent, f["agent"]) }
        if let other = a.bindTo { try context.agent(other, f["bind_to"]) }
        for c in a.chain ?? [] { try context.agent(c, f["chain"]) }
        return a
    }

    func forge(_ source: String, run: StepRun) throws -> String {
        let jws: JWS
        do { jws = try JWS.parse(source) } catch { throw ForgeFailure("the source token is not a JWT: \(error)") }
        var claims: IntentClaims
        do { claims = try IntentClaims(json: jws.claims) } catch { throw ForgeFailure("the source token is not an intent token: \(error)") }
        guard var intent = claims.intent else { throw ForgeFailure("the source token has no intent to rewrite") }
        let settings = run.scenario.settings[IntentProviderSettings.self]
        let map = run.state.agenticJWT.map
        if let workflow { intent.workflowID = workflow }
        if let step {
            intent.step.stepID = step
            let registered = settings.step(intent.workflowID, step)
            intent.step.toolName = map.action(registered?.action ?? intent.step.toolName)
            if let scopes = registered?.scopes { claims.scopes = scopes.map(map.scope) }
        }
        if let tool { intent.step.toolName = map.action(tool) }
        if let agent {
            let id = run.state.identity(agent)
            claims.subject = id
            intent.executedBy = id
            intent.step.agentID = id
            let binding = run.scenario.settings[IntentProviderSettings.self].binding
            if let key = run.state.bindingKey(agent, binding).verificationKey { claims.confirmation = binding.confirmation(for: key) }
            if let registration = run.state.agenticJWT.registrations.first(where: { $0.agentID == id }) {
                claims.agentProof = .init(checksum: registration.checksum, registrationID: registration.registrationID)
            }
        }
        if let other = bindTo {
            let binding = run.scenario.settings[IntentProviderSettings.self].binding
            if let key = run.state.bindingKey(other, binding).verificationKey { claims.confirmation = binding.confirmation(for: key) }
        }
        let progress = run.state.agenticJWT.progress[intent.workflowID] ?? []
        intent.delegationChain = ChainHash.delegationChain(
            (chain ?? progress.map(\.agent)).map(run.state.identity), step: intent.step, form: settings.hashForm)
        intent.stepSequenceHash = ChainHash.stepSequence(completed ?? progress.map(\.step), step: intent.step, form: settings.hashForm)
        claims.intent = intent
        guard let key = run.state[JWTSigning.self].issuerKey else { throw ForgeFailure("'attack: intent' needs the identity provider's key") }
        return try JWS.sign(header: jws.header, claims: claims.json, key: key).compact
    }

    /// One hop, rewritten whole.
    func honestHops(sourceHops: Int) -> Int { 0 }

    var description: String {
        var parts: [String] = []
        if let workflow { parts.append("workflow \(workflow)") }
        if let step { parts.append("step \(step)") }
        if let tool { parts.append("tool \(tool)") }
        if let agent { parts.append("for \(agent) (bound to its key)") }
        if let completed { parts.append("completed \(completed)") }
        if let chain { parts.append("chain \(chain)") }
        if let bindTo { parts.append("bound to \(bindTo)'s key") }
        return "re-mint the intent as a compromised identity provider would: \(parts.joined(separator: ", ")), hashes recomputed"
    }
}
