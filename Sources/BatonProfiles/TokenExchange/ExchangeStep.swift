import BatonHarness
import BatonModel
import TokenExchange

/// `exchange`: a token request to the token service (RFC 8693), with a subject token, an actor
/// assertion, scopes and an audience; refusals carry the OAuth `error` as their code.
struct ExchangeStep: ScenarioStepKind, Hashable {
    static let keyword = "exchange"
    static let isCheckpoint = true

    var name: String
    /// The subject token's name; nil: none sent.
    var subject: String?
    /// The actor assertion's name; nil: none sent.
    var actor: String?
    /// The agent making the request (default: the actor assertion's agent).
    var client: String?
    var scopes: [String]?
    /// Agent name or raw audience.
    var audience: String?
    var grantType: String?
    var subjectTokenType: String?
    var actorTokenType: String?

    static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> ExchangeStep {
        try f.rejectUnknownKeys(["as", "subject", "actor", "client", "scopes", "audience", "grant_type", "subject_token_type", "actor_token_type"])
        let x = ExchangeStep(
            name: try f["as"].string(), subject: try f["subject"].optionalString(), actor: try f["actor"].optionalString(),
            client: try f["client"].optionalString(), scopes: f["scopes"].exists ? try f["scopes"].strings() : nil,
            audience: try f["audience"].optionalString(), grantType: try f["grant_type"].optionalString(),
            subjectTokenType: try f["subject_token_type"].optionalString(), actorTokenType: try f["actor_token_type"].optionalString())
        if let t = x.subject { try context.token(t, f["subject"]) }
        if let t = x.actor { try context.token(t, f["actor"]) }
        if let c = x.client { try context.agent(c, f["client"]) }
        guard x.client != nil || x.actor != nil else { throw f.error("name the client making the request (client) or an actor assertion (actor)") }
        if expect?.verdict != .reject { try context.define(x.name, f["as"]) }
        return x
    }

    func perform(_ run: inout StepRun) async throws -> Outcome? {
        let sts = try run.tokenService()
        let state = run.state
        var parameters: [[String]] = [["grant_type", grantType ?? TokenExchangeRequest.grantType]]
        if let s = subject {
            parameters.append(["subject_token", state.tokens[s] ?? ""])
            parameters.append(["subject_token_type", subjectTokenType ?? TokenExchangeRequest.jwtTokenType])
        }
        if let a = actor {
            parameters.append(["actor_token", state.tokens[a] ?? ""])
            parameters.append(["actor_token_type", actorTokenType ?? TokenExchangeRequest.jwtTokenType])
        }
        if let scopes { parameters.append(["scope", scopes.joined(separator: " ")]) }
        let client = self.client ?? actor.flatMap { state.tokenExchange.assertionAgents[$0] } ?? ""
        parameters.append(["audience", state.identity(audience ?? client)])
        var call = ExchangeCall(session: run.session, client: client, parameters: parameters, now: run.now)
        if run.scenario.profile != .tokenExchange { call.profile = run.scenario.profile }
        run.log(
            "\(run.label): \(client) asks the token service to exchange \(subject ?? "no subject token") with actor \(actor ?? "none") for \(name), scope \(scopes.map { "\($0)" } ?? "unspecified") [\(sts.descriptor.name)]"
        )
        if let forgery = [subject, actor].compactMap({ $0.flatMap { state.forgeries[$0] } }).first {
            run.state.forgeries[name] = .init(attack: "issued by the token service from a forged input (\(forgery.attack))", honestHops: nil)
        }
        return try run.issued(await sts.exchange(call), name: name, role: .sts)
    }
}
