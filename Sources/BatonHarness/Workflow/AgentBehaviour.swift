import BatonAgents
import BatonModel

/// How a scenario's agent behaves (`behaviours:` in a scenario): its plan, and, for a rogue, the
/// agent whose place it takes on the bus with a card claiming that agent's identity.
///
/// ```yaml
/// behaviours:
///   orchestrator:
///     - delegate: {as: t1, to: researcher, scopes: [tool:research.search], budget_cents: 100, purpose: "survey", task: "find sources"}
///   researcher:
///     - call: {tool: research.search, arguments: {query: "agent delegation"}}
///     - call: {tool: email.send}
///       expect: {reject: aip_scope_insufficient, step: V6}
///   mallory: {impersonates: writer, verifies_tokens: false, plan: [...]}
///   writer: {external: true, plan: [{call: {tool: docs.write, arguments: {title: "x"}}}]}
/// ```
///
/// An `external` agent is played by the implementation under test when it declares the `agent`
/// role (`agent_task` in the testee protocol); its plan then states what the scenario expects it to
/// ask for (calls only, with the token it received), and without the role Baton's simulated agent
/// works the plan.
public struct AgentBehaviour: Sendable {
    public var plan: AgentPlan
    /// The agent whose name on the bus this one takes, with a card claiming its identity.
    public var impersonates: String?
    /// Whether an implementation with the `agent` role plays this agent.
    public var external: Bool
    /// The line of the behaviour in the scenario file (for actions the plan does not state).
    public var line: Int

    public init(plan: AgentPlan, impersonates: String? = nil, external: Bool = false, line: Int = 0) {
        self.plan = plan
        self.impersonates = impersonates
        self.external = external
        self.line = line
    }

    /// Reads the `behaviours:` mapping: agent name → a list of actions, or a mapping with `plan`,
    /// `checks_cards`, `verifies_tokens` and `impersonates`.
    /// The names of the tokens the plans' delegations make are defined for the steps that follow.
    static func parseAll(_ field: YAMLField, context: inout ScenarioContext) throws -> [String: AgentBehaviour] {
        guard field.exists else { return [:] }
        var result: [String: AgentBehaviour] = [:]
        for name in try field.keys() {
            try context.agent(name, field[name])
            let behaviour = try parse(field[name], agent: name, context: context)
            for action in behaviour.plan.actions {
                if case let .delegate(d) = action.kind { try context.define(d.name, field[name]) }
            }
            result[name] = behaviour
        }
        return result
    }

    static func parse(_ f: YAMLField, agent: String, context: ScenarioContext) throws -> AgentBehaviour {
        if case .sequence? = f.node {
            return AgentBehaviour(plan: AgentPlan(actions: try parseActions(f, context: context)), line: f.line)
        }
        try f.rejectUnknownKeys(["plan", "checks_cards", "verifies_tokens", "impersonates", "external"])
        let impersonates = try f["impersonates"].optionalString()
        if let other = impersonates {
            try context.agent(other, f["impersonates"])
            guard other != agent else { throw f["impersonates"].error("an agent cannot impersonate itself") }
        }
        var plan = AgentPlan(actions: f["plan"].exists ? try parseActions(f["plan"], context: context) : [])
        plan.checksCards = try f["checks_cards"].optionalBool() ?? true
        plan.verifiesTokens = try f["verifies_tokens"].optionalBool() ?? true
        let external = try f["external"].optionalBool() ?? false
        if external { try checkExternal(f, plan: plan, impersonates: impersonates) }
        return AgentBehaviour(plan: plan, impersonates: impersonates, external: external, line: f.line)
    }

    /// An external agent answers a task with actions Baton carries out as it, with the token it
    /// received: tool calls, delegations (through Baton's issuer or its own) and forwards. Its plan
    /// states what it is expected to ask for, and what it verifies is its own business.
    static func checkExternal(_ f: YAMLField, plan: AgentPlan, impersonates: String?) throws {
        if impersonates != nil { throw f["impersonates"].error("an external agent cannot impersonate another (it is who the implementation is)") }
        for key in ["checks_cards", "verifies_tokens"] where f[key].exists {
            throw f[key].error("\(key) does not apply to an external agent (the implementation decides)")
        }
        let items = f["plan"].exists ? try f["plan"].items() : []
        for (action, item) in zip(plan.actions, items) {
            switch action.kind {
            case let .call(use):
                if use.token != .received || use.claimedCaller != nil || use.bypassesGateway {
                    throw item.error("an external agent calls with the token it received, as itself (no token:, as_caller: or bypass_gateway:)")
                }
            case let .forward(forwarding):
                if forwarding.token != .received { throw item.error("an external agent forwards the token it received (no token:)") }
            case .delegate:
                break
            }
        }
    }

    static func parseActions(_ f: YAMLField, context: ScenarioContext) throws -> [AgentAction] {
        try f.items().map { try parseAction($0, context: context) }
    }

    static let keywords = ["delegate", "call", "forward"]

    static func parseAction(_ f: YAMLField, context: ScenarioContext) throws -> AgentAction {
        let keys = try f.keys()
        let kinds = keys.filter(keywords.contains)
        guard kinds.count == 1, let keyword = kinds.first else {
            throw f.error("each action has exactly one of: \(keywords.joined(separator: ", "))")
        }
        try f.rejectUnknownKeys([keyword, "expect", "reached"])
        let expect = f["expect"].exists ? try ScenarioLoader.parseExpectation(f["expect"]) : nil
        let reached = try f["reached"].optionalBool() ?? true
        let body = f[keyword]
        let kind: AgentAction.Kind
        switch keyword {
        case "delegate":
            try body.rejectUnknownKeys(["as", "to", "scopes", "budget_cents", "expires_in", "purpose", "task", "skill"])
            let d = Delegation(
                name: try body["as"].string(), to: try body["to"].string(), scopes: try body["scopes"].strings(),
                budgetCents: try body["budget_cents"].optionalInt().map(Int64.init), expiresIn: try body["expires_in"].optionalInt().map(Int64.init),
                purpose: try body["purpose"].string(), task: try body["task"].optionalString() ?? "", skill: try body["skill"].optionalString())
            try context.agent(d.to, body["to"])
            kind = .delegate(d)
        case "call":
            try body.rejectUnknownKeys(["tool", "arguments", "times", "accepted", "token", "as_caller", "bypass_gateway"])
            let times = try body["times"].optionalInt() ?? 1
            guard times >= 1, times <= 10_000 else { throw body["times"].error("times is between 1 and 10000") }
            let accepted = try body["accepted"].optionalInt()
            if let accepted, accepted < 0 || accepted > times { throw body["accepted"].error("accepted is between 0 and times (\(times))") }
            let caller = try body["as_caller"].optionalString()
            if let caller { try context.agent(caller, body["as_caller"]) }
            kind = .call(
                ToolUse(
                    tool: try body["tool"].string(), arguments: try stringMap(body["arguments"]), times: times, accepted: accepted,
                    token: try tokenChoice(body["token"]), claimedCaller: caller, bypassesGateway: try body["bypass_gateway"].optionalBool() ?? false)
            )
        default:
            try body.rejectUnknownKeys(["to", "token", "task", "skill"])
            let forward = Forwarding(
                to: try body["to"].string(), token: try tokenChoice(body["token"]), task: try body["task"].optionalString() ?? "",
                skill: try body["skill"].optionalString())
            try context.agent(forward.to, body["to"])
            kind = .forward(forward)
        }
        return AgentAction(kind: kind, expect: expect, reached: reached, line: f.line)
    }

    /// `token: received` (the default) or the name of a token the run holds.
    static func tokenChoice(_ f: YAMLField) throws -> TokenChoice {
        guard let name = try f.optionalString(), name != "received" else { return .received }
        return .named(name)
    }

    /// A mapping of strings (`arguments: {query: x}`).
    static func stringMap(_ f: YAMLField) throws -> [String: String] {
        guard f.exists else { return [:] }
        var map: [String: String] = [:]
        for key in try f.keys() { map[key] = try f[key].string() }
        return map
    }
}
