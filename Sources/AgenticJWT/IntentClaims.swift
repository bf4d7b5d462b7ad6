import JOSE

/// The claims of an Agentic JWT intent token, as a type that reads and checks itself: the
/// registered claims, the space-separated `scope`, the proof-of-possession binding `cnf`,
/// `intent` (the workflow step and the chain so far) and `agent_proof` (the checksum).
public struct IntentClaims: Equatable, Sendable {
    public var issuer: String
    public var audience: [String]
    /// The agent id.
    public var subject: String
    public var issuedAt: Int64
    public var expiresAt: Int64
    public var notBefore: Int64?
    public var tokenID: String
    public var scopes: [String]
    /// nil: a bearer token.
    public var confirmation: Confirmation?
    /// nil: no `intent` claim.
    public var intent: Intent?
    /// nil: no `agent_proof` claim.
    public var agentProof: AgentProof?

    /// `cnf` (RFC 7800, RFC 9449 §6).
    public enum Confirmation: Equatable, Sendable {
        /// `jwk`: the public key itself (legacy tokens).
        case jwk(JWSVerificationKey)
        /// `jkt`: the RFC 7638 thumbprint of the DPoP key, base64url.
        case jkt(String)

        /// The thumbprint the proof's key must have.
        public var thumbprint: String {
            switch self {
            case let .jwk(k): return JWK(key: k).thumbprintBase64URL
            case let .jkt(t): return t
            }
        }
    }

    /// The workflow step a token is for.
    public struct StepReference: Hashable, Sendable {
        public var stepID: String
        public var agentID: String
        public var toolName: String

        public init(stepID: String, agentID: String, toolName: String) {
            self.stepID = stepID
            self.agentID = agentID
            self.toolName = toolName
        }
    }

    /// `intent`.
    public struct Intent: Hashable, Sendable {
        public var workflowID: String
        public var step: StepReference
        public var executedBy: String
        public var delegationChain: String
        public var stepSequenceHash: String

        public init(workflowID: String, step: StepReference, executedBy: String, delegationChain: String, stepSequenceHash: String) {
            self.workflowID = workflowID
            self.step = step
            self.executedBy = executedBy
            self.delegationChain = delegationChain
            self.stepSequenceHash = stepSequenceHash
        }
    }

    /// `agent_proof`.
    public struct AgentProof: Hashable, Sendable {
        public var checksum: String
        public var registrationID: String

        public init(checksum: String, registrationID: String) {
            self.checksum = checksum
            self.registrationID = registrationID
        }
    }

    public init(
        issuer: String, audience: [String], subject: String, issuedAt: Int64, expiresAt: Int64, notBefore: Int64? = nil, tokenID: String,
        scopes: [String], confirmation: Confirmation?, intent: Intent?, agentProof: AgentProof?
    ) {
        self.issuer = issuer
        self.audience = audience
        self.subject = subject
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.notBefore = notBefore
        self.tokenID = tokenID
        self.scopes = scopes
        self.confirmation = confirmation
        self.intent = intent
        self.agentProof = agentProof
    }

    /// The claims as JSON (`aud` a string when there is one audience).
    public var json: JSONObject {
        var o: JSONObject = [
            "iss": .string(issuer), "sub": .string(subject), "iat": .int(issuedAt), "exp": .int(expiresAt), "jti": .string(tokenID),
            "scope": .string(scopes.joined(separator: " ")),
        ]
        o["aud"] = audience.count == 1 ? .string(audience[0]) : .array(audience.map(JSONValue.string))
        if let notBefore { o["nbf"] = .int(notBefore) }
        switch confirmation {
        case let .jwk(k)?: o["cnf"] = .object(["jwk": .object(JWK(key: k).json)])
        case let .jkt(t)?: o["cnf"] = .object(["jkt": .string(t)])
        case nil: break
        }
        if let intent {
            o["intent"] = .object([
                "workflow_id": .string(intent.workflowID),
                "workflow_step": .object([
                    "step_id": .string(intent.step.stepID), "agent_id": .string(intent.step.agentID), "tool_name": .string(intent.step.toolName),
                ]),
                "executed_by": .string(intent.executedBy), "delegation_chain": .string(intent.delegationChain),
                "step_sequence_hash": .string(intent.stepSequenceHash),
            ])
        }
        if let agentProof {
            o["agent_proof"] = .object(["agent_checksum": .string(agentProof.checksum), "registration_id": .string(agentProof.registrationID)])
        }
        return o
    }

    /// Reads and type-checks the claims. Absent `cnf`, `intent` and `agent_proof` are kept absent
    /// (the verifier decides what it requires); present ones must be complete and well typed.
    public init(json o: JSONObject) throws(AgenticJWTError) {
        func bad(_ why: String) -> AgenticJWTError { AgenticJWTError(.tokenMalformed, at: .a0, why) }
        func string(_ obj: JSONObject, _ name: String, in what: String = "") throws(AgenticJWTError) -> String {
            guard case let .string(s)? = obj[name] else { throw bad("\(what)\(name) must be a string") }
            return s
        }
        func int(_ name: String) throws(AgenticJWTError) -> Int64 {
            guard case let .int(i)? = o[name] else { throw bad("\(name) must be an integer number of seconds") }
            return i
        }
        issuer = try string(o, "iss")
        subject = try string(o, "sub")
        tokenID = try string(o, "jti")
        issuedAt = try int("iat")
        expiresAt = try int("exp")
        notBefore = o["nbf"] == nil ? nil : try int("nbf")
        switch o["aud"] {
        case let .string(s)?: audience = [s]
        case let .array(a)?:
            audience = []
            for v in a {
                guard case let .string(s) = v else { throw bad("aud must hold strings") }
                audience.append(s)
            }
        default: throw bad("aud must be a string or an array of strings")
        }
        switch o["scope"] {
        case let .string(s)?: scopes = s.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        case nil: scopes = []
        default: throw bad("scope must be a space-separated string")
        }
        switch o["cnf"] {
        case nil: confirmation = nil
        case let .object(c)?:
            if case let .string(t)? = c["jkt"] {
                confirmation = .jkt(t)
            } else if case let .object(k)? = c["jwk"] {
                do { confirmation = .jwk(try JWK(json: k).key) } catch { throw bad("cnf.jwk: \(error)") }
            } else {
                throw bad("cnf must hold jkt or jwk")
            }
        default: throw bad("cnf must be an object")
        }
        switch o["intent"] {
        case nil: intent = nil
        case let .object(i)?:
            guard case let .object(s)? = i["workflow_step"] else { throw bad("intent.workflow_step must be an object") }
            let step = StepReference(
                stepID: try string(s, "step_id", in: "intent.workflow_step."), agentID: try string(s, "agent_id", in: "intent.workflow_step."),
                toolName: try string(s, "tool_name", in: "intent.workflow_step."))
            intent = Intent(
                workflowID: try string(i, "workflow_id", in: "intent."), step: step, executedBy: try string(i, "executed_by", in: "intent."),
                delegationChain: try string(i, "delegation_chain", in: "intent."),
                stepSequenceHash: try string(i, "step_sequence_hash", in: "intent."))
        default: throw bad("intent must be an object")
        }
        switch o["agent_proof"] {
        case nil: agentProof = nil
        case let .object(p)?:
            agentProof = AgentProof(
                checksum: try string(p, "agent_checksum", in: "agent_proof."), registrationID: try string(p, "registration_id", in: "agent_proof."))
        default: throw bad("agent_proof must be an object")
        }
    }
}
