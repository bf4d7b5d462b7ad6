import BatonModel

/// `unpublish: AGENT`: the agent's identity document is withdrawn (its identity no longer resolves).
public struct UnpublishStep: ScenarioStepKind, Hashable {
    public static let keyword = "unpublish"
    public var agent: String

    public static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> UnpublishStep {
        let a = try f.string()
        try context.agent(a, f)
        return UnpublishStep(agent: a)
    }

    public func perform(_ run: inout StepRun) async throws -> Outcome? {
        run.state.published.remove(agent)
        run.log("\(run.label): \(agent)'s identity document is withdrawn")
        return nil
    }
}
