import BatonCrypto
import BatonModel
import BatonRuntime
import Foundation

/// A simulated agent that behaves: it owns its identity, key and signed agent card, verifies the
/// token of every task it receives (through its world's verifier), and then works its plan:
/// delegates sub-tasks to peers with narrower authority, calls tools, and answers with the
/// artifacts it and its peers produced. The same value serves the in-memory bus and HTTP.
public struct Agent: Sendable {
    /// The agent's name on the bus (`writer`).
    public var name: String
    /// Its identity (`aip:web:acme.com/writer`).
    public var identity: String
    /// Its current key (key rotation replaces it and re-signs the card).
    public private(set) var key: Ed25519.PrivateKey
    /// Its card, signed with its key; a rogue's card may claim another identity.
    public private(set) var card: AgentCard
    public var plan: AgentPlan

    /// An agent whose card states its own identity.
    public init(name: String, identity: String, key: Ed25519.PrivateKey, plan: AgentPlan = .idle, claiming claimed: String? = nil) {
        self.name = name
        self.identity = identity
        self.key = key
        self.plan = plan
        card = AgentCard(
            name: name, url: "/agents/\(name)", skills: [], aipIdentity: .init(id: claimed ?? identity, documentURL: nil)
        ).signed(with: key)
    }

    /// Replaces the key and re-signs the card with the new one.
    public mutating func rotate(to newKey: Ed25519.PrivateKey) {
        key = newKey
        card = card.signed(with: newKey)
    }

    /// Handles one task on the wire: parse, verify, work the plan, answer. Never throws.
    public func handle(_ data: Data, world: any AgentWorld) async -> Data {
        let task: A2ATaskRequest
        do { task = try A2ATaskRequest.parse(data) } catch {
            return A2ATaskResponse.failed(id: "", error).json()
        }
        return await handle(task, world: world).json()
    }

    /// Handles one task: the token is verified first; a refusal is answered with the verifier's
    /// code, status and step, and nothing of the plan runs. `verifying: false` is for a person's
    /// request at the agent whose own authority the token is (the person authenticated to it outside
    /// the token; there is no delegation to verify yet).
    public func handle(_ task: A2ATaskRequest, world: any AgentWorld, verifying: Bool = true) async -> A2ATaskResponse {
        let outcome = plan.verifiesTokens && verifying ? await world.verify(token: task.token, receiver: self, scope: task.skill) : .accepted
        switch outcome.verdict {
        case .accept: break
        case .reject:
            let code = outcome.code ?? "unknown"
            return .failed(
                id: task.id, A2AError(aipCode: code, status: world.httpStatus(forRefusal: code), message: outcome.message ?? "", step: outcome.step))
        case .error:
            return .failed(id: task.id, A2AError(rpcCode: -32603, message: "implementation error: \(outcome.message ?? "")"))
        }
        var artifacts: [String] = []
        for (index, action) in plan.actions.enumerated() {
            artifacts += await perform(action, index: index, task: task, world: world)
        }
        let text = artifacts.isEmpty ? "\(name) accepted the task" : artifacts.joined(separator: "\n")
        var answer = A2ATaskResponse.completed(id: task.id, text: text)
        // The work is done: the agent leaves its completion evidence on the token it worked under.
        if let token = task.token { answer.completion = await world.complete(token, by: self, artifacts: artifacts) }
        return answer
    }

    /// Carries out one action, recorded as the plan's action `index`; returns the artifacts it produced.
    public func perform(_ action: AgentAction, index: Int, task: A2ATaskRequest, world: any AgentWorld) async -> [String] {
        switch action.kind {
        case let .delegate(d):
            return await delegate(d, index: index, task: task, world: world)
        case let .call(use):
            var artifacts: [String] = []
            let token = await choose(use.token, task: task, world: world)
            for repetition in 0..<max(use.times, 1) {
                let caller = use.claimedCaller ?? name
                let answer = await world.callTool(
                    ToolInvocation(
                        tool: use.tool, arguments: use.arguments, token: token, caller: caller, placedBy: name, bypassesGateway: use.bypassesGateway))
                let who = caller == name ? name : "\(name) (claiming to be \(caller))"
                let count = (use.times > 1 ? " (call \(repetition + 1) of \(use.times))" : "") + (use.bypassesGateway ? " around the gateway" : "")
                await world.record(
                    AgentEvent(
                        agent: name, action: index, repetition: repetition,
                        description: "\(who) calls \(use.tool) with \(use.token)\(count)", outcome: answer.outcome, target: use.tool,
                        chargedCents: answer.outcome.verdict == .accept ? answer.chargedCents : nil, remainingCents: answer.remainingCents))
                if let output = answer.output { artifacts.append("\(use.tool): \(output)") }
            }
            return artifacts
        case let .forward(f):
            let token = await choose(f.token, task: task, world: world)
            let request = A2ATaskRequest(
                id: "\(task.id)/\(name).\(index)", taskId: "\(task.taskId)/\(index)", text: f.task, token: token, skill: f.skill)
            let response = await world.send(request, from: name, to: f.to)
            await world.record(
                AgentEvent(agent: name, action: index, description: "\(name) forwards \(f.token) to \(f.to)", outcome: response.outcome, target: f.to)
            )
            return response.text.map { [$0] } ?? []
        }
    }

    func delegate(_ d: Delegation, index: Int, task: A2ATaskRequest, world: any AgentWorld) async -> [String] {
        let label =
            "\(name) delegates to \(d.to) scopes \(d.scopes) for \"\(d.purpose)\"" + (d.ownToken == nil ? "" : " with a token of its own issuer")
        func record(_ outcome: Outcome) async {
            await world.record(AgentEvent(agent: name, action: index, description: label, outcome: outcome, target: d.to))
        }
        guard let held = task.token else {
            await record(.rejected(AgentRefusal.noAuthority.rawValue, message: "\(name) holds no token to delegate from"))
            return []
        }
        guard let card = await world.card(named: d.to) else {
            await record(.rejected(AgentRefusal.unknownPeer.rawValue, message: "no agent named \(d.to) on the bus"))
            return []
        }
        if plan.checksCards {
            let published = await world.publishedKey(of: card.aipIdentity.id)
            guard let published, card.isSigned(by: published) else {
                let why = published == nil ? "no published identity" : "a card not signed by that identity's published key"
                await record(
                    .rejected(
                        AgentRefusal.cardUnverified.rawValue, step: AgentRefusal.cardStep,
                        message: "\(d.to) claims \(card.aipIdentity.id) with \(why)"))
                return []
            }
        }
        let order = DelegationOrder(
            token: held, delegator: name, delegatorKey: key, delegate: d.to, delegateIdentity: card.aipIdentity.id, delegation: d,
            delegatorIdentity: identity)
        let token: String
        let issued: IssueResult
        if let own = d.ownToken { issued = .token(own) } else { issued = await world.delegate(order) }
        switch issued {
        case let .token(t): token = t
        case let .refused(refusal):
            await record(refusal)
            return []
        }
        await world.keep(token, as: d.name)
        let request = A2ATaskRequest(id: "\(task.id)/\(name).\(index)", taskId: "\(task.taskId)/\(index)", text: d.task, token: token, skill: d.skill)
        let response = await world.send(request, from: name, to: d.to)
        await record(response.outcome)
        return response.text.map { [$0] } ?? []
    }

    func choose(_ choice: TokenChoice, task: A2ATaskRequest, world: any AgentWorld) async -> String? {
        switch choice {
        case .received: return task.token
        case let .named(name): return await world.heldToken(name)
        }
    }
}
