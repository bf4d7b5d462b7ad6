import BatonCrypto
import BatonModel

/// `rotate_key: AGENT`: the agent's key is replaced by a new one in its identity document.
public struct RotateKeyStep: ScenarioStepKind, Hashable {
    public static let keyword = "rotate_key"
    public var agent: String

    public static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> RotateKeyStep {
        let a = try f.string()
        try context.agent(a, f)
        return RotateKeyStep(agent: a)
    }

    public func perform(_ run: inout StepRun) async throws -> Outcome? {
        run.state.rotateKey(of: agent, to: .derived(from: "\(run.seed):agent:\(run.state.identity(agent)):rotated:\(run.index)"))
        run.log("\(run.label): \(agent) rotates its key")
        return nil
    }
}
