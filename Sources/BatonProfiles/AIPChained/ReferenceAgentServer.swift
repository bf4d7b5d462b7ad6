import AIP
import BatonAgents
import BatonCrypto
import BatonModel
import BatonRuntime
import Foundation
import Synchronization

/// The reference agents on HTTP: `POST /agents/<name>` takes an A2A `tasks/send` (token at
/// `params.metadata.aip_token`) and hands its bytes to the BatonAgents `Agent` named `<name>`
/// (identity `aip:web:<domain>/<name>`, its key derived as the harness derives it, an idle plan),
/// which verifies the token through an `HTTPAgentWorld` and answers 200 with a completed task or
/// 401/403 with `{error: {code, message, data: {step}}}`. One agent implementation, two transports:
/// the agent that answers here is the one that runs on the in-memory bus.
/// `GET /agents/<name>/.well-known/agent.json` serves the agent's signed card.
///
/// Test control (Baton's own extension, ignored by real agents): `params.metadata.baton`
/// may carry `now`, `required_scope`, `root_key`, `require_signed_delegation`,
/// `identities` and `revocation`, with the meanings of the testee protocol's `verify`; and, when
/// Baton hands a workflow's external agent over (`HTTPAgentTarget.agentTask`), `endpoints` (the
/// tool server and peers opened for this agent and task), `peers`, `tools` and `plan`: the agent then
/// works that plan through those endpoints — tool calls over MCP, delegations made with Baton's
/// reference issuer as the agent's own, tasks to peers over A2A.
/// `required_scope` reaches the agent as the task's skill (`params.metadata.skill`); a control
/// field that is present but does not decode is a 400 before the agent runs.
public struct ReferenceAgentServer: Sendable {
    public var verifier: any ImplementationUnderTest
    public var domain: String
    /// The root key agents trust when a request does not say.
    public var trustedRoot: Ed25519.PublicKey

    public init(
        verifier: any ImplementationUnderTest = ReferenceImplementation(), domain: String = "acme.com",
        trustedRoot: Ed25519.PublicKey = Ed25519.PrivateKey.derived(from: "baton:agent:aip:web:acme.com/orchestrator").publicKey
    ) {
        self.verifier = verifier
        self.domain = domain
        self.trustedRoot = trustedRoot
    }

    /// The agent served under `name`: its identity on this server's domain, its key derived as the
    /// harness derives it, an idle plan (verify and answer).
    public func agent(named name: String) -> Agent {
        let identity = "aip:web:\(domain)/\(name)"
        return Agent(name: name, identity: identity, key: .derived(from: "baton:agent:\(identity)"), plan: .idle)
    }

    public func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[0] == "agents", parts[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            return json(404, ["error": ["code": "not_found", "message": "no agent at \(request.path)"]])
        }
        var agent = agent(named: parts[1])
        if request.method == "GET", parts.dropFirst(2) == [".well-known", "agent.json"] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return .init(status: 200, body: (try? encoder.encode(agent.card)) ?? Data())
        }
        guard request.method == "POST", parts.count == 2 else {
            return json(404, ["error": ["code": "not_found", "message": "\(request.method) \(request.path)"]])
        }
        let control =
            ((try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any])
            .flatMap { ($0["params"] as? [String: Any])?["metadata"] as? [String: Any] }?["baton"] as? [String: Any] ?? [:]
        let world: HTTPAgentWorld
        switch self.control(control) {
        case let .success(c):
            world = HTTPAgentWorld(verifier: verifier, control: c)
            // What the scenario expects of this agent, when the test control says (Baton's external-agent hand-over).
            agent.plan = c.agentPlan
        case let .failure(bad): return json(400, ["error": ["code": "bad_request", "message": "params.metadata.baton.\(bad.field) does not decode"]])
        }
        // The required scope is the skill the task asks for: the agent checks the token for it.
        var wire = request.body
        if let scope = control["required_scope"] as? String, var task = try? A2ATaskRequest.parse(request.body) {
            task.skill = scope
            wire = task.json()
        }
        return LoopbackHTTPServer.awaiting { [agent, world, wire] in
            let reply = await agent.handle(wire, world: world)
            return .init(status: Self.status(of: reply), body: reply)
        }
    }

    /// A control field that is present but does not decode.
    struct BadControl: Error {
        var field: String
    }

    /// Test control fails closed: a field that is present but does not decode is a bad request,
    /// never a check quietly left out. (A scalar where an array or object belongs is checked before
    /// it is re-serialized: Foundation traps on a top-level scalar rather than throwing.)
    func control(_ control: [String: Any]) -> Result<HTTPAgentWorld.Control, BadControl> {
        var values = HTTPAgentWorld.Control(
            rootKey: trustedRoot, now: (control["now"] as? NSNumber)?.int64Value ?? Int64(Date().timeIntervalSince1970),
            requireSignedDelegation: control["require_signed_delegation"] as? Bool ?? false)
        if let text = control["root_key"] {
            guard let hex = text as? String, let key = try? Ed25519.PublicKey(hex: hex) else { return .failure(BadControl(field: "root_key")) }
            values.rootKey = key
        }
        if let ids = control["identities"] {
            guard JSONSerialization.isValidJSONObject(ids), let data = try? JSONSerialization.data(withJSONObject: ids),
                let entries = try? JSONDecoder().decode([IdentityEntry].self, from: data)
            else { return .failure(BadControl(field: "identities")) }
            values.identities = entries
        }
        func decode<T: Decodable>(_ field: String, as type: T.Type) -> Result<T?, BadControl> {
            guard let value = control[field] else { return .success(nil) }
            guard JSONSerialization.isValidJSONObject(value), let data = try? JSONSerialization.data(withJSONObject: value),
                let decoded = try? JSONDecoder().decode(T.self, from: data)
            else { return .failure(BadControl(field: field)) }
            return .success(decoded)
        }
        do {
            values.identities = try decode("identities", as: [IdentityEntry].self).get()
            values.revocation = try decode("revocation", as: RevocationStatus.self).get()
            values.endpoints = try decode("endpoints", as: AgentEndpoints.self).get()
            values.peers = try decode("peers", as: [AgentPeer].self).get() ?? []
            values.plan = try decode("plan", as: [AgentTaskAction].self).get() ?? []
        } catch {
            return .failure(error)
        }
        if values.endpoints.map({ URL(string: $0.toolServer) == nil || URL(string: $0.peers) == nil }) ?? false {
            return .failure(BadControl(field: "endpoints"))
        }
        return .success(values)
    }

    /// The HTTP status of an agent's answer: 200 when completed; a refusal's own status (the
    /// profile's binding of its code); 500 for an implementation error; 400 for a bad request.
    static func status(of reply: Data) -> Int {
        do { return try A2ATaskResponse.parse(reply).httpStatus } catch { return 500 }
    }

    func json(_ status: Int, _ object: [String: Any]) -> LoopbackHTTPServer.Response {
        .init(status: status, body: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }
}
