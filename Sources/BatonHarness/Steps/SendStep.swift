import BatonAgents
import BatonModel
import BatonRuntime

/// `send`: an A2A `tasks/send` over the bus; the receiving agent verifies the token it finds
/// in the envelope (through the verifier under test, or the reference), works its plan if it has
/// one, and the call is written to the audit log.
public struct SendStep: WorkflowStep, Hashable {
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
        let task = A2ATaskRequest(
            id: "\(run.scenario.id)#\(run.index)", taskId: "task-\(run.index)", text: "use \(scope)",
            token: token.flatMap { run.state.tokens[$0] }, skill: scope)
        run.log("\(run.label): \(from) sends tasks/send to \(to) with \(token ?? "no token") for \(scope) [\(verifier.descriptor.name)]")
        let (from, to) = (self.from, self.to)
        let response = try await WorkflowRun.perform(&run) { world in await world.send(task, from: from, to: to) }
        if WorkflowRun.isLastWorkflowStep(run) && !run.scenario.behaviours.isEmpty { WorkflowRun.checkReached(&run) }
        return response.outcome
    }
}
