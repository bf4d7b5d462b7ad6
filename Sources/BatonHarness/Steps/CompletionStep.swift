import BatonModel

/// `completion`: the completion evidence an agent left when its work was done (AIP's completion
/// block, aip-provenance §2): the verifier under test must accept the completed chain for the agent
/// (a completion block grants nothing and the agent stays the holder), and the block's result hash
/// is the hash of the artifacts the agent answered with.
public struct CompletionStep: ScenarioStepKind, Hashable {
    public static let keyword = "completion"
    public static let isCheckpoint = true

    public var agent: String
    /// The name the completed token is kept under, for later steps (optional).
    public var name: String?

    public static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> CompletionStep {
        try f.rejectUnknownKeys(["agent", "as"])
        let s = CompletionStep(agent: try f["agent"].string(), name: try f["as"].optionalString())
        try context.agent(s.agent, f["agent"])
        if let name = s.name { try context.define(name, f["as"]) }
        return s
    }

    public func perform(_ run: inout StepRun) async throws -> Outcome? {
        guard let completion = run.state.completions[agent] else {
            return .failed("\(agent) left no completion evidence (it never finished a task, or the \(run.scenario.profile) profile has none)")
        }
        if let name { run.state.tokens[name] = completion.token }
        let verifier = try run.verifier(for: nil)
        let request = run.verifyRequest(presenting: completion.token, to: run.state.identity(agent), scope: nil)
        run.log("\(run.label): \(agent)'s completion evidence (result \(completion.resultHash)) is verified [\(verifier.descriptor.name)]")
        let outcome = await verifier.verify(request)
        run.state.trace += (outcome.details ?? []).map { "      \($0)" }
        return outcome
    }
}
