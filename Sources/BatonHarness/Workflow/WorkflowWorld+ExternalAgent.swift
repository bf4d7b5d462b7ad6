import BatonAgents
import BatonModel
import BatonRuntime

/// The external-agent path: an agent whose behaviour says `external: true` is played by the
/// implementation under test when it declares the `agent` role. The implementation gets each task
/// (`agent_task`), verifies its token itself and answers with its verdict and the tool calls it
/// wants; Baton places the calls through the world's tool server as that agent with the token it
/// received, and records each against the agent's plan: the i-th call against the i-th stated call
/// (a call with `times: n` stands for n calls). A call the plan does not state (one too many, or
/// another tool than the one stated there) is recorded past the plan's end, where `WorkflowRun`
/// judges it as an unexpected action; a stated call never asked for is judged as never run.
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

    /// Asks the implementation to handle `task` as `receiver`, places the calls it asks for and
    /// answers the sender with its verdict (and, when it accepts, the calls' outputs and its artifacts).
    func handOver(_ task: A2ATaskRequest, to receiver: Agent, plan: AgentPlan) async -> A2ATaskResponse {
        let name = receiver.name
        let identity = state.identity(name)
        let verify = run.verifyRequest(presenting: task.token, to: identity, scope: task.skill)
        let request = AgentTaskRequest(
            profile: run.scenario.profile, agent: name, identity: identity, task: String(decoding: task.json(), as: UTF8.self), verify: verify,
            tools: agentTools)
        let result = await run.implementation.agentTask(request)
        let held = task.token.map { tokenName($0) ?? "an unnamed token" } ?? "no token"
        let asked = result.calls.map(\.tool)
        let line =
            "      \(name) (external: \(run.implementation.descriptor.name)) takes the task with \(held): \(result.outcome.summary)"
            + (asked.isEmpty ? "" : "; asks for \(asked.joined(separator: ", "))")
        let said = result.outcome.message.map { ["        \($0)"] } ?? []
        log.withLock { $0.trace += [line] + said }
        if let reason = result.outcome.unsupportedReason {
            log.withLock { $0.skip = RunSkip(reason: "\(name) is external and the implementation answered agent_task with \(reason)") }
            return .failed(id: task.id, A2AError(rpcCode: -32603, message: "implementation error: \(reason)"))
        }
        let slots = Self.callSlots(plan)
        var outputs: [String] = []
        for (k, call) in result.calls.enumerated() {
            let answer = await callTool(ToolInvocation(tool: call.tool, arguments: call.arguments, token: task.token, caller: name, placedBy: name))
            let slot = slots.indices.contains(k) && slots[k].matches(call) ? slots[k] : nil
            let stated = slot == nil ? " (not in its plan" + (slots.indices.contains(k) ? ", which states \(slots[k]) here)" : ")") : ""
            await record(
                AgentEvent(
                    agent: name, action: slot?.action ?? plan.actions.count + k, repetition: slot?.repetition ?? 0,
                    description: "\(name) (external) calls \(call.tool) with the token it received\(stated)", outcome: answer.outcome,
                    target: call.tool, chargedCents: answer.outcome.verdict == .accept ? answer.chargedCents : nil,
                    remainingCents: answer.remainingCents))
            if let output = answer.output { outputs.append("\(call.tool): \(output)") }
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

    /// The calls a plan states, in order, one per repetition.
    static func callSlots(_ plan: AgentPlan) -> [StatedCall] {
        plan.actions.enumerated().flatMap { index, action -> [StatedCall] in
            guard case let .call(use) = action.kind else { return [] }
            return (0..<max(use.times, 1)).map { StatedCall(action: index, repetition: $0, use: use) }
        }
    }
}

/// One call an external agent's plan states: which action, which of its repetitions.
struct StatedCall: CustomStringConvertible {
    var action: Int
    var repetition: Int
    var use: ToolUse

    /// The same tool, with the stated arguments when the plan states any.
    func matches(_ call: AgentToolCall) -> Bool {
        call.tool == use.tool && (use.arguments.isEmpty || use.arguments == call.arguments)
    }

    var description: String {
        let arguments = use.arguments.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        return use.tool + (arguments.isEmpty ? "" : " with {\(arguments)}")
    }
}
