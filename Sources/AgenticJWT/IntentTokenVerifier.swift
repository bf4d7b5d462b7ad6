import BatonCrypto
import JOSE

/// Baton's reference resource-server verifier of Agentic JWT intent tokens: steps A0–A9 in
/// order (docs/AGENTIC-JWT.md), failing closed with one stable code each. Pure but for the
/// server's view, which the caller keeps and passes in; the clock is an argument.
public struct IntentTokenVerifier: Sendable {
    /// How far ahead of the server's clock a proof's `iat` (or legacy timestamp) may be.
    public static let futureSkew: Int64 = 5

    public var issuer: String
    /// The identity provider's published keys.
    public var keys: JWKSet
    public var allowedAlgorithms: Set<JWSAlgorithm>
    /// This resource server's id (`aud`).
    public var audience: String
    /// The longest `exp − iat` the identity provider announces.
    public var maxLifetime: Int64
    /// Clock skew allowed on `exp`, `nbf` and `iat`.
    public var leeway: Int64
    /// How old (or how far ahead) a proof's `iat` may be.
    public var proofWindow: Int64
    public var hashForm: ChainHash.Form
    public var agents: [String: AgentRegistration]
    public var workflows: [String: Workflow]
    public var flaws: Set<IntentVerifierFlaw>

    public init(
        issuer: String, keys: JWKSet, allowedAlgorithms: Set<JWSAlgorithm> = [.rs256, .es256], audience: String, maxLifetime: Int64 = 300,
        leeway: Int64 = 0, proofWindow: Int64 = 60, hashForm: ChainHash.Form = .portable, agents: [AgentRegistration] = [],
        workflows: [Workflow] = [], flaws: Set<IntentVerifierFlaw> = []
    ) {
        self.issuer = issuer
        self.keys = keys
        self.allowedAlgorithms = allowedAlgorithms
        self.audience = audience
        self.maxLifetime = maxLifetime
        self.leeway = leeway
        self.proofWindow = proofWindow
        self.hashForm = hashForm
        self.agents = Dictionary(agents.map { ($0.agentID, $0) }, uniquingKeysWith: { a, _ in a })
        self.workflows = Dictionary(workflows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.flaws = flaws
    }

    /// Verifies one call; on success records it in `view` (its proof id; its step completed, the
    /// first time). A step's token may serve several calls within its lifetime, each with a fresh proof.
    public func verify(_ call: ResourceCall, view: inout ResourceServerView, now: Int64) -> IntentVerificationReport {
        var details: [String] = []
        view.seenProofs = view.seenProofs.filter { $0.value >= now }
        do {
            let verified = try run(call, view: view, now: now, details: &details)
            if let intent = verified.claims.intent, !(view.completedSteps[intent.workflowID] ?? []).contains(intent.step.stepID) {
                view.completedSteps[intent.workflowID, default: []].append(intent.step.stepID)
                view.chain[intent.workflowID, default: []].append(verified.claims.subject)
            }
            // Each proof is remembered for as long as it could still be fresh.
            let latest = now.addingClamped(leeway + Self.futureSkew)
            if let proof = call.dpop.flatMap({ try? JWS.parse($0) }), let id = try? proof.claims.string("jti") {
                view.seenProofs[id] = latest.addingClamped(proofWindow + leeway)
            } else if let legacy = call.legacy {
                view.seenProofs["legacy:" + legacy.signature] = latest.addingClamped(proofWindow + leeway)
            }
            return IntentVerificationReport(result: .success(verified), details: details)
        } catch {
            details.append("\(error.step.rawValue) failed: \(error.code.rawValue): \(error.reason)")
            return IntentVerificationReport(result: .failure(error), details: details)
        }
    }

    func run(_ call: ResourceCall, view: ResourceServerView, now: Int64, details: inout [String]) throws(AgenticJWTError) -> VerifiedIntent {
        guard let token = call.token, !token.isEmpty else { throw AgenticJWTError(.tokenMissing, at: .a0, "no access token") }
        let jws: JWS
        do { jws = try JWS.parse(token) } catch { throw AgenticJWTError(.tokenMalformed, at: .a0, "not a compact JWS: \(error)") }
        let claims = try IntentClaims(json: jws.claims)
        details.append("A0 passed: compact JWS, header \(jws.header.canonicalString)")

        try checkSignature(jws)
        details.append(
            "A1 passed: \(flaws.contains(.skipSignature) ? "signature not checked (flaw)" : "\(jws.algorithmName ?? "?") under kid \(jws.keyID ?? "none")")"
        )

        if !flaws.contains(.skipIssuer) {
            guard claims.issuer == issuer else { throw AgenticJWTError(.issuerInvalid, at: .a2, "iss \(claims.issuer) is not \(issuer)") }
        }
        details.append("A2 passed: iss \(claims.issuer)")

        try checkTime(claims, now: now)
        details.append("A3 passed: issued \(claims.issuedAt), expires \(claims.expiresAt) (now \(now))")

        if !flaws.contains(.skipAudience) {
            guard claims.audience.contains(audience) else {
                throw AgenticJWTError(.audienceMismatch, at: .a4, "aud \(claims.audience) does not name \(audience)")
            }
        }
        details.append("A4 passed: aud names \(audience)")

        let proofKey = try checkProof(call, token: token, claims: claims, view: view, now: now)
        let scheme = call.dpop == nil ? "legacy PoP signature" : "DPoP proof"
        details.append("A5 passed: \(proofKey.map { "\(scheme) by the bound key \($0)" } ?? "proof of possession not checked (flaw)")")

        try checkIntent(claims, action: call.action)
        details.append(
            "A6 passed: \(claims.intent.map { "intent \($0.workflowID)/\($0.step.stepID) calls \($0.step.toolName)" } ?? "no intent (flaw)")")

        if !flaws.contains(.skipScope), let needed = call.requiredScope {
            guard claims.scopes.contains(needed) else {
                throw AgenticJWTError(.scopeInsufficient, at: .a7, "scope \(claims.scopes) lacks \(needed)")
            }
        }
        details.append("A7 passed: scope \(claims.scopes.joined(separator: " "))")

        try checkWorkflow(claims, view: view)
        details.append("A8 passed: workflow progress and hashes match this server's view")

        if !flaws.contains(.skipAgentProof) {
            guard let proof = claims.agentProof else { throw AgenticJWTError(.agentProofInvalid, at: .a9, "no agent_proof") }
            guard let agent = agents[claims.subject] else {
                throw AgenticJWTError(.agentProofInvalid, at: .a9, "\(claims.subject) is not a registered agent")
            }
            guard proof.checksum == agent.checksum, proof.registrationID == agent.registrationID else {
                throw AgenticJWTError(.agentProofInvalid, at: .a9, "agent_proof is not \(claims.subject)'s registration")
            }
            // The key the token is bound to must be the one the agent registered: a token for this
            // agent bound to someone else's key was minted by a wrong or compromised provider.
            guard let binding = claims.confirmation, binding.thumbprint == JWK(key: agent.popKey).thumbprintBase64URL else {
                throw AgenticJWTError(.agentProofInvalid, at: .a9, "cnf is not the key \(claims.subject) registered")
            }
        }
        details.append("A9 passed: agent_proof and cnf match \(claims.subject)'s registration")
        return VerifiedIntent(claims: claims, proofKey: proofKey)
    }

    // MARK: A1

    func checkSignature(_ jws: JWS) throws(AgenticJWTError) {
        guard let alg = jws.algorithmName else { throw AgenticJWTError(.tokenMalformed, at: .a1, "no alg") }
        if JWSAlgorithm.isNoneVariant(alg) {
            if flaws.contains(.acceptAlgNone) { return }
            throw AgenticJWTError(.algorithmRefused, at: .a1, "alg \(alg)")
        }
        if flaws.contains(.trustEmbeddedKey), case let .object(o)? = jws.header["jwk"], let embedded = try? JWK(json: o),
            let a = try? JWSAlgorithm(name: alg), embedded.key.isValidSignature(jws.signature, for: jws.signingInput, algorithm: a)
        {
            return
        }
        if flaws.contains(.skipSignature) { return }
        if flaws.contains(.ignoreKeyID), let a = try? JWSAlgorithm(name: alg), a.isAsymmetric {
            if keys.keys.contains(where: { $0.key.isValidSignature(jws.signature, for: jws.signingInput, algorithm: a) }) { return }
        }
        for name in ["jwk", "jku", "x5u", "x5c"] where jws.header[name] != nil {
            throw AgenticJWTError(.algorithmRefused, at: .a1, "the header carries \(name): keys come from the published set only")
        }
        guard jws.keyID != nil else { throw AgenticJWTError(.keyUnknown, at: .a1, "the header names no kid") }
        do {
            try JWSVerifier(keys: keys, allowedAlgorithms: allowedAlgorithms).verify(jws)
        } catch let e as JOSEError {
            switch e {
            case .algorithmNone, .algorithmConfusion, .algorithmNotAllowed, .unsupportedAlgorithm, .keyTypeMismatch, .keyAlgorithmMismatch,
                .untrustedHeaderKey, .keyUseMismatch:
                throw AgenticJWTError(.algorithmRefused, at: .a1, "\(e)")
            case .unknownKeyID, .missingKeyID, .noVerificationKey:
                throw AgenticJWTError(.keyUnknown, at: .a1, "\(e)")
            case .invalidSignature:
                throw AgenticJWTError(.signatureInvalid, at: .a1, "the signature does not verify under kid \(jws.keyID ?? "none")")
            default:
                throw AgenticJWTError(.tokenMalformed, at: .a1, "\(e)")
            }
        } catch {
            throw AgenticJWTError(.tokenMalformed, at: .a1, "\(error)")
        }
    }

    // MARK: A3

    func checkTime(_ c: IntentClaims, now: Int64) throws(AgenticJWTError) {
        if !flaws.contains(.skipExpiry) {
            guard now < c.expiresAt.addingClamped(leeway) else {
                throw AgenticJWTError(.tokenExpired, at: .a3, "expired at \(c.expiresAt), now \(now)")
            }
        }
        guard c.issuedAt <= now.addingClamped(leeway) else {
            throw AgenticJWTError(.tokenNotYetValid, at: .a3, "issued in the future (\(c.issuedAt))")
        }
        if let nbf = c.notBefore, nbf > now.addingClamped(leeway) { throw AgenticJWTError(.tokenNotYetValid, at: .a3, "not before \(nbf)") }
        if !flaws.contains(.skipLifetimeLimit) {
            let (lifetime, overflow) = c.expiresAt.subtractingReportingOverflow(c.issuedAt)
            guard !overflow, lifetime <= maxLifetime else {
                throw AgenticJWTError(
                    .lifetimeExcessive, at: .a3, "lives from \(c.issuedAt) to \(c.expiresAt); intent tokens are announced for \(maxLifetime) s")
            }
        }
    }

    // MARK: A5

    /// Returns the thumbprint of the key that proved possession.
    func checkProof(_ call: ResourceCall, token: String, claims: IntentClaims, view: ResourceServerView, now: Int64) throws(AgenticJWTError)
        -> String?
    {
        if flaws.contains(.skipProofOfPossession) { return nil }
        guard let binding = claims.confirmation else {
            throw AgenticJWTError(.notSenderConstrained, at: .a5, "the token has no cnf: a bearer token is not accepted")
        }
        guard !call.repeatedProofHeaders else { throw AgenticJWTError(.popInvalid, at: .a5, "more than one proof header (RFC 9449 §4.3 item 1)") }
        if call.dpop == nil, case let .jwk(key) = binding, let legacy = call.legacy {
            return try checkLegacyProof(legacy, key: key, call: call, claims: claims, view: view, now: now)
        }
        guard let proofText = call.dpop, !proofText.isEmpty else { throw AgenticJWTError(.popMissing, at: .a5, "no DPoP proof") }
        func invalid(_ why: String) -> AgenticJWTError { AgenticJWTError(.popInvalid, at: .a5, why) }
        guard let proof = try? JWS.parse(proofText) else { throw invalid("the DPoP proof is not a compact JWS") }
        guard proof.header["typ"]?.stringValue == "dpop+jwt" else { throw invalid("typ is not dpop+jwt") }
        guard proof.header["crit"] == nil else { throw invalid("the proof has a crit header this server does not understand") }
        guard let algName = proof.algorithmName, let alg = try? JWSAlgorithm(name: algName), alg.isAsymmetric else {
            throw invalid("alg \(proof.algorithmName ?? "absent") is not an asymmetric signature algorithm")
        }
        guard case let .object(jwkObject)? = proof.header["jwk"], let jwk = try? JWK(json: jwkObject) else {
            throw invalid("the header has no public jwk")
        }
        guard jwk.key.algorithm == alg, jwk.key.isValidSignature(proof.signature, for: proof.signingInput, algorithm: alg) else {
            throw invalid("the proof's signature does not verify under its jwk")
        }
        let thumbprint = jwk.thumbprintBase64URL
        if !flaws.contains(.skipProofKeyBinding) {
            guard thumbprint == binding.thumbprint else {
                throw AgenticJWTError(.popKeyMismatch, at: .a5, "the proof's key \(thumbprint) is not the key the token is bound to")
            }
        }
        let c = proof.claims
        guard let htm = try? c.string("htm"), let htu = try? c.string("htu"), let iat = try? c.int("iat"), let jti = try? c.string("jti"),
            !jti.isEmpty
        else { throw invalid("the proof needs htm, htu, iat and jti") }
        if !flaws.contains(.skipProofRequestBinding) {
            guard htm == call.method else { throw AgenticJWTError(.popMethodMismatch, at: .a5, "htm \(htm), request \(call.method)") }
            guard let proofURL = DPoPProof.normalizedURL(htu), proofURL == DPoPProof.normalizedURL(call.url) else {
                throw AgenticJWTError(.popURLMismatch, at: .a5, "htu \(htu), request \(call.url)")
            }
        }
        if !flaws.contains(.skipProofFreshness) {
            guard iat >= now.addingClamped(-(proofWindow + leeway)), iat <= now.addingClamped(leeway + Self.futureSkew) else {
                throw AgenticJWTError(.popStale, at: .a5, "iat \(iat) is outside \(proofWindow) s of now (\(now))")
            }
        }
        if !flaws.contains(.skipAccessTokenHash) {
            guard (try? c.string("ath")) == DPoPProof.accessTokenHash(of: token) else {
                throw AgenticJWTError(.popAccessTokenMismatch, at: .a5, "ath is not the hash of the presented token")
            }
        }
        if !flaws.contains(.skipReplayCache) {
            guard view.seenProofs[jti] == nil else { throw AgenticJWTError(.popReplayed, at: .a5, "proof \(jti) was already used") }
        }
        return thumbprint
    }

    /// The legacy signed headers: an integer timestamp within the proof window, the key in `cnf.jwk`
    /// signing method, URL, checksum and timestamp, and a signature not seen before.
    func checkLegacyProof(
        _ headers: ResourceCall.LegacyHeaders, key: JWSVerificationKey, call: ResourceCall, claims: IntentClaims, view: ResourceServerView, now: Int64
    ) throws(AgenticJWTError) -> String {
        guard let timestamp = Int64(headers.timestamp) else {
            throw AgenticJWTError(.popInvalid, at: .a5, "X-PoP-Timestamp is not an integer: \(headers.timestamp.prefix(40))")
        }
        if !flaws.contains(.skipProofFreshness) {
            guard timestamp >= now.addingClamped(-(proofWindow + leeway)), timestamp <= now.addingClamped(leeway + Self.futureSkew) else {
                throw AgenticJWTError(.popStale, at: .a5, "X-PoP-Timestamp \(timestamp) is outside \(proofWindow) s of now (\(now))")
            }
        }
        let proof = LegacyProof(method: call.method, url: call.url, checksum: claims.agentProof?.checksum, timestamp: timestamp)
        // One signature binds the key and the request: the key-binding flaw removes it.
        if !flaws.contains(.skipProofKeyBinding) {
            guard proof.isSigned(headers.signature, by: key) else {
                throw AgenticJWTError(.popInvalid, at: .a5, "the PoP signature is not the bound key's over this method, URL and time")
            }
        }
        if !flaws.contains(.skipReplayCache) {
            guard view.seenProofs["legacy:" + headers.signature] == nil else {
                throw AgenticJWTError(.popReplayed, at: .a5, "this PoP signature was already used")
            }
        }
        return JWK(key: key).thumbprintBase64URL
    }

    // MARK: A6

    func checkIntent(_ c: IntentClaims, action: String) throws(AgenticJWTError) {
        guard let intent = c.intent else {
            if flaws.contains(.skipIntent) { return }
            throw AgenticJWTError(.intentMissing, at: .a6, "the token has no intent")
        }
        if !flaws.contains(.skipIntentAction) {
            guard intent.step.toolName == action else {
                throw AgenticJWTError(
                    .intentMismatch, at: .a6, "the token authorizes \(intent.step.toolName); this endpoint is \(action)")
            }
        }
        if !flaws.contains(.skipExecutor) {
            guard intent.executedBy == c.subject, intent.step.agentID == c.subject else {
                throw AgenticJWTError(
                    .executorMismatch, at: .a6, "executed_by \(intent.executedBy) / step agent \(intent.step.agentID) is not sub \(c.subject)")
            }
        }
    }

    // MARK: A8

    func checkWorkflow(_ c: IntentClaims, view: ResourceServerView) throws(AgenticJWTError) {
        guard let intent = c.intent else { return }
        // What the server saw before this step first completed: a step's token may serve several calls.
        let seen = view.completedSteps[intent.workflowID] ?? []
        let before = seen.firstIndex(of: intent.step.stepID) ?? seen.count
        let completed = Array(seen.prefix(before))
        let chainSeen = Array((view.chain[intent.workflowID] ?? []).prefix(before))
        if !flaws.contains(.skipWorkflowOrder) {
            guard let workflow = workflows[intent.workflowID], let step = workflow.step(intent.step.stepID) else {
                throw AgenticJWTError(.workflowOutOfOrder, at: .a8, "\(intent.workflowID)/\(intent.step.stepID) is not a registered step")
            }
            guard step.agent == c.subject else {
                throw AgenticJWTError(.stepAgentMismatch, at: .a8, "step \(step.id) is \(step.agent)'s, not \(c.subject)'s")
            }
            guard step.action == intent.step.toolName else {
                throw AgenticJWTError(.stepToolMismatch, at: .a8, "step \(step.id) calls \(step.action), not \(intent.step.toolName)")
            }
            if let missing = workflow.prerequisites(of: step).first(where: { !completed.contains($0) }) {
                throw AgenticJWTError(.workflowOutOfOrder, at: .a8, "step \(step.id) needs \(missing), which this server has not seen completed")
            }
        }
        if !flaws.contains(.skipChainHashes) {
            let sequence = ChainHash.stepSequence(completed, step: intent.step, form: hashForm)
            guard sequence == intent.stepSequenceHash else {
                throw AgenticJWTError(
                    .sequenceMismatch, at: .a8, "step_sequence_hash \(intent.stepSequenceHash), the steps this server saw give \(sequence)")
            }
            let chain = ChainHash.delegationChain(chainSeen, step: intent.step, form: hashForm)
            guard chain == intent.delegationChain else {
                throw AgenticJWTError(.chainMismatch, at: .a8, "delegation_chain \(intent.delegationChain), this server's chain gives \(chain)")
            }
        }
    }
}
