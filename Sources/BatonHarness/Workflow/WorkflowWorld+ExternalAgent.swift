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
        let request = AgentTaskRequest(
            profile: run.scenario.profile, agent: name, identity: identity, task: String(decoding: task.json(), as: UTF8.self), verify: verify,
            tools: agentTools, peers: peers(of: name))
        let result = await run.implementation.agentTask(request)
        let held = task.token.map { tokenName($0) ?? "an unnamed token" } ?? "no token"
        let asked = result.actions.map { "\($0.keyword) \($0.target)" }
        let line =
            "      \(name) (external: \(run.implementation.descriptor.name)) takes the task with \(held): \(result.outcome.summary)"
            + (asked.isEmpty ? "" : "; asks to \(asked.joined(separator: ", "))")
        let said = result.outcome.message.map { ["        \($0)"] } ?? []
        log.withLock { $0.trace += [line] + said }
        if let reason = result.outcome.unsupportedReason {
            log.withLock { $0.skip = RunSkip(reason: "\(name) is external and the implementation answered agent_task with \(reason)") }
            return .failed(id: task.id, A2AError(rpcCode: -32603, message: "implementation error: \(reason)"))
        }
        let slots = Self.planSlots(plan)
        var outputs: [String] = []
        for (k, action) in result.actions.enumerated() {
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
