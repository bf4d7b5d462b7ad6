import AgenticJWT
import BatonHarness
import BatonModel
import JOSE

/// How a scenario sets up the Agentic JWT deployment (`intent_provider:` of profile
/// `agentic-jwt`): the registered workflows and approvals, how agents register (or tamper with
/// their own code afterwards), the token lifetime, the chain-hash form and the binding, and the
/// resource server's limits.
struct IntentProviderSettings: ScenarioSettings, Hashable {
    static let key = "intent_provider"

    var workflows: [Workflow] = []
    /// Approved steps, as `workflow/step`.
    var approvals: [String] = []
    var agents: [String: AgentSetup] = [:]
    /// `exp − iat` of minted tokens.
    var tokenLifetime: Int64 = 300
    /// The lifetime the provider announces; the resource server refuses tokens that live longer.
    var announcedLifetime: Int64 = 300
    var hashForm = ChainHash.Form.portable
    /// Bind tokens by thumbprint (`cnf.jkt`, DPoP) rather than by the key (`cnf.jwk`).
    var binding = BindingMethod.thumbprint
    /// How old a DPoP proof may be at the resource server.
    var proofWindow: Int64 = 60
    /// The resource server's id (`aud`).
    var resourceServer = "tools"
    /// What the provider signs with: RS256 (the proof of concept) or ES256.
    var algorithm = JWSAlgorithm.rs256

    init() {}

    /// One agent's registration and what it runs.
    struct AgentSetup: Hashable, Sendable {
        /// false: never registered.
        var registered = true
        /// Registers with the definition of this other agent (a copy: refused as a duplicate checksum).
        var copyOf: String?
        /// Parts of its definition changed after registration (`prompt`, `tool_signature`, `tool_description`, `config`).
        var tamper: [AgentDefinitions.Tamper] = []
    }

    static func parse(_ f: YAMLField, context: ScenarioContext) throws -> IntentProviderSettings {
        var s = IntentProviderSettings()
        try f.rejectUnknownKeys([
            "workflows", "approvals", "agents", "token_lifetime", "announced_lifetime", "hash_form", "binding", "proof_window", "resource_server",
            "algorithm",
        ])
        if f["workflows"].exists {
            for id in try f["workflows"].keys() {
                var steps: [Workflow.Step] = []
                for item in try f["workflows"][id].items() {
                    try item.rejectUnknownKeys(["step", "agent", "action", "scopes", "after", "required", "approval"])
                    let agent = try item["agent"].string()
                    try context.agent(agent, item["agent"])
                    steps.append(
                        Workflow.Step(
                            id: try item["step"].string(), agent: agent, action: try item["action"].string(), scopes: try item["scopes"].strings(),
                            dependencies: item["after"].exists ? try item["after"].strings() : [],
                            required: try item["required"].optionalBool() ?? true,
                            requiresApproval: try item["approval"].optionalBool() ?? false))
                }
                for step in steps {
                    for d in step.dependencies where !steps.contains(where: { $0.id == d }) {
                        throw f["workflows"][id].error("step \(step.id) depends on \(d), which workflow \(id) does not have")
                    }
                }
                s.workflows.append(Workflow(id: id, steps: steps))
            }
        }
        s.approvals = f["approvals"].exists ? try f["approvals"].strings() : []
        if f["agents"].exists {
            for name in try f["agents"].keys() {
                let a = f["agents"][name]
                try context.agent(name, a)
                try a.rejectUnknownKeys(["registered", "copy_of", "tamper"])
                var setup = AgentSetup()
                setup.registered = try a["registered"].optionalBool() ?? true
                if let other = try a["copy_of"].optionalString() {
                    try context.agent(other, a["copy_of"])
                    setup.copyOf = other
                }
                if a["tamper"].exists {
                    setup.tamper = try a["tamper"].strings().map { text in
                        guard let t = AgentDefinitions.Tamper(rawValue: text) else {
                            throw a["tamper"].error(
                                "tamper is one of \(AgentDefinitions.Tamper.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'")
                        }
                        return t
                    }
                }
                s.agents[name] = setup
            }
        }
        s.tokenLifetime = Int64(try f["token_lifetime"].optionalInt() ?? Int(s.tokenLifetime))
        s.announcedLifetime = Int64(try f["announced_lifetime"].optionalInt() ?? Int(s.announcedLifetime))
        s.proofWindow = Int64(try f["proof_window"].optionalInt() ?? Int(s.proofWindow))
        s.resourceServer = try f["resource_server"].optionalString() ?? s.resourceServer
        if let text = try f["hash_form"].optionalString() {
            guard let form = ChainHash.Form(rawValue: text) else { throw f["hash_form"].error("hash_form is portable or python") }
            s.hashForm = form
        }
        if let text = try f["algorithm"].optionalString() {
            guard let a = JWSAlgorithm(rawValue: text), a == .rs256 || a == .es256 else { throw f["algorithm"].error("algorithm is RS256 or ES256") }
            s.algorithm = a
        }
        if let text = try f["binding"].optionalString() {
            guard let b = BindingMethod(rawValue: text) else { throw f["binding"].error("binding is jkt (DPoP) or jwk") }
            s.binding = b
        }
        return s
    }

    /// The workflow step of `workflow`/`step`, if the scenario registers it.
    func step(_ workflow: String, _ step: String) -> Workflow.Step? {
        workflows.first { $0.id == workflow }?.step(step)
    }
}
