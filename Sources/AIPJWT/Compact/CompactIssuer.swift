import AIP
import BatonCrypto
import JOSE

/// Mints AIP compact tokens: one-hop EdDSA JWTs whose protected header is exactly
/// `{"alg":"EdDSA","typ":"aip+jwt"}` (draft-prakash-aip-01, aip-tokens §3).
///
/// The payload is serialized with sorted keys and no whitespace, and Ed25519 is
/// deterministic, so the same claims and key always give the same token.
public struct CompactIssuer: Sendable {
    /// The JWS `typ` of compact tokens.
    public static let type = "aip+jwt"
    /// The one protected header every compact token carries.
    public static let header: JSONObject = ["alg": "EdDSA", "typ": .string(type)]

    public init() {}

    /// Signs `claims` with the issuer's Ed25519 key and returns the compact serialization.
    ///
    /// Refuses, before signing:
    /// - `aip_token_malformed`: `iss` or `sub` not an AIP identifier, an empty scope list or an
    ///   empty scope entry, a negative `max_depth`, a non-finite budget;
    /// - `aip_budget_exceeded`: a negative budget (as the chained issuer does);
    /// - `aip_token_expired`: `exp <= iat` (the token would be born expired);
    /// - `aip_signature_invalid`: `iss` is an `aip:key:` identifier naming another key than `key`
    ///   (the token could never verify).
    public func mint(_ claims: CompactClaims, key: Ed25519.PrivateKey) throws(AIPError) -> String {
        try claims.validateValues()
        guard claims.exp > claims.iat else {
            throw AIPError(.tokenExpired, step: .v4, "the token would be born expired (exp \(claims.exp) <= iat \(claims.iat))")
        }
        if case let .key(named)? = AIPIdentifier(claims.iss), named != key.publicKey {
            throw AIPError(.signatureInvalid, step: .v1, "iss '\(claims.iss)' names another key than the signing key")
        }
        do {
            return try JWS.sign(header: Self.header, claims: claims.jsonObject, key: .ed25519(key)).compact
        } catch {
            throw AIPError(.tokenMalformed, "cannot sign the compact token: \(error)")
        }
    }
}
