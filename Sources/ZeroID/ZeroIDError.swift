/// The `error` codes of ZeroID's token endpoint on the agent-delegation path (its error table),
/// including the two that are not RFC 6749 codes.
public enum ZeroIDErrorCode: String, Hashable, Sendable, Codable, CaseIterable {
    case invalidRequest = "invalid_request"
    /// `client_credentials` with an unknown client, a wrong secret, or no identity behind the client.
    case invalidClient = "invalid_client"
    /// A client whose grant types do not include the one asked.
    case unauthorizedClient = "unauthorized_client"
    case invalidGrant = "invalid_grant"
    case invalidScope = "invalid_scope"
    /// RFC 6750's code, which ZeroID f08f979 answers at the token endpoint.
    case insufficientScope = "insufficient_scope"
    /// Not an RFC code: a credential policy refused (depth, grant type, TTL, trust level, inactive).
    case policyViolation = "policy_violation"
    case unsupportedGrantType = "unsupported_grant_type"
    case serverError = "server_error"
    /// Introspection of a token that is revoked (itself or an ancestor), expired, unknown or altered.
    case tokenInactive = "token_inactive"

    public var httpStatus: Int {
        switch self {
        case .serverError: return 500
        case .invalidClient: return 401
        default: return 400
        }
    }
}

/// The checks of ZeroID's token exchange, in the order it runs them, and of introspection.
public enum ZeroIDCheck: String, Hashable, Sendable, Codable, CaseIterable {
    /// Grant type, `subject_token` and `actor_token` present.
    case request = "Z0"
    /// The subject token: signature under the service's key, lifetime, `jti`, an active credential.
    case subjectToken = "Z1"
    /// The actor assertion parses and its `alg` is allowed; only ES256 verifies.
    case actorAlgorithm = "Z2"
    /// `iss` is a WIMSE URI of this domain, in the subject's tenant, of a known active identity.
    case actorIdentity = "Z3"
    /// The identity has a P-256 key registered and the assertion verifies under it.
    case actorKey = "Z4"
    /// `aud` contains the issuer; `exp` present and not passed; `nbf`; `sub` present.
    case actorClaims = "Z5"
    /// The assertion's `jti` is present and used only once (the reference; ZeroID does not check).
    case assertionReplay = "Z6"
    /// requested ∩ subject token ∩ actor policy ∩ actor registration is not empty.
    case scope = "Z7"
    /// The actor's credential policy: active, grant type, trust level, depth, TTL.
    case policy = "Z8"
    /// Introspection: the credential and every ancestor are unrevoked and the token is the one issued.
    case revocation = "R1"

    public var title: String {
        switch self {
        case .request: return "request"
        case .subjectToken: return "subject token"
        case .actorAlgorithm: return "actor assertion algorithm"
        case .actorIdentity: return "actor identity"
        case .actorKey: return "actor key"
        case .actorClaims: return "actor assertion claims"
        case .assertionReplay: return "assertion replay"
        case .scope: return "scope attenuation"
        case .policy: return "credential policy"
        case .revocation: return "revocation"
        }
    }
}

/// A refusal of the ZeroID service: ZeroID's `error` and `error_description`, and the check that decided.
public struct ZeroIDError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: ZeroIDErrorCode
    public var check: ZeroIDCheck
    public var reason: String

    public init(_ code: ZeroIDErrorCode, at check: ZeroIDCheck, _ reason: String) {
        self.code = code
        self.check = check
        self.reason = reason
    }

    public var description: String { "\(code.rawValue) at \(check.rawValue): \(reason)" }
}
