import BatonAgents
import BatonModel
import BatonRuntime

/// The external-agent path: an agent whose behaviour says `external: true` is played by the
/// implementation under test when it declares the `agent` role. The implementation gets each task
/// (`agent_task`), verifies its token itself and answers with its verdict and the actions it wants;
/// Baton carries them out as that agent — tool calls through the world's tool server with the token
/// it received, delegations through the run's issuer (or with the agent's own token) to peers on
/// the bus, forwards of the received token — and records each against the agent's plan: the i-th
/// action against the i-th stated one (a call with `times: n` stands for n calls). An action the
/// plan does not state there (one too many, another kind, another tool or peer) is recorded past
/// the plan's end, where `WorkflowRun` judges it as an unexpected action; a stated action never
/// asked for is judged as never run.
extension WorkflowWorld {
    /// Delivers a task to the agent listed under `to`: to the implementation when that agent is
    /// external and the implementation plays agents, otherwise through the bus to the simulated agent.
    func deliver(_ task: A2ATaskRequest, to receiver: Agent?, named to: String) async -> A2ATaskResponse {
        guard let receiver, let behaviour = run.scenario.behaviours[receiver.name], behaviour.external, run.implementation.supports(.agent)
        else { return await AgentBus.deliver(task, to: receiver, named: to, world: self) }
        return await handOver(task, to: receiver, plan: behaviour.plan)
    }

    /// The tools the run's tool server offers, as an external agent is told about them.
    var agentTools: [AgentTool] {
        run.scenario.tools.tools.map { AgentTool(name: $0.name, priceCents: $0.priceCents, scope: $0.scope) }
    }

    /// The other agents on the bus, sorted by name, with the identities their cards claim.
    func peers(of name: String) -> [AgentPeer] {
        state.bus.agents.filter { $0.key != name }.sorted { $0.key < $1.key }.map {
            AgentPeer(name: $0.key, identity: $0.value.card.aipIdentity.id)
        }
    }

    /// Asks the implementation to handle `task` as `receiver`, places the calls it asks for and
    /// answers the sender with its verdict (and, when it accepts, the calls' outputs and its artifacts).
    func handOver(_ task: A2ATaskRequest, to receiver: Agent, plan: AgentPlan) async -> A2ATaskResponse {
        let name = receiver.name
        let identity = state.identity(name)
        let verify = run.verifyRequest(presenting: task.token, to: identity, scope: task.skill)
        // Endpoints of its own for this task, where it may act itself as a deployed agent would.
        let endpoints: ExternalAgentEndpoints?
        let slots = Self.planSlots(plan)
        let received = task.token
        do {
            endpoints = try ExternalAgentEndpoints(world: self, agent: name) { [self] sent, to, position in
                // A delegation it made itself is kept under the name its plan gives it before the peer sees it.
                guard let token = sent.token, token != received, slots.indices.contains(position),
                    slots[position].matches(.sent(sent, to: to, received: received)), let kept = slots[position].delegationName
                else { return }
                await keep(token, as: kept)
            }
        } catch {
            log.withLock { $0.trace.append("      (no loopback endpoints for \(name): \(error); it can only ask for its actions)") }
            endpoints = nil
        }
        endpoints?.start()
        let request = AgentTaskRequest(
            profile: run.scenario.profile, agent: name, identity: identity, task: String(decoding: task.json(), as: UTF8.self), verify: verify,
            tools: agentTools, peers: peers(of: name),
            endpoints: endpoints.map { AgentEndpoints(toolServer: $0.toolServerURL.absoluteString, peers: $0.peersURL.absoluteString) },
            plan: Self.planSlots(plan).map(\.expected))
        let result = await run.implementation.agentTask(request)
        endpoints?.stop()
        let acted = endpoints?.arrived ?? []
        let held = task.token.map { tokenName($0) ?? "an unnamed token" } ?? "no token"
        let asked =
            acted.map { "\($0.action(received: task.token).keyword) \($0.action(received: task.token).target) itself" }
            + result.actions.map { "\($0.keyword) \($0.target)" }
        let line =
            "      \(name) (external: \(run.implementation.descriptor.name)) takes the task with \(held): \(result.outcome.summary)"
            + (asked.isEmpty ? "" : "; asks to \(asked.joined(separator: ", "))")
        let said = result.outcome.message.map { ["        \($0)"] } ?? []
        log.withLock { $0.trace += [line] + said }
        if let reason = result.outcome.unsupportedReason {
            log.withLock { $0.skip = RunSkip(reason: "\(name) is external and the implementation answered agent_task with \(reason)") }
            return .failed(id: task.id, A2AError(rpcCode: -32603, message: "implementation error: \(reason)"))
        }
        // What it did itself comes first (it happened while it worked); its outputs are its own to report.
        for (k, arrival) in acted.enumerated() {
            // A call it placed with any other token than the one it received is not one its plan states.
            let stated = slots.indices.contains(k) && slots[k].matches(arrival.action(received: task.token)) && arrival.presents(task.token)
            let slot = stated ? slots[k] : nil
            await record(arrival, by: name, index: slot?.action ?? plan.actions.count + k, slot: slot, received: task.token)
        }
        var outputs: [String] = []
        for (j, action) in result.actions.enumerated() {
            let k = acted.count + j
            let slot = slots.indices.contains(k) && slots[k].matches(action) ? slots[k] : nil
            let index = slot?.action ?? plan.actions.count + k
            switch action {
            case let .call(call):
                let answer = await callTool(
                    ToolInvocation(tool: call.tool, arguments: call.arguments, token: task.token, caller: name, placedBy: name))
                let stated = slot == nil ? " (not in its plan" + (slots.indices.contains(k) ? ", which states \(slots[k]) here)" : ")") : ""
                await record(
                    AgentEvent(
                        agent: name, action: index, repetition: slot?.repetition ?? 0,
                        description: "\(name) (external) calls \(call.tool) with the token it received\(stated)", outcome: answer.outcome,
                        target: call.tool, chargedCents: answer.outcome.verdict == .accept ? answer.chargedCents : nil,
                        remainingCents: answer.remainingCents))
                if let output = answer.output { outputs.append("\(call.tool): \(output)") }
            case let .delegate(asked):
                // Kept under the name the plan gives this delegation, so later steps find the token.
                let kept = slot?.delegationName ?? "\(name).delegation.\(k + 1)"
                let delegation = Delegation(
                    name: kept, to: asked.to, scopes: asked.scopes, budgetCents: asked.budgetCents, expiresIn: asked.expiresIn,
                    purpose: asked.purpose, task: asked.task, skill: asked.skill, ownToken: asked.token)
                outputs += await receiver.perform(AgentAction(kind: .delegate(delegation)), index: index, task: task, world: self)
            case let .forward(asked):
                let forwarding = Forwarding(to: asked.to, token: .received, task: asked.task, skill: asked.skill)
                outputs += await receiver.perform(AgentAction(kind: .forward(forwarding)), index: index, task: task, world: self)
            }
        }
        let outcome = result.outcome
        switch outcome.verdict {
        case .accept:
            let artifacts = outputs + result.artifacts
            return .completed(id: task.id, text: artifacts.isEmpty ? "\(name) accepted the task" : artifacts.joined(separator: "\n"))
        case .reject:
            let code = outcome.code ?? "unknown"
            return .failed(
                id: task.id, A2AError(aipCode: code, status: httpStatus(forRefusal: code), message: outcome.message ?? "", step: outcome.step))
        case .error:
            return .failed(id: task.id, A2AError(rpcCode: -32603, message: "implementation error: \(outcome.message ?? "")"))
        }
    }

    /// Records what an external agent did itself through its endpoints, as the plan's action `index`.
    func record(_ arrival: ExternalAgentEndpoints.Arrival, by name: String, index: Int, slot: PlanSlot?, received: String?) async {
        switch arrival {
        case let .call(call, answer):
            let who = call.caller == name ? name : "\(name) (claiming to be \(call.caller))"
            let token = call.token == nil ? "no token" : call.token == received ? "the token it received" : "another token"
            await record(
                AgentEvent(
                    agent: name, action: index, repetition: slot?.repetition ?? 0,
                    description: "\(who) (external) calls \(call.tool) itself over MCP with \(token)", outcome: answer.outcome, target: call.tool,
                    chargedCents: answer.outcome.verdict == .accept ? answer.chargedCents : nil, remainingCents: answer.remainingCents))
        case let .task(sent, to, response):
            let forwarded = sent.token != nil && sent.token == received
            let what =
                forwarded
                ? "forwards the token it received to \(to)"
                : sent.token == nil ? "sends \(to) a task with no token" : "delegates to \(to) with a token of its own issuer"
            await record(
                AgentEvent(agent: name, action: index, description: "\(name) (external) \(what) over A2A", outcome: response.outcome, target: to))
        }
    }

    /// The actions a plan states, in order, a call with `times: n` once per repetition.
    static func planSlots(_ plan: AgentPlan) -> [PlanSlot] {
        plan.actions.enumerated().flatMap { index, action -> [PlanSlot] in
            let times = if case let .call(use) = action.kind { max(use.times, 1) } else { 1 }
            return (0..<times).map { PlanSlot(action: index, repetition: $0, kind: action.kind) }
        }
    }
}

/// One action an external agent's plan states: which action, which of its repetitions.
struct PlanSlot: CustomStringConvertible {
    var action: Int
    var repetition: Int
    var kind: AgentAction.Kind

    /// The same kind of action aimed at the same tool or peer (a call also with the stated
    /// arguments, when the plan states any).
    func matches(_ asked: AgentTaskAction) -> Bool {
        switch (kind, asked) {
        case let (.call(use), .call(call)): call.tool == use.tool && (use.arguments.isEmpty || use.arguments == call.arguments)
        case let (.delegate(stated), .delegate(delegation)): delegation.to == stated.to
        case let (.forward(stated), .forward(forward)): forward.to == stated.to
        default: false
        }
    }

    /// The action as an agent asks for it (what Baton's own reference agents are told to do).
    var expected: AgentTaskAction {
        switch kind {
        case let .call(use): .call(AgentToolCall(tool: use.tool, arguments: use.arguments))
        case let .delegate(d):
            .delegate(
                AgentDelegationAsk(
                    to: d.to, scopes: d.scopes, budgetCents: d.budgetCents, expiresIn: d.expiresIn, purpose: d.purpose, task: d.task, skill: d.skill))
        case let .forward(f): .forward(AgentForwardAsk(to: f.to, task: f.task, skill: f.skill))
        }
    }

    /// The name the plan keeps its delegated token under (nil: not a delegation).
    var delegationName: String? {
        if case let .delegate(d) = kind { d.name } else { nil }
    }

    var description: String {
        switch kind {
        case let .call(use):
            let arguments = use.arguments.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            return use.tool + (arguments.isEmpty ? "" : " with {\(arguments)}")
        case let .delegate(d): return "a delegation to \(d.to)"
        case let .forward(f): return "a forward to \(f.to)"
        }
    }
}

extension ExternalAgentEndpoints.Arrival {
    /// Whether a tool call presented the token the agent received (tasks to peers: always true, the
    /// token decides between forward and delegation).
    func presents(_ received: String?) -> Bool {
        if case let .call(call, _) = self { return call.token == received }
        return true
    }

    /// The action this was, as a plan states it: a task with the received token is a forward, any
    /// other token a delegation the agent made with its own issuer.
    func action(received: String?) -> AgentTaskAction {
        switch self {
        case let .call(call, _):
            return .call(AgentToolCall(tool: call.tool, arguments: call.arguments))
        case let .task(sent, to, _):
            return .sent(sent, to: to, received: received)
        }
    }
}

extension AgentTaskAction {
    /// A task an agent sent a peer itself, as a plan states it: with the token it received, a
    /// forward; with any other, a delegation it made with its own issuer.
    static func sent(_ task: A2ATaskRequest, to: String, received: String?) -> AgentTaskAction {
        if task.token != nil, task.token == received { return .forward(AgentForwardAsk(to: to, task: task.text, skill: task.skill)) }
        return .delegate(AgentDelegationAsk(to: to, scopes: [], purpose: "", task: task.text, skill: task.skill, token: task.token))
    }
}
