import BatonModel
import BatonRuntime
import Synchronization

/// `send`: an A2A `tasks/send` over the bus; the receiving agent verifies the token it finds
/// in the envelope (through the verifier under test, or the reference), and the call is
/// written to the audit log.
public struct SendStep: ScenarioStepKind, Hashable {
    public static let keyword = "send"
    public static let isCheckpoint = true

    /// nil sends a task with no token at all.
    public var token: String?
    public var from: String
    public var to: String
    public var scope: String

    public static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> SendStep {
        try f.rejectUnknownKeys(["token", "from", "to", "scope"])
        let s = SendStep(
            token: try f["token"].optionalString(), from: try f["from"].string(), to: try f["to"].string(),
            scope: try f["scope"].string())
        if let t = s.token { try context.token(t, f["token"]) }
        try context.agent(s.from, f["from"])
        try context.agent(s.to, f["to"])
        return s
    }

    public func perform(_ run: inout StepRun) async throws -> Outcome? {
        let verifier = try run.verifier(for: token)
        let template = run.verifyRequest(token: nil, audience: run.state.identity(to), scope: scope, root: run.scenario.trust)
        let driver = run.driver
        let seen = Mutex<Outcome?>(nil)
        // The receiving agent verifies the token it finds in the envelope it was sent.
        let receiver = SimulatedAgent(name: to, domain: run.state.domain, seed: run.seed) { task, _ in
            var request = template
            request.token = task.token
            let outcome = await verifier.verify(request)
            seen.withLock { $0 = outcome }
            switch outcome.verdict {
            case .accept: return .success("task accepted")
            case .reject:
                let code = outcome.code ?? ""
                return .failure(
                    A2AError(aipCode: outcome.code ?? "unknown", status: driver.httpStatus(forRefusal: code), message: outcome.message ?? ""))
            case .error: return .failure(A2AError(rpcCode: -32603, message: "implementation error: \(outcome.message ?? "")"))
            }
        }
        run.state.bus.register(receiver)
        let task = A2ATaskRequest(
            id: "\(run.scenario.id)#\(run.index)", taskId: "task-\(run.index)", text: "use \(scope)",
            token: token.flatMap { run.state.tokens[$0] })
        let response = await run.state.bus.send(task, from: from, to: to, at: run.now)
        let outcome = seen.withLock { $0 }
        run.log("\(run.label): \(from) sends tasks/send to \(to) with \(token ?? "no token") for \(scope) [\(verifier.descriptor.name)]")
        run.state.trace += (outcome?.details ?? []).map { "      \($0)" }
        run.state.audit.append(
            AuditTrail.record(
                session: run.scenario.id, time: run.now, caller: run.state.identity(from), receiver: run.state.identity(to), scope: scope,
                reading: task.token.map(driver.readChain) ?? ChainReading(), response: response, step: outcome?.step))
        if let name = token, let forgery = run.state.forgeries[name], let record = run.state.audit.records.last {
            run.state.forgedCalls.append(ForgedCall(record: record.sequence, token: name, attack: forgery.attack, honestHops: forgery.honestHops))
        }
        guard let error = response.error else { return .accepted }
        if let code = error.aipCode { return .rejected(code, step: outcome?.step, message: error.message) }
        return .failed(error.message)
    }
}
