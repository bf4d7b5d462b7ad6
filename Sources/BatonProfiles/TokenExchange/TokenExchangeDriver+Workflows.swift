import BatonAgents
import BatonHarness
import BatonModel
import JOSE
import TokenExchange

extension TokenExchangeDriver {
    /// Token exchange carries workflows: an agent's delegation is a token request in which the peer
    /// (the actor) presents the delegating agent's token as the subject and its own actor assertion.
    public var carriesWorkflows: Bool { true }

    public func agentDelegation(_ order: DelegationOrder, run: StepRun) throws -> AgentDelegationCall {
        try Self.exchange(for: order, run: run)
    }

    /// The peer signs an actor assertion for the token service and asks for the narrowed token; a
    /// delegation's budget or expiry has no place in an exchanged token, so a plan that sets one is
    /// a scenario mistake. Shared by the profiles whose token service is RFC 8693's (ZeroID's too).
    static func exchange(for order: DelegationOrder, run: StepRun) throws -> AgentDelegationCall {
        let d = order.delegation
        guard d.budgetCents == nil, d.expiresIn == nil else {
            throw ForgeFailure("token exchange carries no budget or expiry per delegation: \(d.name) sets one")
        }
        guard let service = run.state.tokenExchange.service else { throw ForgeFailure("no token service for \(d.name)") }
        let state = run.state
        // The agent really listed under the name signs: a rogue in another's place signs with its own key.
        let actor = state.bus.agent(order.delegate)?.name ?? order.delegate
        let claims: JSONObject = [
            "iss": .string(state.identity(actor)), "sub": .string(state.identity(actor)), "aud": .string(service.issuer),
            "iat": .int(run.now), "exp": .int(run.now + 60), "jti": .string("\(run.scenario.id)#\(run.index):\(d.name)"),
        ]
        let assertion: String
        do {
            assertion = try JWS.sign(header: ["typ": "JWT"], claims: claims, key: state.jwtKey(actor, salt: "\(run.scenario.id):\(run.index)"))
                .compact
        } catch { throw ForgeFailure("cannot sign \(actor)'s actor assertion: \(error)") }
        var parameters: [[String]] = [
            ["grant_type", TokenExchangeRequest.grantType],
            ["subject_token", order.token], ["subject_token_type", TokenExchangeRequest.jwtTokenType],
            ["actor_token", assertion], ["actor_token_type", TokenExchangeRequest.jwtTokenType],
            ["audience", order.delegateIdentity],
        ]
        if !d.scopes.isEmpty { parameters.append(["scope", d.scopes.joined(separator: " ")]) }
        var call = ExchangeCall(session: run.session, client: actor, parameters: parameters, now: run.now)
        if run.scenario.profile != .tokenExchange { call.profile = run.scenario.profile }
        return .exchange(call)
    }
}
