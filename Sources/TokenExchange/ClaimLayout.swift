import JOSE

/// How an identity server lays out the claims of the tokens it issues. Both are seen in
/// identity servers for agents; Baton tests each as its own sub-profile.
public enum ClaimLayout: String, Hashable, Sendable, CaseIterable, Codable {
    /// `sub` is the agent holding the token; `act` names only the immediate delegator
    /// (one level); `scopes` is a JSON array; the person at the root travels in `principal`.
    case agentSubject = "agent-subject"
    /// RFC 8693 §4.1: `sub` stays the person at the root; `act` nests one level per hop with
    /// the current actor outermost; `scope` is a space-separated string.
    case rfc8693

    /// The layout a token's claims use, read from its scope claim: a `scopes` array or a
    /// `scope` string; nil when it has neither.
    public init?(of claims: JWTClaims) {
        if claims.object["scopes"] != nil { self = .agentSubject } else if claims.object["scope"] != nil { self = .rfc8693 } else { return nil }
    }

    /// The granted scopes, from this layout's scope claim (absent: none).
    public func scopes(in claims: JWTClaims) throws -> [String] {
        switch self {
        case .agentSubject: return try claims.scopes ?? []
        case .rfc8693: return try claims.scope ?? []
        }
    }

    /// The agent holding the token: `sub` here, the current (outermost) actor in RFC 8693's
    /// layout; nil when an RFC 8693 token names no actor.
    public func holder(subject: String, actors: [String]) -> String? {
        self == .agentSubject ? subject : actors.first
    }

    /// The person at the root: the `principal` claim here (throws when it is not a string),
    /// `sub` in RFC 8693's layout.
    public func principal(subject: String?, claims: JWTClaims) throws -> String? {
        self == .agentSubject ? try claims.object.string("principal") : subject
    }
}
