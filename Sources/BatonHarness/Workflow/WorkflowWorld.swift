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
        /// Completion evidence: agent, the completed token, the hash of its artifacts.
        var completions: [(agent: String, token: String, resultHash: String)] = []
        /// A scenario mistake met while the agents acted (the step ends as an error).
        var harnessError: String?
        /// Gateway records that misstate who a call was for.
        var recordProblems: [String] = []
    }

    /// The step the agents act in (its run state as it was when they started).
    let run: StepRun
    let log = Mutex(Log())
    /// The run's tool server: the one the run already has, or one made at the first tool call.
    let toolServer: Mutex<WorkflowTools?>

    init(run: StepRun) {
        self.run = run
        toolServer = Mutex(run.state.tools)
    }

    /// The tool server, made (a real MCP server and client, in process) at first use.
    func tools() async throws -> WorkflowTools {
        if let existing = toolServer.withLock({ $0 }) { return existing }
        let made = try await WorkflowTools(catalog: run.scenario.tools)
        toolServer.withLock { $0 = made }
        return made
    }

    var state: RunState { run.state }
    var driver: any ProfileDriver { run.driver }

    /// The verifier for a token: the implementation when it verifies; the reference only for
    /// unforged tokens (a forged one cannot judge an implementation that does not verify).
    /// The step's rule (`StepRun.verifier(for:)`), applied to the token's name; a skip is kept for the step.
    func verifier(for token: String?) -> (any ImplementationUnderTest)? {
        do { return try run.verifier(for: token.flatMap(tokenName)) } catch let skip as RunSkip {
            log.withLock { $0.skip = skip }
            return nil
        } catch {
            log.withLock { $0.skip = RunSkip(reason: "\(error)") }
            return nil
        }
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
        let outcome = await verifier.verify(run.verifyRequest(presenting: token, to: holder, scope: scope))
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
            let card = state.bus.agents.keys.sorted().compactMap { state.bus.agents[$0]?.card }.first { $0.aipIdentity.id == identity }
            if let hex = card?.publicKey, let key = try? Ed25519.PublicKey(hex: hex) { return key }
        }
        return state.agentName(withIdentity: identity, publishedOnly: true).map { state.key($0).publicKey }
    }

    func delegate(_ order: DelegationOrder) async -> IssueResult {
        let d = order.delegation
        let call: AgentDelegationCall
        do { call = try driver.agentDelegation(order, run: run) } catch {
            // A scenario mistake (a budget where the profile has none …): the run ends as an error.
            log.withLock { $0.harnessError = "\(order.delegator)'s delegation \(d.name): \(error)" }
            return .refused(.failed("\(error)"))
        }
        let role: ImplementationRole
        switch call {
        case .delegate: role = .issuer
        case .exchange: role = .sts
        }
        let implementationPlays = run.implementation.supports(role)
        func ask(_ implementation: any ImplementationUnderTest) async -> IssueResult {
            switch call {
            case let .delegate(request): return await implementation.delegate(request)
            case let .exchange(exchange): return await implementation.exchange(exchange)
            }
        }
        var result = await ask(implementationPlays ? run.implementation : run.reference)
        // The reference stands in for an issuer that cannot express a delegation; a token service keeps
        // per-scenario state the reference does not share, so its `unsupported` stays the answer.
        if case let .refused(outcome) = result, let reason = outcome.unsupportedReason, implementationPlays, role == .issuer {
            result = await ask(run.reference)
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
        let response: A2ATaskResponse
        if let refusal = await gatewayRefusal(task, from: sender, to: receiver?.name ?? to) {
            response = .failed(
                id: task.id,
                A2AError(aipCode: refusal.code, status: 403, message: refusal.message ?? "", step: refusal.step))
        } else {
            response = await deliver(task, to: receiver, named: to)
        }
        let record = AuditTrail.record(
            session: run.scenario.id, time: run.now, caller: state.identity(sender), receiver: state.identity(receiver?.name ?? to),
            scope: task.skill ?? "tasks/send", reading: task.token.map(driver.readChain) ?? ChainReading(), outcome: response.outcome)
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
            keepsLedger: !flaws.contains(.skipBudgetLedger), tokensCarryBudgets: driver.tokensCarryBudgets)
        var call = call
        let result: ToolCallResult
        if let refusal = await gatewayRefusal(&call) {
            result = .refused(call.tool, ToolRefusal(code: refusal.code ?? "", step: refusal.step, message: refusal.message ?? ""))
        } else {
            do {
                result = try await tools().call(
                    ToolCallRequest(tool: call.tool, token: call.token, caller: call.caller, arguments: call.arguments), view: gate)
            } catch {
                log.withLock { $0.harnessError = "the MCP tool server did not start: \(error)" }
                result = .failed(call.tool, "the MCP tool server did not start: \(error)")
            }
        }
        let scope = run.scenario.tools.tool(named: call.tool)?.scope ?? call.tool
        let record = AuditTrail.record(
            session: run.scenario.id, time: run.now, caller: state.identity(call.caller), receiver: WorkflowTools.identity(domain: state.domain),
            scope: scope, reading: call.token.map(driver.readChain) ?? ChainReading(), outcome: result.outcome)
        log.withLock { $0.records.append((record, call.token)) }
        return ToolAnswer(outcome: result.outcome, output: result.output, chargedCents: result.chargedCents, remainingCents: result.remainingCents)
    }

    /// Asks the gateway about a call: the implementation when it plays the `gateway` role, else Baton's
    /// reference gateway (verifying with the run's verifier). Refusals, and records that misstate
    /// who the call was for, are noted in the trace and the run.
    func askGateway(_ call: GatewayCall) async -> (refusal: Outcome?, forwardedAs: String?) {
        let decision: GatewayDecision
        let name: String
        if run.implementation.supports(.gateway) {
            decision = await run.implementation.gatewayCall(call)
            name = run.implementation.descriptor.name
        } else {
            // A skip (a forged token without a verifier to judge) ends the step; nothing is forwarded.
            guard let verifier = verifier(for: call.token) else { return (.failed("skipped"), nil) }
            let driver = self.driver
            decision = await ReferenceGateway(verify: { await verifier.verify($0) }, read: { driver.readChain($0) }).decide(call)
            name = "Baton's reference gateway"
        }
        let what =
            call.kind == .tool ? "\(call.transportIdentity)'s call of \(call.target)" : "the task from \(call.transportIdentity) to \(call.target)"
        // A gateway (or the verifier it relies on) that cannot judge this call skips the scenario: it is not judged, and
        // nothing is forwarded.
        if let reason = decision.outcome.unsupportedReason {
            log.withLock {
                $0.skip = RunSkip(
                    reason: "the gateway [\(name)] cannot decide \(what): \(reason)",
                    needs: run.implementation.supports(.gateway) ? .gateway : .verifier)
            }
            return (decision.outcome, nil)
        }
        log.withLock {
            $0.trace.append(
                "      the gateway [\(name)] \(decision.outcome.verdict == .accept ? "forwards" : "refuses") \(what): \(decision.outcome.summary)")
        }
        if decision.outcome.verdict == .accept, decision.record == nil {
            log.withLock { $0.recordProblems.append("the gateway forwarded \(what) and recorded nothing of it") }
        }
        if decision.outcome.verdict == .accept, let record = decision.record, let caller = record.caller,
            state.agentName(withIdentity: caller) == nil
        {
            log.withLock { $0.recordProblems.append("the gateway forwarded \(what) as \(caller), whom no agent is") }
        }
        if decision.outcome.verdict == .accept, let token = call.token {
            let reading = driver.readChain(token)
            if let record = decision.record, record.principal != reading.principal || record.holder != WorkflowGateway.holder(reading) {
                let problem =
                    "the gateway recorded \(what) on behalf of \(record.principal ?? "nobody") held by \(record.holder ?? "nobody"); "
                    + "the chain says \(reading.principal ?? "nobody") and \(WorkflowGateway.holder(reading) ?? "nobody")"
                log.withLock { $0.recordProblems.append(problem) }
            }
        }
        return (decision.outcome.verdict == .accept ? nil : decision.outcome, decision.record?.caller)
    }

    /// The gateway's decision about a task between agents (nil: no gateway, or it forwards the task).
    /// The transport identities are the real sender's and the real receiver's, whatever names they go by.
    func gatewayRefusal(_ task: A2ATaskRequest, from sender: String, to receiver: String) async -> Outcome? {
        guard run.scenario.gateway != nil else { return nil }
        let receiverID = state.identity(receiver)
        let verify = run.verifyRequest(presenting: task.token, to: receiverID, scope: task.skill)
        return await askGateway(
            GatewayCall(
                profile: run.scenario.profile, kind: .task, transportIdentity: state.identity(sender), claimedCaller: state.identity(sender),
                target: receiverID, scope: task.skill, token: task.token, verify: verify)
        ).refusal
    }

    /// The gateway's decision about a tool call (nil: it forwards it). A call through the gateway
    /// reaches the tool server as the transport identity, not as the caller it claims; a call around
    /// it is refused when the tool server takes calls only from the gateway.
    func gatewayRefusal(_ call: inout ToolInvocation) async -> Outcome? {
        guard let gateway = run.scenario.gateway else { return nil }
        if call.bypassesGateway {
            guard gateway.toolServerRequiresGateway && !flaws.contains(.toolsAcceptDirectCalls) else { return nil }
            let refusal = Outcome.rejected(
                WorkflowGateway.Refusal.required.rawValue, step: WorkflowGateway.step,
                message: "\(call.placedBy) called \(call.tool) around the gateway; the tool server takes calls only from it")
            log.withLock { $0.trace.append("      the tool server refuses \(call.placedBy)'s direct call of \(call.tool): \(refusal.summary)") }
            return refusal
        }
        let transport = state.identity(call.placedBy)
        let scope = run.scenario.tools.tool(named: call.tool)?.scope ?? call.tool
        let verify = run.verifyRequest(presenting: call.token, to: transport, scope: scope)
        let (refusal, forwardedAs) = await askGateway(
            GatewayCall(
                profile: run.scenario.profile, kind: .tool, transportIdentity: transport, claimedCaller: state.identity(call.caller),
                target: call.tool, scope: scope, token: call.token, verify: verify))
        // The gateway asserts the identity it authenticated to the tool server, not the claimed one.
        call.caller = forwardedAs.flatMap { state.agentName(withIdentity: $0) } ?? call.placedBy
        return refusal
    }

    /// The agent's completion evidence, through the profile; the run keeps the latest per agent.
    func complete(_ token: String, by agent: Agent, artifacts: [String]) async -> String? {
        let hash = "sha256:" + Hex.encode(SHA256.hash(artifacts.joined(separator: "\n")))
        let nextKey = Ed25519.PrivateKey.derived(from: "\(run.seed):\(run.scenario.id):completion:\(run.index):\(agent.name)")
        guard let completed = driver.completion(of: token, resultHash: hash, nextKey: nextKey) else { return nil }
        log.withLock { $0.completions.append((agent.name, completed, hash)) }
        return completed
    }

    func heldToken(_ name: String) async -> String? {
        if let kept = log.withLock({ $0.kept.last { $0.name == name }?.token }) { return kept }
        return state.tokens[name]
    }

    func keep(_ token: String, as name: String) async { log.withLock { $0.kept.append((name, token)) } }

    func record(_ event: AgentEvent) async { log.withLock { $0.events.append(event) } }

    func httpStatus(forRefusal code: String) -> Int { driver.httpStatus(forRefusal: code) }
}
