import AgenticJWT
import JOSE

/// The `profile_settings` of an agentic-jwt verify request (testee protocol): what the resource
/// server knows of the deployment: the registered agents and workflows, the lifetime the
/// identity provider announces, the proof window and the chain-hash form.
struct ResourceServerSettings: Sendable {
    var agents: [AgentRegistration] = []
    var workflows: [Workflow] = []
    var maxLifetime: Int64 = 300
    var proofWindow: Int64 = 60
    var hashForm = ChainHash.Form.portable
    /// What the server has already seen of each workflow, when it starts (`baton verify` checks one
    /// call in a workflow under way): steps completed and the agents that completed them, in order.
    var completedSteps: [String: [String]] = [:]
    var chain: [String: [String]] = [:]

    init() {}

    var json: JSONObject {
        [
            "agents": .array(agents.map { .object($0.json) }), "workflows": .array(workflows.map { .object($0.json) }),
            "max_lifetime": .int(maxLifetime), "proof_window": .int(proofWindow), "hash_form": .string(hashForm.rawValue),
        ]
    }

    init(jsonText: String) throws {
        let o = try JSONParser.parseObject(Array(jsonText.utf8), maxDepth: 16)
        if case let .array(items)? = o["agents"] {
            agents = try items.map { item in
                guard case let .object(a) = item else { throw ReferenceSetupError("an agent must be an object") }
                return try AgentRegistration(json: a)
            }
        }
        workflows = try ProviderSettings.workflows(in: o)
        maxLifetime = try o.int("max_lifetime") ?? maxLifetime
        proofWindow = try o.int("proof_window") ?? proofWindow
        if let form = try o.string("hash_form") {
            guard let f = ChainHash.Form(rawValue: form) else { throw ReferenceSetupError("hash_form \(form)") }
            hashForm = f
        }
        completedSteps = try Self.lists(o, "completed_steps")
        chain = try Self.lists(o, "chain")
    }

    /// `{workflow: [text]}` under `name` (absent: empty).
    static func lists(_ o: JSONObject, _ name: String) throws -> [String: [String]] {
        guard let member = o[name] else { return [:] }
        guard case let .object(byWorkflow) = member else { throw ReferenceSetupError("\(name) must map workflow ids to lists") }
        var out: [String: [String]] = [:]
        for (workflow, _) in byWorkflow { out[workflow] = try byWorkflow.stringArray(workflow) ?? [] }
        return out
    }

    /// The server's view when it starts.
    var initialView: ResourceServerView {
        var view = ResourceServerView()
        view.completedSteps = completedSteps
        view.chain = chain
        return view
    }

    /// The reference verifier these settings describe.
    func verifier(issuer: String, keys: JWKSet, audience: String? = nil, flaws: Set<IntentVerifierFlaw>) -> IntentTokenVerifier {
        IntentTokenVerifier(
            issuer: issuer, keys: keys, audience: audience ?? "", maxLifetime: maxLifetime, proofWindow: proofWindow, hashForm: hashForm,
            agents: agents, workflows: workflows, flaws: flaws)
    }
}
