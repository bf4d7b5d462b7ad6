/// The OAuth error codes a token endpoint answers with (RFC 6749 §5.2, RFC 8693 §2.2.2).
public enum OAuthErrorCode: String, Hashable, Sendable, Codable, CaseIterable {
    /// A parameter is missing, repeated or malformed; RFC 8693 also uses it for an invalid
    /// or unacceptable `subject_token` or `actor_token`.
    case invalidRequest = "invalid_request"
    /// Client (here: the sub-agent proving itself) authentication failed.
    case invalidClient = "invalid_client"
    /// The grant (here: the subject token) is invalid, expired or revoked (RFC 6749).
    case invalidGrant = "invalid_grant"
    /// The client may not use this grant type.
    case unauthorizedClient = "unauthorized_client"
    /// The grant type is not supported at all.
    case unsupportedGrantType = "unsupported_grant_type"
    /// The requested scope exceeds what may be granted.
    case invalidScope = "invalid_scope"
    /// The server will not issue a token for the requested audience or resource (RFC 8693).
    case invalidTarget = "invalid_target"

    /// The HTTP status of the error response: 401 for client authentication failures, else 400.
    public var httpStatus: Int { self == .invalidClient ? 401 : 400 }
}

/// An OAuth error response: a code, a human-readable description, and its status.
public struct OAuthError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: OAuthErrorCode
    public var reason: String

    public init(_ code: OAuthErrorCode, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var httpStatus: Int { code.httpStatus }
    public var description: String { "\(code.rawValue): \(reason)" }
}
