import BatonCrypto
import JOSE

/// A DPoP proof (RFC 9449 §4): a JWT with `typ: dpop+jwt`, an asymmetric `alg` and the public
/// key in the header's `jwk`, claiming the request's method (`htm`) and URL (`htu`), when it was
/// made (`iat`), a unique id (`jti`) and the hash of the access token it accompanies (`ath`).
public struct DPoPProof: Hashable, Sendable {
    public var method: String
    public var url: String
    public var issuedAt: Int64
    public var id: String
    /// `ath`: base64url SHA-256 of the access token; nil: none.
    public var accessTokenHash: String?
    public var nonce: String?

    public init(method: String, url: String, issuedAt: Int64, id: String, accessTokenHash: String?, nonce: String? = nil) {
        self.method = method
        self.url = url
        self.issuedAt = issuedAt
        self.id = id
        self.accessTokenHash = accessTokenHash
        self.nonce = nonce
    }

    /// A proof for `accessToken` (its `ath` computed here).
    public init(method: String, url: String, issuedAt: Int64, id: String, accessToken: String?) {
        self.init(method: method, url: url, issuedAt: issuedAt, id: id, accessTokenHash: accessToken.map(DPoPProof.accessTokenHash(of:)))
    }

    /// `ath` of a token: base64url (no padding) SHA-256 of its ASCII text.
    public static func accessTokenHash(of token: String) -> String { StrictBase64URL.encode(SHA256.hash(Array(token.utf8))) }

    public var claims: JSONObject {
        var o: JSONObject = ["htm": .string(method), "htu": .string(url), "iat": .int(issuedAt), "jti": .string(id)]
        if let accessTokenHash { o["ath"] = .string(accessTokenHash) }
        if let nonce { o["nonce"] = .string(nonce) }
        return o
    }

    /// Signs the proof with the holder's key (its public key goes in the header); `type` is the
    /// header's `typ`, `dpop+jwt` but for forgeries.
    public func signed(with key: JWSSigningKey, type: String = "dpop+jwt") throws -> String {
        guard let pub = key.verificationKey else { throw AgenticJWTError(.popInvalid, at: .a5, "a DPoP key must be asymmetric") }
        let header: JSONObject = ["typ": .string(type), "alg": .string(key.algorithm.rawValue), "jwk": .object(JWK(key: pub).json)]
        return try JWS.sign(header: header, claims: claims, key: key).compact
    }

    /// The URL as `htu` compares it (RFC 9449 §4.3): scheme and host in lower case, default port
    /// dropped, no query or fragment. nil when it is not an absolute http(s) URL.
    public static func normalizedURL(_ text: String) -> String? {
        var rest = Substring(text)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if let q = rest.firstIndex(of: "?") { rest = rest[..<q] }
        guard let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") else { return nil }
        let scheme = rest[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let afterScheme = rest[rest.index(colon, offsetBy: 3)...]
        let slash = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        var authority = afterScheme[..<slash].lowercased()
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        if scheme == "http", authority.hasSuffix(":80") { authority.removeLast(3) }
        if scheme == "https", authority.hasSuffix(":443") { authority.removeLast(4) }
        let path = afterScheme[slash...]
        return "\(scheme)://\(authority)\(path.isEmpty ? "/" : String(path))"
    }
}
