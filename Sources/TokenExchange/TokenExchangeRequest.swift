import JOSE

/// A token request to the token endpoint (RFC 8693 §2.1). Every field is optional
/// because Baton also sends malformed requests; ``TokenExchangeRequest/init(form:)``
/// refuses only what cannot be represented (a repeated parameter).
public struct TokenExchangeRequest: Hashable, Sendable {
    public static let grantType = "urn:ietf:params:oauth:grant-type:token-exchange"
    public static let jwtTokenType = "urn:ietf:params:oauth:token-type:jwt"
    public static let accessTokenType = "urn:ietf:params:oauth:token-type:access_token"

    public var grantType: String?
    public var subjectToken: String?
    public var subjectTokenType: String?
    public var actorToken: String?
    public var actorTokenType: String?
    /// Space-separated scope tokens.
    public var scope: String?
    public var audience: String?
    public var resource: String?

    public init(
        grantType: String? = TokenExchangeRequest.grantType, subjectToken: String? = nil,
        subjectTokenType: String? = TokenExchangeRequest.jwtTokenType, actorToken: String? = nil,
        actorTokenType: String? = TokenExchangeRequest.jwtTokenType, scope: String? = nil,
        audience: String? = nil, resource: String? = nil
    ) {
        self.grantType = grantType
        self.subjectToken = subjectToken
        self.subjectTokenType = subjectTokenType
        self.actorToken = actorToken
        self.actorTokenType = actorTokenType
        self.scope = scope
        self.audience = audience
        self.resource = resource
    }

    /// The parameters in RFC order, absent ones left out.
    public var parameters: [(String, String)] {
        let all: [(String, String?)] = [
            ("grant_type", grantType), ("subject_token", subjectToken), ("subject_token_type", subjectTokenType),
            ("actor_token", actorToken), ("actor_token_type", actorTokenType), ("scope", scope),
            ("audience", audience), ("resource", resource),
        ]
        return all.compactMap { name, value in value.map { (name, $0) } }
    }

    /// The `application/x-www-form-urlencoded` body.
    public var formBody: String { FormURLEncoding.encode(parameters) }

    /// The request as a JSON object (some servers take JSON bodies).
    public var json: JSONObject { JSONObject(parameters.map { ($0.0, JSONValue.string($0.1)) }) }

    /// Reads decoded form parameters; a repeated parameter is an `invalid_request` (RFC 6749 §3.2).
    /// Unknown parameters are ignored (RFC 6749 §3.2).
    public init(form pairs: [(String, String)]) throws {
        self.init(grantType: nil, subjectTokenType: nil, actorTokenType: nil)
        var seen = Set<String>()
        for (name, value) in pairs {
            guard seen.insert(name).inserted else { throw OAuthError(.invalidRequest, "parameter \(name) is repeated") }
            switch name {
            case "grant_type": grantType = value
            case "subject_token": subjectToken = value
            case "subject_token_type": subjectTokenType = value
            case "actor_token": actorToken = value
            case "actor_token_type": actorTokenType = value
            case "scope": scope = value
            case "audience": audience = value
            case "resource": resource = value
            default: continue
            }
        }
    }

    /// Reads a JSON body whose members are all strings.
    public init(json: JSONObject) throws {
        var pairs: [(String, String)] = []
        for (name, value) in json {
            guard case let .string(s) = value else { throw OAuthError(.invalidRequest, "parameter \(name) is not a string") }
            pairs.append((name, s))
        }
        try self.init(form: pairs)
    }
}
