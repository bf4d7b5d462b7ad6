import JOSE

/// A successful token exchange response (RFC 8693 §2.2.1).
public struct TokenResponse: Hashable, Sendable {
    public var accessToken: String
    /// `urn:ietf:params:oauth:token-type:jwt` or `…:access_token`.
    public var issuedTokenType: String?
    /// `Bearer` or `N_A`.
    public var tokenType: String
    public var expiresIn: Int64?
    /// Granted scope, space-separated.
    public var scope: String?

    public init(accessToken: String, issuedTokenType: String?, tokenType: String = "Bearer", expiresIn: Int64?, scope: String?) {
        self.accessToken = accessToken
        self.issuedTokenType = issuedTokenType
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.scope = scope
    }

    public var json: JSONObject {
        var o: JSONObject = ["access_token": .string(accessToken), "token_type": .string(tokenType)]
        if let issuedTokenType { o["issued_token_type"] = .string(issuedTokenType) }
        if let expiresIn { o["expires_in"] = .int(expiresIn) }
        if let scope { o["scope"] = .string(scope) }
        return o
    }

    /// Reads a response body; `access_token` and `token_type` are required strings.
    public init(json: JSONObject) throws {
        guard let token = try json.string("access_token") else { throw JOSEError.missingClaim("access_token") }
        self.accessToken = token
        self.tokenType = try json.string("token_type") ?? ""
        self.issuedTokenType = try json.string("issued_token_type")
        self.expiresIn = try json.int("expires_in")
        self.scope = try json.string("scope")
    }
}
