import AgenticJWT
import BatonHarness
import BatonModel
import JOSE

/// `intent`: an agent asks the identity provider for an intent token for one workflow step (the
/// `agent_checksum` grant), with the checksum it computes over the code it runs. By default the
/// request is honest: the step's tool and scopes, and the steps completed so far by accepted
/// calls; each part can be overridden to rehearse a lying or compromised agent.
struct IntentStep: ScenarioStepKind, Hashable {
    static let keyword = "intent"
    static let isCheckpoint = true

    var name: String
    var agent: String
    var workflow: String
    var step: String
    /// The tool asked for (default: the step's action).
    var tool: String?
    /// Default: the step's scopes.
    var scopes: [String]?
    /// The completed steps claimed (default: those completed by accepted calls).
    var completed: [String]?
    /// The agents claimed to have acted before (default: those of the accepted calls).
    var chain: [String]?
    /// The `agent_id` written in `workflow_step` (default: the agent).
    var stepAgent: String?
    /// The audience (default: the resource server).
    var audience: String?
    var grantType: GrantChoice

    /// The grant type sent (`grant_type:`): the draft's URN (default), the proof of concept's bare
    /// `agent_checksum`, or any other text.
    enum GrantChoice: Hashable, Sendable {
        case urn
        case bare
        case literal(String)

        init(_ text: String?) {
            switch text {
            case nil, "urn"?: self = .urn
            case "bare"?: self = .bare
            case let other?: self = .literal(other)
            }
        }

        var value: String {
            switch self {
            case .urn: return IntentTokenRequest.grantTypeURN
            case .bare: return IntentTokenRequest.bareGrantType
            case let .literal(text): return text
            }
        }
    }

    static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> IntentStep {
        try f.rejectUnknownKeys(["as", "agent", "workflow", "step", "tool", "scopes", "completed", "chain", "step_agent", "audience", "grant_type"])
        let s = IntentStep(
            name: try f["as"].string(), agent: try f["agent"].string(), workflow: try f["workflow"].string(), step: try f["step"].string(),
            tool: try f["tool"].optionalString(), scopes: f["scopes"].exists ? try f["scopes"].strings() : nil,
            completed: f["completed"].exists ? try f["completed"].strings() : nil, chain: f["chain"].exists ? try f["chain"].strings() : nil,
            stepAgent: try f["step_agent"].optionalString(), audience: try f["audience"].optionalString(),
            grantType: GrantChoice(try f["grant_type"].optionalString()))
        try context.agent(s.agent, f["agent"])
        if let a = s.stepAgent { try context.agent(a, f["step_agent"]) }
        for a in s.chain ?? [] { try context.agent(a, f["chain"]) }
        if expect?.verdict != .reject { try context.define(s.name, f["as"]) }
        return s
    }

    func perform(_ run: inout StepRun) async throws -> Outcome? {
        let settings = run.scenario.settings[IntentProviderSettings.self]
        let registered = settings.step(workflow, step)
        let map = run.state.agenticJWT.map
        let progress = run.state.agenticJWT.progress[workflow] ?? []
        let request = IntentTokenRequest(
            grantType: grantType.value, agentID: run.state.identity(agent),
            computedChecksum: AgentDefinitions.computedChecksum(of: agent, settings: settings),
            workflowID: workflow,
            step: .init(stepID: step, agentID: run.state.identity(stepAgent ?? agent), toolName: map.action(tool ?? registered?.action ?? step)),
            requestedScopes: (scopes ?? registered?.scopes ?? []).map(map.scope), completedSteps: completed ?? progress.map(\.step),
            chain: (chain ?? progress.map(\.agent)).map(run.state.identity), audience: audience ?? settings.resourceServer)
        let sts = try run.tokenService()
        run.log(
            "\(run.label): \(agent) asks for an intent token \(name) for \(workflow)/\(step) (\(request.step.toolName), scopes \(request.requestedScopes), after \(request.completedSteps)) [\(sts.descriptor.name)]"
        )
        let call = ExchangeCall(
            profile: .agenticJWT, session: run.session, client: agent, parameters: request.parameters.map { [$0.0, $0.1] }, now: run.now)
        return try run.issued(await sts.exchange(call), name: name, role: .sts)
    }
}
