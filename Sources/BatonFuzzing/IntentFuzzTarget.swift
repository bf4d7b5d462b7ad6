import AgenticJWT
import BatonCrypto
import JOSE

/// Fuzz target `intent`: bytes as an Agentic JWT call, `TOKEN` or `TOKEN\nDPOP-PROOF` (invalid
/// UTF-8 is replaced).
///
/// Reads the claims (`IntentClaims`), then verifies the call with the reference resource server
/// (`IntentTokenVerifier`, steps A0–A9) under a fixed P-256 provider key, workflow, agent
/// registration and time. The parsed token is then re-signed with the provider key and the proof
/// with the agent's key, so that mutated claims and proof members reach A2–A9.
///
/// Invariants (each a ``FuzzFailure`` code):
/// - `claims_round_trip`: claims that parse serialize to JSON that parses back to the same claims;
/// - `intent_accepts_bad_call`: an accepted call has a token signed ES256 by the provider key, for
///   the fixed issuer and audience, current and within the announced lifetime, whose intent names
///   the endpoint's action and is executed by its subject, granting the required scope; and a DPoP
///   proof signed by the key the token is bound to, for the request's method and URL, with the
///   token's `ath`.
public enum IntentFuzzTarget {
    static let issuer = "https://idp.baton.test"
    static let audience = "tools"
    static let url = "https://rs.baton.test/tools/research.search"
    static let action = "research.search"
    static let scope = "research:read"
    static let workflow = Workflow(
        id: "report",
        steps: [
            .init(id: "research", agent: "researcher", action: action, scopes: [scope]),
            .init(id: "write", agent: "writer", action: "docs.write", scopes: ["docs:write"], dependencies: ["research"]),
        ])

    /// The provider key (ES256, kid `idp-1`): the P-256 key of ``FuzzKeys/jwtP256``.
    static var providerKey: JWSSigningKey { FuzzKeys.jwtP256 }

    /// The researcher's DPoP key.
    static let agentKey = JWSSigningKey.p256(derivedFrom: Array("baton-fuzz:dpop".utf8))

    static let checksum = "sha3-512:v1:fuzz"

    static var verifier: IntentTokenVerifier {
        IntentTokenVerifier(
            issuer: issuer, keys: JWKSet(JWK(key: FuzzKeys.jwtP256Public, keyID: "idp-1")), audience: audience,
            agents: [
                AgentRegistration(
                    agentID: "researcher", checksum: checksum, popKey: agentKey.verificationKey ?? FuzzKeys.jwtP256Public,
                    registrationID: "reg_researcher")
            ],
            workflows: [workflow])
    }

    @discardableResult
    public static func run(_ data: [UInt8]) throws(FuzzFailure) -> FuzzReport {
        var report = FuzzReport()
        let text = String(decoding: data, as: UTF8.self)
        let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let token = parts[0]
        let proof = parts.count > 1 ? parts[1] : nil
        try check(token: token, proof: proof, &report)
        guard let jws = try? JWS.parse(token) else { return report }
        report.reach("parsed")
        if let claims = try? IntentClaims(json: jws.claims) {
            report.reach("claims")
            let again = try? IntentClaims(json: claims.json)
            guard again == claims else { throw failure("claims_round_trip", "claims do not read back from their own JSON") }
        }
        // Re-sign the token with the provider key and the proof with the agent's key.
        guard let resigned = try? JWS.sign(header: jws.header, claims: jws.claims, key: providerKey).compact else { return report }
        var reproof = proof
        if let p = proof.flatMap({ try? JWS.parse($0) }) {
            let ath = DPoPProof.accessTokenHash(of: resigned)
            var claims = p.claims
            if claims["ath"] == .string(DPoPProof.accessTokenHash(of: token)) { claims["ath"] = .string(ath) }
            reproof = try? JWS.sign(header: p.header, claims: claims, key: agentKey).compact
        }
        report.reach("resigned")
        try check(token: resigned, proof: reproof, &report)
        return report
    }

    static func check(token: String, proof: String?, _ report: inout FuzzReport) throws(FuzzFailure) {
        var view = ResourceServerView()
        let call = ResourceCall(token: token, method: "POST", url: url, dpop: proof, action: action, requiredScope: scope)
        let result = verifier.verify(call, view: &view, now: FuzzKeys.now)
        for line in result.details where line.hasSuffix("passed") || line.contains(" passed:") {
            report.reach(String(line.prefix(2)))
        }
        guard case let .success(verified) = result.result else { return }
        report.reach("accepted")
        try checkAccepted(token: token, proof: proof, claims: verified.claims)
    }

    static func checkAccepted(token: String, proof: String?, claims c: IntentClaims) throws(FuzzFailure) {
        guard let jws = try? JWS.parse(token), jws.algorithmName == "ES256",
            FuzzKeys.jwtP256Public.isValidSignature(jws.signature, for: jws.signingInput, algorithm: .es256)
        else { throw failure("intent_accepts_bad_call", "accepted a token the provider key did not sign ES256") }
        guard c.issuer == issuer, c.audience.contains(audience), c.expiresAt > FuzzKeys.now, c.expiresAt - c.issuedAt <= 300 else {
            throw failure("intent_accepts_bad_call", "accepted a token for another issuer or audience, expired or too long-lived")
        }
        guard let intent = c.intent, intent.step.toolName == action, intent.executedBy == c.subject, c.scopes.contains(scope) else {
            throw failure("intent_accepts_bad_call", "accepted a token whose intent or scope does not cover the call")
        }
        guard let binding = c.confirmation, let p = proof.flatMap({ try? JWS.parse($0) }), case let .object(jwk)? = p.header["jwk"],
            let key = try? JWK(json: jwk), key.thumbprintBase64URL == binding.thumbprint,
            let alg = p.algorithmName.flatMap({ try? JWSAlgorithm(name: $0) }),
            key.key.isValidSignature(p.signature, for: p.signingInput, algorithm: alg),
            (try? p.claims.string("htm")) == "POST", (try? p.claims.string("htu")).flatMap(DPoPProof.normalizedURL) == DPoPProof.normalizedURL(url),
            (try? p.claims.string("ath")) == DPoPProof.accessTokenHash(of: token)
        else { throw failure("intent_accepts_bad_call", "accepted a call whose DPoP proof does not bind the key, request and token") }
    }

    static func failure(_ code: String, _ message: String) -> FuzzFailure { FuzzFailure(target: .intent, code: code, message: message) }

    /// Seeds: an honest call, the token alone, a stale proof, a proof for another URL, a token without intent.
    static func seeds() throws -> [FuzzSeeds.Seed] {
        var provider = try IntentIdentityProvider(configuration: .init(issuer: issuer, keyID: "idp-1"), signingKey: providerKey)
        guard let agentPublic = agentKey.verificationKey else { return [] }
        try provider.register(AgentRegistration(agentID: "researcher", checksum: checksum, popKey: agentPublic, registrationID: "reg_researcher"))
        try provider.register(workflow)
        let request = IntentTokenRequest(
            agentID: "researcher", computedChecksum: checksum, workflowID: "report",
            step: .init(stepID: "research", agentID: "researcher", toolName: action), requestedScopes: [scope], completedSteps: [], chain: [],
            audience: audience)
        let token = try provider.mint(request, now: FuzzKeys.now).get().token
        let proof = try DPoPProof(method: "POST", url: url, issuedAt: FuzzKeys.now, id: "fuzz-proof-1", accessToken: token).signed(with: agentKey)
        let stale = try DPoPProof(method: "POST", url: url, issuedAt: FuzzKeys.now - 3600, id: "fuzz-proof-2", accessToken: token).signed(
            with: agentKey)
        let elsewhere = try DPoPProof(
            method: "GET", url: "https://rs.baton.test/tools/docs.write?x=1", issuedAt: FuzzKeys.now, id: "fuzz-proof-3", accessToken: token
        )
        .signed(with: agentKey)
        var bare = try JWS.parse(token).claims
        bare["intent"] = nil
        let noIntent = try JWS.sign(header: ["kid": "idp-1", "typ": "JWT"], claims: bare, key: providerKey).compact
        let noIntentProof = try DPoPProof(method: "POST", url: url, issuedAt: FuzzKeys.now, id: "fuzz-proof-4", accessToken: noIntent).signed(
            with: agentKey)
        func call(_ name: String, _ token: String, _ proof: String?) -> FuzzSeeds.Seed {
            FuzzSeeds.Seed(name: name, bytes: Array((proof.map { "\(token)\n\($0)" } ?? token).utf8))
        }
        return [
            call("honest-call.txt", token, proof), call("token-only.txt", token, nil), call("stale-proof.txt", token, stale),
            call("proof-for-another-request.txt", token, elsewhere), call("no-intent.txt", noIntent, noIntentProof),
        ]
    }
}
