import BatonAgents
import BatonAudit
import BatonCrypto
import BatonModel
import BatonRuntime
import BatonTools
import Synchronization

/// The world the scenario's agents act in during one step: the implementation under test verifies
/// and issues where it plays those roles (the reference otherwise), the bus carries tasks between
/// the agents the run holds, and the run's tool server takes tool calls. What happens is written to
/// a log that the step merges into the run when the agents are done.
final class WorkflowWorld: AgentWorld {
    /// What the agents did, in order.
    struct Log: Sendable {
        var events: [AgentEvent] = []
        var kept: [(name: String, token: String)] = []
        var records: [(record: AuditRecord, token: String?)] = []
        var envelopes: [(request: A2ATaskRequest, from: String, to: String)] = []
        var trace: [String] = []
        var standIns: [String] = []
        var skip: RunSkip?
        var forgedDescent: [(name: String, parent: String)] = []
    }

    /// The step the agents act in (its run state as it was when they started).
    let run: StepRun
    let tools: WorkflowTools
    let log = Mutex(Log())

    init(run: StepRun, tools: WorkflowTools) {
        self.run = run
        self.tools = tools
    }

    var state: RunState { run.state }
    var driver: any ProfileDriver { run.driver }

    /// The verifier for a token: the implementation when it verifies; the reference only for
    /// unforged tokens (a forged one cannot judge an implementation that does not verify).
    func verifier(for token: String?) -> (any ImplementationUnderTest)? {
        if run.implementation.supports(.verifier) { return run.implementation }
        if let token, let name = tokenName(token), state.forgeries[name] != nil {
            log.withLock { $0.skip = RunSkip(reason: "presents a forged token to a verifier; the implementation has no verifier role") }
            return nil
        }
        return run.reference
    }

    /// The name a token is held under in the run, if any.
    func tokenName(_ token: String) -> String? {
        if let kept = log.withLock({ $0.kept.last { $0.token == token }?.name }) { return kept }
        return state.tokenOrder.last { state.tokens[$0] == token }
    }

    func verify(token: String?, receiver: Agent, scope: String?) async -> Outcome {
        await verify(token: token, holder: state.identity(receiver.name), scope: scope, by: receiver.name)
    }

    /// Verifies for `holder` (the audience) and `scope`; `by` names who verifies, for the trace.
    func verify(token: String?, holder: String, scope: String?, by: String) async -> Outcome {
        guard let verifier = verifier(for: token) else { return .failed("skipped") }
        var request = run.verifyRequest(token: nil, audience: holder, scope: scope, root: run.scenario.trust)
        request.token = token
        let outcome = await verifier.verify(request)
        let name = token.map { tokenName($0) ?? "an unnamed token" } ?? "no token"
        let header = "      \(by) verifies \(name)\(scope.map { " for \($0)" } ?? "") [\(verifier.descriptor.name)]: \(outcome.summary)"
        let details = (outcome.details ?? []).map { "        \($0)" }
        log.withLock { $0.trace += [header] + details }
        return outcome
    }

    func card(named name: String) async -> AgentCard? { state.bus.agent(name)?.card }

    /// The defences the implementation under test has removed (flawed variants only).
    var flaws: Set<WorkflowFlaw> { (run.implementation as? any WorkflowFlawCarrying)?.workflowFlaws ?? [] }

    func publishedKey(of identity: String) async -> Ed25519.PublicKey? {
        if flaws.contains(.trustAgentCards) {
            // The flaw: whatever card claims the identity is believed, so its own key is "published".
            let card = state.bus.agents.values.map(\.card).first { $0.aipIdentity.id == identity }
            if let hex = card?.publicKey, let key = try? Ed25519.PublicKey(hex: hex) { return key }
        }
        return state.published.first { state.identity($0) == identity }.map { state.key($0).publicKey }
    }

    func delegate(_ order: DelegationOrder) async -> IssueResult {
        let d = order.delegation
        if let e = d.expiresIn, run.now.addingReportingOverflow(e).overflow { return .refused(.failed("expires_in \(e) overflows the clock")) }
        // The holder key the next hop is bound to: the published key of the identity the card named.
        let holder = state.published.first { state.identity($0) == order.delegateIdentity } ?? order.delegate
        let request = DelegateRequest(
            profile: run.scenario.profile, token: order.token, delegator: state.identity(order.delegator), delegate: order.delegateIdentity,
            scopes: d.scopes, context: d.purpose, budgetCents: d.budgetCents, expiresAt: d.expiresIn.map { run.now + $0 }, principal: nil,
            now: run.now, delegatorKey: driver.signsEveryDelegation ? order.delegatorKey : nil,
            nextKey: .derived(from: "\(run.seed):\(run.scenario.id):next:\(run.index):\(d.name)"), delegateKey: state.key(holder).publicKey,
            revocation: run.verifyRequest(token: nil, audience: nil, scope: nil, root: run.scenario.trust).revocation)
        let implementationIssues = run.implementation.supports(.issuer)
        let issuer = implementationIssues ? run.implementation : run.reference
        var result = await issuer.delegate(request)
        if case let .refused(outcome) = result, let reason = outcome.unsupportedReason, implementationIssues {
            result = await run.reference.delegate(request)
            log.withLock {
                $0.standIns.append("\(d.name): \(reason)")
                $0.trace.append("      the implementation cannot make \(d.name) (\(reason)); Baton's reference makes it")
            }
        }
        if case .token = result, let parent = tokenName(order.token) { log.withLock { $0.forgedDescent.append((d.name, parent)) } }
        return result
    }

    func send(_ task: A2ATaskRequest, from sender: String, to: String) async -> A2ATaskResponse {
        let receiver = state.bus.agent(to)
        log.withLock { $0.envelopes.append((task, sender, to)) }
        let response = await deliver(task, to: receiver, named: to)
        let record = AuditTrail.record(
            session: run.scenario.id, time: run.now, caller: state.identity(sender), receiver: state.identity(receiver?.name ?? to),
            scope: task.skill ?? "tasks/send", reading: task.token.map(driver.readChain) ?? ChainReading(), response: response,
            step: response.error?.step)
        log.withLock { $0.records.append((record, task.token)) }
        return response
    }

    /// A person's request reaches the agent whose authority the token is: it takes the token as its
    /// own (no delegation to verify) and works its plan.
    func enter(_ task: A2ATaskRequest, from person: String, to: String) async -> A2ATaskResponse {
        guard let receiver = state.bus.agent(to) else {
            return .failed(id: task.id, A2AError(rpcCode: -32004, message: "no agent named \(to) on the bus"))
        }
        log.withLock { $0.envelopes.append((task, person, to)) }
        return await receiver.handle(task, world: self, verifying: false)
    }

    func callTool(_ call: ToolInvocation) async -> ToolAnswer {
        let run = self.run
        let driver = self.driver
        let refusal = driver.budgetRefusal
        let gate = ToolGate(
            verify: { [self] token, holder, scope in await self.verify(token: token, holder: holder, scope: scope, by: "the tool server") },
            identity: { run.state.identity($0) }, read: { driver.readChain($0) },
            budgetRefusal: ToolRefusal(code: refusal.code, step: refusal.step, message: "the call does not fit the budget"),
            keepsLedger: !flaws.contains(.skipBudgetLedger))
        let result = await tools.call(ToolCallRequest(tool: call.tool, token: call.token, caller: call.caller, arguments: call.arguments), view: gate)
        let scope = tools.server.catalog.tool(named: call.tool)?.scope ?? call.tool
        let response: A2ATaskResponse =
            switch result.outcome.verdict {
            case .accept: .completed(id: call.tool, text: result.output ?? "")
            case .reject:
                .failed(
                    id: call.tool,
                    A2AError(
                        aipCode: result.outcome.code, status: driver.httpStatus(forRefusal: result.outcome.code ?? ""),
                        message: result.outcome.message ?? "", step: result.outcome.step))
            case .error: .failed(id: call.tool, A2AError(rpcCode: -32603, message: result.outcome.message ?? ""))
            }
        let record = AuditTrail.record(
            session: run.scenario.id, time: run.now, caller: state.identity(call.caller), receiver: WorkflowTools.identity(domain: state.domain),
            scope: scope, reading: call.token.map(driver.readChain) ?? ChainReading(), response: response, step: result.outcome.step)
        log.withLock { $0.records.append((record, call.token)) }
        return ToolAnswer(outcome: result.outcome, output: result.output, chargedCents: result.chargedCents, remainingCents: result.remainingCents)
    }

    func heldToken(_ name: String) async -> String? {
        if let kept = log.withLock({ $0.kept.last { $0.name == name }?.token }) { return kept }
        return state.tokens[name]
    }

    func keep(_ token: String, as name: String) async { log.withLock { $0.kept.append((name, token)) } }

    func record(_ event: AgentEvent) async { log.withLock { $0.events.append(event) } }

    func httpStatus(forRefusal code: String) -> Int { driver.httpStatus(forRefusal: code) }
}
