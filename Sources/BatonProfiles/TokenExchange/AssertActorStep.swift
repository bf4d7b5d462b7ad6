import BatonHarness
import BatonModel
import JOSE

/// `assert`: a sub-agent signs an actor assertion (RFC 7523 style) for a token request; every
/// field but `agent` bends a rule, for attack scenarios.
struct AssertActorStep: ScenarioStepKind, Hashable {
    static let keyword = "assert"

    var name: String
    var agent: String
    var lifetime: Int64
    /// Default: the token service's issuer.
    var audience: String?
    /// Default: unique per step.
    var jti: String?
    /// Whose key signs (agent name or `random`); default: the agent.
    var signer: String?
    var issuer: String?
    var subject: String?
    /// Seconds added to `iat` (negative: issued in the past).
    var issuedAtOffset: Int64
    /// Leave claims out (`jti`, `exp` …).
    var omit: [String]
    /// Sign with another algorithm than the scenario's: `none` (unsecured), `EdDSA`, `RS256` or `HS256`
    /// (keyed with the signer's public key); nil: the scenario's.
    var algorithm: String? = nil

    static let algorithms = ["none", "EdDSA", "RS256", "HS256"]

    static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> AssertActorStep {
        try f.rejectUnknownKeys(["as", "agent", "lifetime", "audience", "jti", "signer", "iss", "sub", "iat_offset", "omit", "alg"])
        let a = AssertActorStep(
            name: try f["as"].string(), agent: try f["agent"].string(), lifetime: Int64(try f["lifetime"].optionalInt() ?? 60),
            audience: try f["audience"].optionalString(), jti: try f["jti"].optionalString(), signer: try f["signer"].optionalString(),
            issuer: try f["iss"].optionalString(), subject: try f["sub"].optionalString(),
            issuedAtOffset: Int64(try f["iat_offset"].optionalInt() ?? 0), omit: f["omit"].exists ? try f["omit"].strings() : [],
            algorithm: try f["alg"].optionalString())
        if let alg = a.algorithm, !algorithms.contains(alg) { throw f["alg"].error("alg is one of \(algorithms)") }
        try context.agent(a.agent, f["agent"])
        if let s = a.signer, s != "random" { try context.agent(s, f["signer"]) }
        try context.define(a.name, f["as"])
        return a
    }

    func perform(_ run: inout StepRun) async throws -> Outcome? {
        guard let service = run.state.tokenExchange.service else { throw ForgeFailure("\(run.label): no token service") }
        let state = run.state
        let iat = run.now + issuedAtOffset
        var claims: JSONObject = [
            "iss": .string(state.identity(issuer ?? agent)), "sub": .string(state.identity(subject ?? agent)),
            "aud": .string(audience.map { $0 == "sts" ? service.issuer : state.identity($0) } ?? service.issuer),
            "iat": .int(iat), "exp": .int(iat + lifetime), "jti": .string(jti ?? "\(run.scenario.id)#\(run.index)"),
        ]
        for name in omit { claims[name] = nil }
        let signer = self.signer ?? agent
        do {
            let key = state.jwtKey(signer, salt: "\(run.scenario.id):\(run.index)")
            let signing: JWSSigningKey
            switch algorithm {
            case "none"?: signing = .unsecured
            case "EdDSA"?: signing = .ed25519(state.key(signer, salt: "\(run.scenario.id):\(run.index)"))
            case "RS256"?: signing = FixedRSAKeys.foreign(signer)
            case "HS256"?: signing = .hs256(secret: Array((key.verificationKey?.pem ?? "").utf8))
            default: signing = key
            }
            run.state.tokens[name] = try JWS.sign(header: ["typ": "JWT"], claims: claims, key: signing).compact
        } catch { throw ForgeFailure("\(run.label): cannot sign the assertion: \(error)") }
        run.state.tokenExchange.assertionAgents[name] = agent
        let maxLifetime = run.scenario.settings[TokenServiceSettings.self].maxAssertionLifetime
        if self.signer != nil || issuer != nil || subject != nil || audience != nil || issuedAtOffset != 0 || !omit.isEmpty || algorithm != nil
            || lifetime > maxLifetime
        {
            run.state.forgeries[name] = .init(attack: "actor assertion \(name) with altered claims or key", honestHops: nil)
        }
        run.log("\(run.label): \(agent) signs actor assertion \(name) \(claims.canonicalString) with \(signer)'s key")
        return nil
    }
}
