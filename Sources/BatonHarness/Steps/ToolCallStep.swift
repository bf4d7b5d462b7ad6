import BatonAgents
import BatonModel

/// `tool_call`: someone presents a token to the tool server directly: a replay after the task ended,
/// a token copied off the bus (`bus: N`, the token of the N-th envelope the bus carried, from 1), or
/// a caller claiming to be someone else (`as_caller`).
public struct ToolCallStep: ScenarioStepKind, Hashable {
    public static let keyword = "tool_call"
    public static let isCheckpoint = true

    /// Where the token comes from.
    public enum Source: Hashable, Sendable {
        case named(String)
        case bus(Int)
        case none
    }

    public var by: String
    public var source: Source
    public var tool: String
    public var caller: String?
    public var arguments: [String: String]

    public static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> ToolCallStep {
        try f.rejectUnknownKeys(["by", "token", "bus", "tool", "as_caller", "arguments"])
        let source: Source
        switch (try f["token"].optionalString(), try f["bus"].optionalInt()) {
        case let (name?, nil):
            try context.token(name, f["token"])
            source = .named(name)
        case let (nil, n?):
            guard n >= 1 else { throw f["bus"].error("envelopes are counted from 1") }
            source = .bus(n)
        case (nil, nil): source = .none
        default: throw f.error("give either token or bus, not both")
        }
        let step = ToolCallStep(
            by: try f["by"].string(), source: source, tool: try f["tool"].string(), caller: try f["as_caller"].optionalString(),
            arguments: try AgentBehaviour.stringMap(f["arguments"]))
        try context.agent(step.by, f["by"])
        if let caller = step.caller { try context.agent(caller, f["as_caller"]) }
        return step
    }

    public func perform(_ run: inout StepRun) async throws -> Outcome? {
        let token: String?
        let what: String
        switch source {
        case let .named(name):
            guard let text = run.state.tokens[name] else { return .failed("\(name) was never made (an earlier step did not produce it)") }
            token = text
            what = name
        case let .bus(n):
            guard run.state.bus.log.indices.contains(n - 1) else {
                return .failed("the bus has carried \(run.state.bus.log.count) envelope(s), not \(n) (an earlier step was cut short)")
            }
            let envelope = run.state.bus.log[n - 1]
            token = envelope.token
            what = "the token of envelope \(n) (\(envelope.from) → \(envelope.to)), copied off the bus"
        case .none:
            token = nil
            what = "no token"
        }
        let claimed = caller ?? by
        run.log("\(run.label): \(by)\(claimed == by ? "" : " (claiming to be \(claimed))") calls \(tool) with \(what)")
        let call = ToolInvocation(tool: tool, arguments: arguments, token: token, caller: claimed, placedBy: by)
        let answer = try await WorkflowRun.perform(&run) { world in await world.callTool(call) }
        return answer.outcome
    }
}
