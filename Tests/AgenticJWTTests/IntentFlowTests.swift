import BatonCrypto
import JOSE
import Testing

@testable import AgenticJWT

/// The reference identity provider and resource server, end to end and step by step.
@Suite("Agentic JWT identity provider and resource server")
struct IntentFlowTests {
    static let now: Int64 = 1_780_272_000
    let idpKey = try! JWSSigningKey.p256(scalar: Array(repeating: 7, count: 32))
    let researcherKey = try! JWSSigningKey.p256(scalar: Array(repeating: 9, count: 32))
    let malloryKey = try! JWSSigningKey.p256(scalar: Array(repeating: 11, count: 32))
    let workflow = Workflow(
        id: "report",
        steps: [
            .init(id: "research", agent: "researcher", action: "research.search", scopes: ["research:read"]),
            .init(id: "write", agent: "writer", action: "docs.write", scopes: ["docs:write"], dependencies: ["research"]),
        ])

    func provider() throws -> IntentIdentityProvider {
        var p = try IntentIdentityProvider(configuration: .init(issuer: "https://idp.example", keyID: "k1"), signingKey: idpKey)
        try p.register(AgentRegistration(agentID: "researcher", checksum: "c-r", popKey: researcherKey.verificationKey!, registrationID: "reg-r"))
        try p.register(workflow)
        return p
    }

    func request(checksum: String = "c-r", scopes: [String] = ["research:read"], tool: String = "research.search") -> IntentTokenRequest {
        IntentTokenRequest(
            agentID: "researcher", computedChecksum: checksum, workflowID: "report",
            step: .init(stepID: "research", agentID: "researcher", toolName: tool), requestedScopes: scopes, completedSteps: [], chain: [],
            audience: "tools")
    }

    func verifier(_ p: IntentIdentityProvider, flaws: Set<IntentVerifierFlaw> = []) -> IntentTokenVerifier {
        IntentTokenVerifier(
            issuer: "https://idp.example", keys: p.jwks, audience: "tools", agents: Array(p.agents.values), workflows: [workflow], flaws: flaws)
    }

    func call(_ token: String, key: JWSSigningKey, id: String = "p1", url: String = "https://rs.example/tools/research.search") throws -> ResourceCall
    {
        let proof = try DPoPProof(method: "POST", url: url, issuedAt: Self.now, id: id, accessToken: token).signed(with: key)
        return ResourceCall(token: token, method: "POST", url: url, dpop: proof, action: "research.search", requiredScope: "research:read")
    }

    @Test func mintsAndVerifiesThenRefusesAReplayedProof() throws {
        var p = try provider()
        let token = try p.mint(request(), now: Self.now).get().token
        var view = ResourceServerView()
        let c = try call(token, key: researcherKey)
        let first = verifier(p).verify(c, view: &view, now: Self.now)
        #expect((try? first.result.get()) != nil)
        #expect(first.details.count == 10)
        #expect(view.completedSteps["report"] == ["research"])
        let again = verifier(p).verify(c, view: &view, now: Self.now)
        guard case let .failure(e) = again.result else {
            Issue.record("a replayed proof was accepted")
            return
        }
        #expect(e.code == .popReplayed && e.step == .a5)
        // The same token with a fresh proof serves another call of the step.
        #expect((try? verifier(p).verify(try call(token, key: researcherKey, id: "p2"), view: &view, now: Self.now).result.get()) != nil)
    }

    @Test func providerRefusesStepByStep() throws {
        var p = try provider()
        #expect(p.mint(request(checksum: "changed"), now: Self.now).failure?.code == .checksumMismatch)
        #expect(p.mint(request(scopes: ["research:read", "email:send"]), now: Self.now).failure?.step == .m5)
        #expect(p.mint(request(tool: "email.send"), now: Self.now).failure?.code == .stepToolMismatch)
        var bad = request()
        bad.grantType = "client_credentials"
        #expect(p.mint(bad, now: Self.now).failure?.code == .unsupportedGrantType)
        #expect(throws: AgenticJWTError.self) {
            try p.register(AgentRegistration(agentID: "mallory", checksum: "c-r", popKey: malloryKey.verificationKey!, registrationID: "reg-m"))
        }
    }

    @Test func aStolenTokenNeedsItsKey() throws {
        var p = try provider()
        let token = try p.mint(request(), now: Self.now).get().token
        var view = ResourceServerView()
        let stolen = verifier(p).verify(try call(token, key: malloryKey), view: &view, now: Self.now)
        #expect(stolen.result.failure?.code == .popKeyMismatch)
        // The flaw that skips the binding lets it through: the check is really what refuses.
        #expect(
            (try? verifier(p, flaws: [.skipProofKeyBinding]).verify(try call(token, key: malloryKey), view: &view, now: Self.now).result.get()) != nil
        )
    }

    /// Registrations are never replaced: a new key for a registered agent, or new steps for a
    /// registered workflow, would hand them to whoever registered last.
    @Test func registrationsAreNotReplaced() throws {
        var p = try provider()
        #expect(throws: AgenticJWTError.self) {
            try p.register(AgentRegistration(agentID: "researcher", checksum: "c-x", popKey: malloryKey.verificationKey!, registrationID: "reg-x"))
        }
        #expect(throws: AgenticJWTError.self) { try p.register(Workflow(id: "report", steps: [])) }
        #expect(p.agents["researcher"]?.checksum == "c-r" && p.workflows["report"]?.steps.count == 2)
    }

    /// Extreme times from a token or a proof are refused, never trapped on.
    @Test func extremeTimesAreRefusedNotTrappedOn() throws {
        var p = try provider()
        let claims = try p.mint(request(), now: Self.now).get().claims
        var json = claims.json
        json["iat"] = .int(Int64.min)
        json["exp"] = .int(Int64.max)
        let forged = try JWS.sign(header: ["kid": "k1"], claims: json, key: idpKey).compact
        var view = ResourceServerView()
        #expect(verifier(p).verify(try call(forged, key: researcherKey), view: &view, now: Self.now).result.failure?.code == .lifetimeExcessive)
        var legacy = try call(forged, key: researcherKey)
        legacy.dpop = nil
        legacy.legacy = .init(signature: "AAAA", timestamp: String(Int64.min))
        _ = verifier(p).verify(legacy, view: &view, now: Self.now)
        let late = verifier(p).verify(try call(forged, key: researcherKey, id: "p9"), view: &view, now: Int64.max)
        #expect(late.result.failure != nil)
    }

    @Test func requestsReadBackFromFormParameters() throws {
        let r = request()
        #expect(try IntentTokenRequest(parameters: r.parameters) == r)
        #expect(throws: AgenticJWTError.self) { try IntentTokenRequest(parameters: r.parameters.filter { $0.0 != "delegation_context" }) }
    }

    @Test func claimsRoundTripAndRefuseWrongTypes() throws {
        var p = try provider()
        let claims = try p.mint(request(), now: Self.now).get().claims
        #expect(try IntentClaims(json: claims.json) == claims)
        var broken = claims.json
        broken["intent"] = .string("research")
        #expect(throws: AgenticJWTError.self) { try IntentClaims(json: broken) }
    }

    /// The legacy proof signs exactly what CPython's `json.dumps(..., sort_keys=True)` prints.
    @Test func legacyProofMessageIsPythonsJSON() throws {
        let p = LegacyProof(method: "POST", url: "https://rs.example/tools/x?q=é", checksum: "sha3-512:v1:ab", timestamp: 1_764_442_000)
        #expect(
            String(decoding: p.message, as: UTF8.self)
                == #"{"checksum": "sha3-512:v1:ab", "data": "", "method": "POST", "timestamp": 1764442000, "url": "https://rs.example/tools/x?q=\u00e9"}"#
        )
        let none = LegacyProof(method: "GET", url: "u", checksum: nil, timestamp: 1)
        #expect(String(decoding: none.message, as: UTF8.self) == #"{"checksum": null, "data": "", "method": "GET", "timestamp": 1, "url": "u"}"#)
        // Only RSA keys sign it.
        #expect(throws: AgenticJWTError.self) { try p.signature(with: researcherKey) }
    }

    @Test(
        arguments: [
            ("https://RS.example:443/tools/a?x=1#f", "https://rs.example/tools/a"),
            ("http://rs.example:80", "http://rs.example/"),
            ("http://rs.example:8080/a", "http://rs.example:8080/a"),
            ("ftp://rs.example/a", nil),
            ("https://user@rs.example/a", nil),
        ] as [(String, String?)])
    func dpopURLNormalization(input: String, expected: String?) {
        #expect(DPoPProof.normalizedURL(input) == expected)
    }
}

extension Result {
    var failure: Failure? { if case let .failure(e) = self { return e }; return nil }
}
