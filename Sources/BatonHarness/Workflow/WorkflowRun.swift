import BatonAgents
import BatonModel
import BatonRuntime
import BatonTools

/// Runs the agents for one step and brings what they did back into the run: tokens they made,
/// bus envelopes, audit records, stand-ins, and every plan action's outcome judged against the
/// action's expectation.
enum WorkflowRun {
    /// Runs `body` in a world of the step's agents, then merges and judges what happened.
    static func perform<T: Sendable>(_ run: inout StepRun, _ body: (WorkflowWorld) async -> T) async throws -> T {
        let world = WorkflowWorld(run: run)
        let value = await body(world)
        run.state.tools = world.toolServer.withLock { $0 }
        let log = world.log.withLock { $0 }
        if let skip = log.skip { throw skip }
        if let error = log.harnessError { throw ForgeFailure("\(run.label): \(error)") }
        run.state.trace += log.trace
        for (request, from, to) in log.envelopes { run.state.bus.carried(request, from: from, to: to) }
        for (name, token) in log.kept { run.state.tokens[name] = token }
        for (name, parent) in log.forgedDescent {
            if let forgery = run.state.forgeries[parent] { run.state.forgeries[name] = forgery }
        }
        run.state.standIns += log.standIns
        for (agent, token, hash) in log.completions { run.state.completions[agent] = Completion(token: token, resultHash: hash) }
        for problem in log.recordProblems { run.assertionFailed("\(run.label): \(problem)") }
        for (record, token) in log.records {
            run.state.audit.append(record)
            let name = token.flatMap { t in run.state.tokenOrder.last { run.state.tokens[$0] == t } }
            if let name, let forgery = run.state.forgeries[name], let appended = run.state.audit.records.last {
                run.state.forgedCalls.append(
                    ForgedCall(record: appended.sequence, token: name, attack: forgery.attack, honestHops: forgery.honestHops))
            }
        }
        // Judged top-down: agents in the order they first received a task, each agent's actions in plan
        // order (the log has them in the order they finished, innermost first).
        var firstReceipt: [String: Int] = [:]
        for (i, envelope) in log.envelopes.enumerated() {
            let agent = run.state.bus.agent(envelope.to)?.name ?? envelope.to
            if firstReceipt[agent] == nil { firstReceipt[agent] = i }
        }
        let ordered = log.events.enumerated().sorted { a, b in
            let ka = (firstReceipt[a.element.agent] ?? Int.max, a.element.action, a.element.repetition, a.offset)
            let kb = (firstReceipt[b.element.agent] ?? Int.max, b.element.action, b.element.repetition, b.offset)
            return ka < kb
        }.map(\.element)
        judge(ordered, &run)
        return value
    }

    /// Judges each event against its action's expectation (with `accepted: N`, the first N calls
    /// must be accepted), and records which actions ran.
    static func judge(_ events: [AgentEvent], _ run: inout StepRun) {
        for event in events {
            guard let behaviour = run.scenario.behaviours[event.agent] else { continue }
            guard let action = behaviour.plan.actions[safe: event.action] else {
                unexpected(event, behaviour, &run)
                continue
            }
            run.state.actionsRun[ActionKey(agent: event.agent, action: event.action), default: 0] += 1
            var expectation = action.expect ?? .accept
            if case let .call(use) = action.kind, let accepted = use.accepted, event.repetition < accepted { expectation = .accept }
            if !action.reached {
                let stated = Expectation(verdict: .reject, code: nil, lenient: true)
                var ran = event
                ran.outcome = .accepted
                entry(ran, action, stated, &run)
                // Something ran that the scenario says a defence stops before it. That it ran at all is the
                // failure, whatever came of it: judged as an attack that got through.
                run.judge(
                    .accepted, against: stated, line: action.line,
                    what: "\(event.description) (stated as never reached, yet it ran: \(event.outcome.summary))")
                continue
            }
            entry(event, action, expectation, &run)
            run.judge(event.outcome, against: expectation, line: action.line, what: event.description)
        }
    }

    /// An action the agent's plan does not state (an external agent asked for a call its plan does
    /// not have at that place): it fails the scenario, whatever the tool server made of it.
    static func unexpected(_ event: AgentEvent, _ behaviour: AgentBehaviour, _ run: inout StepRun) {
        let stated = behaviour.plan.actions.count
        let outcome = Outcome.failed(
            "unexpected action: \(event.description) — \(event.agent)'s plan states \(stated) action(s) and not this one here"
                + " (the tool server answered: \(event.outcome.summary))")
        let action = AgentAction(kind: .call(ToolUse(tool: event.target)), line: behaviour.line)
        entry(
            AgentEvent(agent: event.agent, action: event.action, description: event.description, outcome: outcome, target: event.target), action,
            .accept, &run)
        run.judge(outcome, against: .accept, line: behaviour.line, what: "\(event.description) (unexpected action)")
    }

    /// Writes the event into the run's workflow record (for the reports' lanes).
    static func entry(_ event: AgentEvent, _ action: AgentAction, _ expectation: Expectation, _ run: inout StepRun) {
        run.state.workflow.append(
            WorkflowEntry(
                kind: action.keyword, agent: event.agent, target: event.target, line: action.line, time: run.now, description: event.description,
                expectation: expectation, outcome: event.outcome, judgement: expectation.judge(event.outcome), chargedCents: event.chargedCents,
                remainingCents: event.remainingCents))
    }

    /// After the scenario's last workflow step: every action stated as reached must have run.
    static func checkReached(_ run: inout StepRun) {
        for agent in run.scenario.behaviours.keys.sorted() {
            for (index, action) in (run.scenario.behaviours[agent]?.plan.actions ?? []).enumerated() where action.reached {
                let ran = run.state.actionsRun[ActionKey(agent: agent, action: index)] ?? 0
                var times = 1
                if case let .call(use) = action.kind { times = use.times }
                guard ran < times else { continue }
                let what = ran == 0 ? "never ran" : "ran \(ran) of its \(times) times"
                run.judge(
                    .failed(
                        "\(agent)'s \(action.keyword) \(what) (its agent was refused or never reached); say `reached: false` if that is expected"),
                    against: action.expect ?? .accept, line: action.line, what: "\(agent)'s \(action.keyword)")
            }
        }
    }

    /// Whether this step is the scenario's last one that sets agents to work.
    static func isLastWorkflowStep(_ run: StepRun) -> Bool {
        !run.scenario.steps.indices.contains { $0 > run.index && run.scenario.steps[$0].action is any WorkflowStep }
    }
}
