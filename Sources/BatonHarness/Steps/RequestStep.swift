import BatonAgents
import BatonModel
import BatonRuntime

/// `request`: a person's request enters the workflow at the agent whose authority the token is
/// (the root token at the orchestrator that minted it, or a delegation to an assistant): the person
/// authenticated to that agent outside the token, so the agent takes the token as its own and works
/// its plan; every peer it delegates to verifies what it receives. The step is judged on the entry
/// agent's answer; every action of every plan is judged on its own.
public struct RequestStep: WorkflowStep, Hashable {
    public static let keyword = "request"
    public static let isCheckpoint = true

    public var token: String?
    /// Who the request comes from (a person, or an agent's name).
    public var from: String
    public var to: String
    public var text: String
    public var skill: String?
    /// The artifacts the entry agent must answer with, in order (nil: not checked).
    public var artifacts: [String]?

    public static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> RequestStep {
        try f.rejectUnknownKeys(["token", "from", "to", "text", "skill", "artifacts"])
        let s = RequestStep(
            token: try f["token"].optionalString(), from: try f["from"].optionalString() ?? "user", to: try f["to"].string(),
            text: try f["text"].optionalString() ?? "", skill: try f["skill"].optionalString(),
            artifacts: f["artifacts"].exists ? try f["artifacts"].strings() : nil)
        if let t = s.token { try context.token(t, f["token"]) }
        try context.agent(s.to, f["to"])
        guard context.driver.carriesWorkflows else {
            throw f.error("the \(context.driver.profile) profile does not carry workflows (agents delegating through its issuer) yet")
        }
        return s
    }

    public func perform(_ run: inout StepRun) async throws -> Outcome? {
        let task = A2ATaskRequest(
            id: "\(run.scenario.id)#\(run.index)", taskId: "task-\(run.index)", text: text, token: token.flatMap { run.state.tokens[$0] },
            skill: skill)
        run.log("\(run.label): \(from) asks \(to) \"\(text)\" with \(token ?? "no token")")
        let to = self.to
        let from = self.from
        let response = try await WorkflowRun.perform(&run) { world in await world.enter(task, from: from, to: to) }
        if WorkflowRun.isLastWorkflowStep(run) { WorkflowRun.checkReached(&run) }
        if let artifacts {
            let answered = response.text.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? []
            if answered != artifacts {
                run.assertionFailed("\(run.label): \(to) answered with artifacts \(answered), expected \(artifacts)")
            } else {
                run.log("\(run.label): \(to) answered with the \(artifacts.count) artifact(s) expected")
            }
        }
        return response.outcome
    }
}
