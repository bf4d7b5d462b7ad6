import BatonHarness
import BatonModel

/// `login`: a person authorizes an agent; the token service issues the agent its root token.
struct LoginStep: ScenarioStepKind, Hashable {
    static let keyword = "login"
    static let isCheckpoint = true

    var name: String
    var agent: String
    var principal: String
    var scopes: [String]
    /// Agent name or raw audience; default: the agent itself.
    var audience: String?
    var ttlSeconds: Int64

    static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> LoginStep {
        try f.rejectUnknownKeys(["as", "agent", "principal", "scopes", "audience", "ttl"])
        let l = LoginStep(
            name: try f["as"].string(), agent: try f["agent"].string(), principal: try f["principal"].optionalString() ?? "alice",
            scopes: try f["scopes"].strings(), audience: try f["audience"].optionalString(),
            ttlSeconds: Int64(try f["ttl"].optionalInt() ?? 900))
        try context.agent(l.agent, f["agent"])
        if expect?.verdict != .reject { try context.define(l.name, f["as"]) }
        return l
    }

    func perform(_ run: inout StepRun) async throws -> Outcome? {
        let sts = try run.tokenService()
        var request = LoginRequest(
            session: run.session, agent: agent, principal: principal, scopes: scopes,
            audience: audience.map(run.state.identity), ttlSeconds: ttlSeconds, now: run.now)
        if run.scenario.profile != .tokenExchange { request.profile = run.scenario.profile }
        run.log(
            "\(run.label): \(principal) authorizes \(agent): the token service issues \(name) scopes \(scopes) ttl \(ttlSeconds)s [\(sts.descriptor.name)]"
        )
        return try run.issued(await sts.login(request), name: name, role: .sts)
    }
}
