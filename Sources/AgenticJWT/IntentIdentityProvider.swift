import BatonCrypto
import JOSE

/// Baton's reference identity provider for Agentic JWT: registers agents (a checksum of each
/// agent's definition and its proof-of-possession key) and workflows, records approvals, and mints
/// intent tokens through the `agent_checksum` grant after steps M1–M6. A value type: every change
/// is a `mutating` call, and the clock is an argument.
public struct IntentIdentityProvider: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// `iss`.
        public var issuer: String
        public var keyID: String
        /// Intent tokens live this long (`exp − iat`); the proof of concept announces 300 s.
        public var tokenLifetime: Int64
        public var hashForm: ChainHash.Form
        /// Bind tokens with `cnf.jkt` (DPoP, the default) or with the key itself, `cnf.jwk` (legacy PoP).
        public var binding: BindingMethod

        public init(
            issuer: String, keyID: String, tokenLifetime: Int64 = 300, hashForm: ChainHash.Form = .portable, binding: BindingMethod = .thumbprint
        ) {
            self.issuer = issuer
            self.keyID = keyID
            self.tokenLifetime = tokenLifetime
            self.hashForm = hashForm
            self.binding = binding
        }
    }

    public var configuration: Configuration
    let signingKey: JWSSigningKey
    let publicKey: JWSVerificationKey
    public private(set) var agents: [String: AgentRegistration] = [:]
    public private(set) var workflows: [String: Workflow] = [:]
    /// Approved steps, as `workflow/step`.
    public private(set) var approvals: Set<String> = []
    /// Tokens minted so far (their ids are derived from this count).
    public private(set) var minted = 0

    public init(configuration: Configuration, signingKey: JWSSigningKey) throws(AgenticJWTError) {
        guard let pub = signingKey.verificationKey else {
            throw AgenticJWTError(.invalidRequest, at: .m1, "the identity provider needs an asymmetric signing key")
        }
        self.configuration = configuration
        self.signingKey = signingKey
        self.publicKey = pub
    }

    /// The published keys (`/.well-known/jwks.json`).
    public var jwks: JWKSet {
        JWKSet(JWK(key: publicKey, keyID: configuration.keyID, algorithm: signingKey.algorithm.rawValue, use: "sig"))
    }

    /// Registers an agent; a second agent with the checksum of a registered one is refused
    /// (it would be a copy of that agent, i.e. an impersonation), and so is an agent id registered
    /// again (a new key for it would hand its tokens to whoever registered last).
    public mutating func register(_ agent: AgentRegistration) throws(AgenticJWTError) {
        guard agents[agent.agentID] == nil else {
            throw AgenticJWTError(.alreadyRegistered, at: .m2, "agent \(agent.agentID) is already registered")
        }
        if let twin = agents.values.first(where: { $0.checksum == agent.checksum && $0.agentID != agent.agentID }) {
            throw AgenticJWTError(.duplicateChecksum, at: .m2, "agent \(agent.agentID) has the checksum of registered agent \(twin.agentID)")
        }
        agents[agent.agentID] = agent
    }

    /// Registers a workflow; a workflow id registered again is refused (its steps, agents and gates stay).
    public mutating func register(_ workflow: Workflow) throws(AgenticJWTError) {
        guard workflows[workflow.id] == nil else {
            throw AgenticJWTError(.alreadyRegistered, at: .m4, "workflow \(workflow.id) is already registered")
        }
        workflows[workflow.id] = workflow
    }

    /// A person approves `step` of `workflow` (its approval gate).
    public mutating func approve(workflow: String, step: String) { approvals.insert("\(workflow)/\(step)") }

    /// Mints an intent token, or refuses with the first failing step's code.
    public mutating func mint(_ request: IntentTokenRequest, now: Int64) -> Result<(token: String, claims: IntentClaims), AgenticJWTError> {
        do {
            let claims = try check(request, now: now)
            let header: JSONObject = ["typ": "JWT", "kid": .string(configuration.keyID)]
            let token = try JWS.sign(header: header, claims: claims.json, key: signingKey).compact
            minted += 1
            return .success((token, claims))
        } catch let e as AgenticJWTError {
            return .failure(e)
        } catch {
            return .failure(AgenticJWTError(.invalidRequest, at: .m1, "cannot sign: \(error)"))
        }
    }

    func check(_ r: IntentTokenRequest, now: Int64) throws(AgenticJWTError) -> IntentClaims {
        guard r.grantType == IntentTokenRequest.grantTypeURN || r.grantType == IntentTokenRequest.bareGrantType else {
            throw AgenticJWTError(.unsupportedGrantType, at: .m1, "grant type \(r.grantType)")
        }
        guard !r.audience.isEmpty else { throw AgenticJWTError(.invalidRequest, at: .m1, "audience is empty") }
        guard let agent = agents[r.agentID] else { throw AgenticJWTError(.agentUnknown, at: .m2, "no agent \(r.agentID) is registered") }
        guard r.computedChecksum == agent.checksum else {
            throw AgenticJWTError(
                .checksumMismatch, at: .m3, "the checksum of \(r.agentID)'s code is not the registered one: code integrity violation")
        }
        guard let workflow = workflows[r.workflowID] else {
            throw AgenticJWTError(.workflowUnknown, at: .m4, "no workflow \(r.workflowID) is registered")
        }
        guard let step = workflow.step(r.step.stepID) else {
            throw AgenticJWTError(.stepUnknown, at: .m4, "workflow \(workflow.id) has no step \(r.step.stepID)")
        }
        guard step.agent == r.agentID, r.step.agentID == r.agentID else {
            throw AgenticJWTError(.stepAgentMismatch, at: .m4, "step \(step.id) is \(step.agent)'s; \(r.agentID) asked for it as \(r.step.agentID)")
        }
        guard r.step.toolName == step.action else {
            throw AgenticJWTError(.stepToolMismatch, at: .m4, "step \(step.id) calls \(step.action), not \(r.step.toolName)")
        }
        guard !r.requestedScopes.isEmpty else { throw AgenticJWTError(.invalidRequest, at: .m5, "no scopes requested") }
        if let extra = r.requestedScopes.first(where: { !step.scopes.contains($0) }) {
            throw AgenticJWTError(.scopeExceedsStep, at: .m5, "\(extra) is beyond step \(step.id)'s scopes \(step.scopes)")
        }
        if let missing = workflow.prerequisites(of: step).first(where: { !r.completedSteps.contains($0) }) {
            throw AgenticJWTError(.dependencyIncomplete, at: .m6, "step \(step.id) needs \(missing) completed first")
        }
        if step.requiresApproval && !approvals.contains("\(workflow.id)/\(step.id)") {
            throw AgenticJWTError(.approvalMissing, at: .m6, "step \(step.id) waits for its approval")
        }
        let form = configuration.hashForm
        let tokenID = "token_" + Hex.encode(SHA256.hash(Array("\(configuration.issuer)|\(r.agentID)|\(step.id)|\(now)|\(minted)".utf8))).prefix(8)
        return IntentClaims(
            issuer: configuration.issuer, audience: [r.audience], subject: r.agentID, issuedAt: now,
            expiresAt: now.addingClamped(configuration.tokenLifetime),
            tokenID: String(tokenID), scopes: r.requestedScopes,
            confirmation: configuration.binding.confirmation(for: agent.popKey),
            intent: IntentClaims.Intent(
                workflowID: workflow.id, step: r.step, executedBy: r.agentID,
                delegationChain: ChainHash.delegationChain(r.chain, step: r.step, form: form),
                stepSequenceHash: ChainHash.stepSequence(r.completedSteps, step: r.step, form: form)),
            agentProof: IntentClaims.AgentProof(checksum: agent.checksum, registrationID: agent.registrationID))
    }
}
