/// One defence removed from the downstream verifier, to show which scenarios catch it
/// (`baton run --iut flawed:jwt-NAME`, `baton kill-matrix`). Never used outside the range.
public enum ExchangedTokenFlaw: String, Hashable, Sendable, CaseIterable, Codable {
    /// Accepts `alg: none` (any casing) without a signature.
    case acceptAlgNone = "jwt-accept-alg-none"
    /// Verifies `HS256` with the public key as the HMAC secret (algorithm confusion).
    case hmacWithPublicKey = "jwt-hmac-with-public-key"
    /// Verifies with a key embedded in the header (`jwk`).
    case trustEmbeddedKey = "jwt-trust-embedded-jwk"
    /// Does not check the signature at all (decode only).
    case skipSignature = "jwt-skip-signature"
    /// Does not check `iss`.
    case skipIssuer = "jwt-skip-issuer"
    /// Does not check `exp` or `nbf`.
    case skipExpiry = "jwt-skip-expiry"
    /// Does not check `aud`.
    case skipAudience = "jwt-skip-audience"
    /// Does not check the `act` chain.
    case skipActorChain = "jwt-skip-act-chain"
    /// Does not check `delegation_depth` against its limit.
    case skipDepth = "jwt-skip-depth"
    /// Does not check the required scope.
    case skipScope = "jwt-skip-scope"

    /// What the flaw does, for the kill matrix.
    public var summary: String {
        switch self {
        case .acceptAlgNone: return "accepts alg none"
        case .hmacWithPublicKey: return "HS256 keyed with the public key"
        case .trustEmbeddedKey: return "trusts a jwk embedded in the header"
        case .skipSignature: return "never checks the signature"
        case .skipIssuer: return "skips iss"
        case .skipExpiry: return "skips exp and nbf"
        case .skipAudience: return "skips aud"
        case .skipActorChain: return "skips the act chain"
        case .skipDepth: return "skips the delegation depth limit"
        case .skipScope: return "skips the required scope"
        }
    }
}
