/// Why an Agentic JWT identity provider refused to mint, or a resource server refused a call.
/// Codes are stable (`ajwt_*`); each maps to the HTTP status the refusing party answers with.
public enum AgenticJWTCode: String, Hashable, Sendable, Codable, CaseIterable {
    // Minting (the identity provider, steps M1–M6).
    /// The grant type is neither `agent_checksum` nor its URN.
    case unsupportedGrantType = "ajwt_unsupported_grant_type"
    /// The request is missing a member or has one of the wrong type.
    case invalidRequest = "ajwt_invalid_request"
    /// No agent is registered under this id.
    case agentUnknown = "ajwt_agent_unknown"
    /// The agent's computed checksum differs from its registration: its code changed.
    case checksumMismatch = "ajwt_checksum_mismatch"
    /// A second agent registered with the checksum of an existing one (impersonation).
    case duplicateChecksum = "ajwt_duplicate_checksum"
    /// An agent id or workflow id registered again: a registration is never replaced (that would
    /// hand the agent's tokens to whoever registered last).
    case alreadyRegistered = "ajwt_already_registered"
    case workflowUnknown = "ajwt_workflow_unknown"
    case stepUnknown = "ajwt_step_unknown"
    /// The step belongs to another agent, or the token's agent is not the step's.
    case stepAgentMismatch = "ajwt_step_agent_mismatch"
    /// The requested tool is not the step's action.
    case stepToolMismatch = "ajwt_step_tool_mismatch"
    /// Scopes beyond those the workflow step grants.
    case scopeExceedsStep = "ajwt_scope_exceeds_step"
    /// A dependency (or an earlier required step) has not been completed.
    case dependencyIncomplete = "ajwt_dependency_incomplete"
    /// The step needs an approval that was not given.
    case approvalMissing = "ajwt_approval_missing"

    // Verification (the resource server, steps A0–A9).
    case tokenMissing = "ajwt_token_missing"
    case tokenMalformed = "ajwt_token_malformed"
    /// `none`, HMAC, an algorithm not on the allow-list, or a key the header tries to supply.
    case algorithmRefused = "ajwt_algorithm_refused"
    /// No published key has the token's `kid` (or the token has none).
    case keyUnknown = "ajwt_key_unknown"
    case signatureInvalid = "ajwt_signature_invalid"
    case issuerInvalid = "ajwt_issuer_invalid"
    case tokenExpired = "ajwt_token_expired"
    case tokenNotYetValid = "ajwt_token_not_yet_valid"
    /// `exp − iat` longer than the identity provider announces for intent tokens.
    case lifetimeExcessive = "ajwt_lifetime_excessive"
    case audienceMismatch = "ajwt_audience_mismatch"
    /// The token carries no `cnf`: it is a bearer token.
    case notSenderConstrained = "ajwt_not_sender_constrained"
    case popMissing = "ajwt_pop_missing"
    /// The proof is not a well-formed, correctly signed DPoP proof (or legacy PoP signature).
    case popInvalid = "ajwt_pop_invalid"
    /// The proof's key is not the one the token is bound to.
    case popKeyMismatch = "ajwt_pop_key_mismatch"
    case popMethodMismatch = "ajwt_pop_method_mismatch"
    case popURLMismatch = "ajwt_pop_url_mismatch"
    /// The proof's `iat` (or legacy timestamp) is outside the freshness window.
    case popStale = "ajwt_pop_stale"
    /// The proof's `ath` is not the hash of the presented access token.
    case popAccessTokenMismatch = "ajwt_pop_ath_mismatch"
    /// The proof's `jti` was already used.
    case popReplayed = "ajwt_pop_replayed"
    case intentMissing = "ajwt_intent_missing"
    /// The token authorizes another action (tool) than the endpoint's.
    case intentMismatch = "ajwt_intent_mismatch"
    /// `executed_by` or the step's agent is not the token's subject.
    case executorMismatch = "ajwt_executor_mismatch"
    case scopeInsufficient = "ajwt_scope_insufficient"
    /// The step's dependencies have not been carried out, as far as this server has seen.
    case workflowOutOfOrder = "ajwt_workflow_out_of_order"
    /// `delegation_chain` is not the hash of the chain this server has seen.
    case chainMismatch = "ajwt_chain_mismatch"
    /// `step_sequence_hash` is not the hash of the steps this server has seen completed.
    case sequenceMismatch = "ajwt_sequence_mismatch"
    /// The token's agent checksum or registration is not the registered one.
    case agentProofInvalid = "ajwt_agent_proof_invalid"

    /// The HTTP status the refusing party answers with.
    public var httpStatus: Int {
        switch self {
        case .unsupportedGrantType, .invalidRequest, .duplicateChecksum, .tokenMissing: return 400
        case .alreadyRegistered: return 409
        case .stepUnknown, .stepAgentMismatch, .stepToolMismatch, .scopeExceedsStep, .dependencyIncomplete, .approvalMissing,
            .workflowUnknown, .intentMismatch, .executorMismatch, .scopeInsufficient, .workflowOutOfOrder:
            return 403
        default: return 401
        }
    }

    /// The status for a code given as text; unknown codes answer 401.
    public static func httpStatus(for code: String) -> Int { AgenticJWTCode(rawValue: code)?.httpStatus ?? 401 }
}
