/// Defences of ``IntentTokenVerifier`` that can be removed on purpose, one at a time: the flaw
/// gallery of the Agentic JWT profile. Each names the step it weakens; the kill matrix shows
/// which scenarios catch each.
public enum IntentVerifierFlaw: String, Hashable, Sendable, CaseIterable, Codable {
    /// Any signature is accepted (only `alg: none` is still refused).
    case skipSignature = "ajwt-skip-signature"
    /// `alg: none` tokens are accepted unsigned.
    case acceptAlgNone = "ajwt-accept-alg-none"
    /// A key in the token's own `jwk` header is trusted.
    case trustEmbeddedKey = "ajwt-trust-embedded-key"
    /// The `kid` is not used to pick the key: every published key is tried.
    case ignoreKeyID = "ajwt-ignore-kid"
    case skipIssuer = "ajwt-skip-issuer"
    case skipExpiry = "ajwt-skip-expiry"
    /// Tokens that live longer than announced are accepted.
    case skipLifetimeLimit = "ajwt-skip-lifetime-limit"
    case skipAudience = "ajwt-skip-audience"
    /// Bearer tokens (no `cnf`) and calls without a proof are accepted.
    case skipProofOfPossession = "ajwt-skip-pop"
    /// A proof signed by any key is accepted (the key is not compared with `cnf`; a legacy proof's
    /// signature, which binds key and request at once, is not checked).
    case skipProofKeyBinding = "ajwt-skip-pop-key-binding"
    /// The proof's `htm` and `htu` are not compared with the request.
    case skipProofRequestBinding = "ajwt-skip-pop-request-binding"
    /// The proof's `iat` is not checked.
    case skipProofFreshness = "ajwt-skip-pop-freshness"
    /// The proof's `ath` is not checked.
    case skipAccessTokenHash = "ajwt-skip-ath"
    /// Proof ids are not remembered.
    case skipReplayCache = "ajwt-skip-replay-cache"
    /// Tokens without `intent` are accepted.
    case skipIntent = "ajwt-skip-intent"
    /// The intent's tool is not compared with the endpoint's action.
    case skipIntentAction = "ajwt-skip-intent-action"
    /// `executed_by` and the step's agent are not compared with `sub`.
    case skipExecutor = "ajwt-skip-executor"
    case skipScope = "ajwt-skip-scope"
    /// The workflow's dependencies are not checked against what this server saw.
    case skipWorkflowOrder = "ajwt-skip-workflow-order"
    /// `delegation_chain` and `step_sequence_hash` are not recomputed.
    case skipChainHashes = "ajwt-skip-chain-hashes"
    /// `agent_proof` is not compared with the registration.
    case skipAgentProof = "ajwt-skip-agent-proof"

    /// The verification step whose check the flaw removes.
    public var step: AgenticJWTStep {
        switch self {
        case .skipSignature, .acceptAlgNone, .trustEmbeddedKey, .ignoreKeyID: return .a1
        case .skipIssuer: return .a2
        case .skipExpiry, .skipLifetimeLimit: return .a3
        case .skipAudience: return .a4
        case .skipProofOfPossession, .skipProofKeyBinding, .skipProofRequestBinding, .skipProofFreshness, .skipAccessTokenHash, .skipReplayCache:
            return .a5
        case .skipIntent, .skipIntentAction, .skipExecutor: return .a6
        case .skipScope: return .a7
        case .skipWorkflowOrder, .skipChainHashes: return .a8
        case .skipAgentProof: return .a9
        }
    }

    /// One line on what is removed, for reports.
    public var summary: String {
        switch self {
        case .skipSignature: return "signatures not checked"
        case .acceptAlgNone: return "alg none accepted"
        case .trustEmbeddedKey: return "the token's own jwk header trusted"
        case .ignoreKeyID: return "kid ignored: every published key is tried"
        case .skipIssuer: return "iss not checked"
        case .skipExpiry: return "exp not checked"
        case .skipLifetimeLimit: return "lifetime longer than announced accepted"
        case .skipAudience: return "aud not checked"
        case .skipProofOfPossession: return "bearer use accepted: no proof of possession required"
        case .skipProofKeyBinding: return "a proof by any key accepted"
        case .skipProofRequestBinding: return "the proof's method and URL not compared"
        case .skipProofFreshness: return "the proof's iat not checked"
        case .skipAccessTokenHash: return "the proof's ath not checked"
        case .skipReplayCache: return "proofs may be replayed"
        case .skipIntent: return "tokens without intent accepted"
        case .skipIntentAction: return "the intent's tool not compared with the endpoint"
        case .skipExecutor: return "executed_by not compared with sub"
        case .skipScope: return "scope not checked"
        case .skipWorkflowOrder: return "workflow dependencies not checked"
        case .skipChainHashes: return "chain and sequence hashes not recomputed"
        case .skipAgentProof: return "agent checksum not compared with the registration"
        }
    }
}
