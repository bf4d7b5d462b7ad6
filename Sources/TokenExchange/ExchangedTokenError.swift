/// Why a downstream verifier refused a token issued by a token service. Codes are stable;
/// each maps to the RFC 6750 bearer-token error a resource server would answer with.
public enum ExchangedTokenCode: String, Hashable, Sendable, Codable, CaseIterable {
    case tokenMissing = "jwt_token_missing"
    case malformed = "jwt_malformed"
    /// Bad signature, or an algorithm or key header a verifier must never honour
    /// (`none`, `HS256` with the public key, embedded `jwk`, `jku`, unknown `kid`).
    case signatureInvalid = "jwt_signature_invalid"
    case issuerMismatch = "jwt_issuer_mismatch"
    case expired = "jwt_expired"
    case notYetValid = "jwt_not_yet_valid"
    case audienceMismatch = "jwt_audience_mismatch"
    /// The `act` chain is malformed, inconsistent with `delegation_depth`, or names an agent twice.
    case actorChainInvalid = "jwt_actor_chain_invalid"
    case depthExceeded = "jwt_depth_exceeded"
    case scopeInsufficient = "jwt_scope_insufficient"

    /// The RFC 6750 §3.1 error code.
    public var bearerError: String {
        switch self {
        case .tokenMissing: return "invalid_request"
        case .scopeInsufficient: return "insufficient_scope"
        default: return "invalid_token"
        }
    }

    /// The HTTP status a resource server answers with.
    public var httpStatus: Int {
        switch self {
        case .scopeInsufficient: return 403
        case .tokenMissing: return 400
        default: return 401
        }
    }

    /// The status for a code given as text; unknown codes answer 401.
    public static func httpStatus(for code: String) -> Int { ExchangedTokenCode(rawValue: code)?.httpStatus ?? 401 }
}

/// A downstream verifier's refusal: the code, the check that decided, and why.
public struct ExchangedTokenError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: ExchangedTokenCode
    public var check: DownstreamCheck
    public var reason: String

    public init(_ code: ExchangedTokenCode, at check: DownstreamCheck, _ reason: String) {
        self.code = code
        self.check = check
        self.reason = reason
    }

    public var description: String { "\(code.rawValue) at \(check.rawValue): \(reason)" }
}

/// The checks of the downstream verifier, in the order they run.
public enum DownstreamCheck: String, Hashable, Sendable, Codable, CaseIterable {
    /// A token is present.
    case presence = "J0"
    /// Compact JWS structure, strict base64url and JSON.
    case parse = "J1"
    /// Header: algorithm allow-list, no key-carrying headers, `kid` in the JWKS, signature.
    case signature = "J2"
    /// `iss` is the token service.
    case issuer = "J3"
    /// `exp`, `nbf`, `iat` against the injected clock.
    case lifetime = "J4"
    /// `aud` names this verifier.
    case audience = "J5"
    /// `act` chain shape and consistency with `delegation_depth`.
    case actorChain = "J6"
    /// `delegation_depth` within the verifier's limit.
    case depth = "J7"
    /// The required scope is granted.
    case scope = "J8"

    public var title: String {
        switch self {
        case .presence: return "token present"
        case .parse: return "structure"
        case .signature: return "signature"
        case .issuer: return "issuer"
        case .lifetime: return "lifetime"
        case .audience: return "audience"
        case .actorChain: return "actor chain"
        case .depth: return "delegation depth"
        case .scope: return "scope"
        }
    }
}
