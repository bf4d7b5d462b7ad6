/// The error codes of draft-prakash-aip-01 (the nine normative codes of the
/// MCP binding, reused by the A2A binding) plus the A2A binding's audience code.
public enum AIPErrorCode: String, Hashable, Sendable, Codable, CaseIterable {
    /// No token was presented.
    case tokenMissing = "aip_token_missing"
    /// The token could not be decoded or is not in the canonical form.
    case tokenMalformed = "aip_token_malformed"
    /// A signature in the chain does not verify.
    case signatureInvalid = "aip_signature_invalid"
    /// An identity could not be resolved to a valid key.
    case identityUnresolvable = "aip_identity_unresolvable"
    /// The token or a block has expired.
    case tokenExpired = "aip_token_expired"
    /// The requested tool is outside the scope the chain grants.
    case scopeInsufficient = "aip_scope_insufficient"
    /// The request exceeds the budget the chain grants.
    case budgetExceeded = "aip_budget_exceeded"
    /// The chain has more delegations than allowed.
    case depthExceeded = "aip_depth_exceeded"
    /// A key or block in the chain has been revoked.
    case keyRevoked = "aip_key_revoked"
    /// The last delegate is not the receiving agent (A2A binding).
    case audienceMismatch = "aip_audience_mismatch"

    /// The HTTP status the bindings attach: 403 for authorization failures, 401 otherwise.
    public var httpStatus: Int {
        switch self {
        case .scopeInsufficient, .budgetExceeded, .depthExceeded, .audienceMismatch: return 403
        default: return 401
        }
    }

    /// The status for a code given as text; unknown codes are identity failures (401).
    public static func httpStatus(for code: String) -> Int {
        AIPErrorCode(rawValue: code)?.httpStatus ?? 401
    }
}

/// A verification step of draft-prakash-aip-01 §4 (plus the A2A binding's checks).
public enum VerificationStep: String, Hashable, Sendable, Codable, CaseIterable {
    /// The A2A binding: a token is present.
    case binding = "A2A"
    /// Chain integrity: every signature back to the root key.
    case v1 = "V1"
    /// Root binding: the root key belongs to the issuer's identity.
    case v2 = "V2"
    /// Depth: delegation blocks ≤ max_depth.
    case v3 = "V3"
    /// Structural attenuation walk: scope, budget, time, principal, delegator continuity.
    case v4 = "V4"
    /// Every delegation carries a purpose (non-empty context).
    case v5 = "V5"
    /// Datalog policy evaluation with ambient tool, time and depth.
    case v6 = "V6"
    /// Revocation.
    case v7 = "V7"
    /// The A2A binding: the last delegate is this agent.
    case audience = "AUD"

    /// A short human-readable name of the step.
    public var title: String {
        switch self {
        case .binding: return "token present"
        case .v1: return "chain integrity"
        case .v2: return "root binding"
        case .v3: return "delegation depth"
        case .v4: return "attenuation walk"
        case .v5: return "delegation context"
        case .v6: return "policy evaluation"
        case .v7: return "revocation"
        case .audience: return "audience"
        }
    }
}

/// A refusal by an AIP issuer or verifier: a stable code, the step, and why.
public struct AIPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stable error code.
    public var code: AIPErrorCode
    /// The verification step that refused, if the refusal came from one.
    public var step: VerificationStep?
    /// Why, in words.
    public var message: String

    /// A refusal with a code, an optional step and a message.
    public init(_ code: AIPErrorCode, step: VerificationStep? = nil, _ message: String) {
        self.code = code
        self.step = step
        self.message = message
    }

    /// The code, the step and the message on one line.
    public var description: String {
        "\(code.rawValue)\(step.map { " at \($0.rawValue) (\($0.title))" } ?? ""): \(message)"
    }
}
