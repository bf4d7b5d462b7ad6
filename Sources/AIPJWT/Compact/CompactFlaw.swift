/// One defence removed from ``CompactVerifier``: the flawed-verifier gallery of the
/// compact profile. Each variant is a mistake a real JWT verifier makes; the scenarios
/// must catch every one (`baton run --iut flawed:compact-NAME`, `baton kill-matrix`).
/// Never used outside the attack range.
public enum CompactFlaw: String, Hashable, Sendable, CaseIterable, Codable {
    /// `typ` is not checked: any JWT of the issuer (an ID token, another profile's token) passes.
    case skipType = "compact-skip-type"
    /// `alg: none` (any casing) is accepted, and such a token's signature is not checked.
    case acceptAlgNone = "compact-accept-alg-none"
    /// `HS256` is accepted and verified with the issuer's public key as the HMAC secret.
    case hmacWithPublicKey = "compact-hmac-with-public-key"
    /// A `jwk` in the header is allowed and the signature is verified with it.
    case trustEmbeddedJWK = "compact-trust-embedded-jwk"
    /// `kid` selects the verification key: an AIP identifier (before any `#`), resolved through the
    /// registry like an issuer, or, under a configured key, any self-certifying `aip:key:` it names.
    case trustKid = "compact-trust-kid"
    /// `crit` is ignored: a token whose issuer made an extension critical passes without it.
    case ignoreCrit = "compact-ignore-crit"
    /// `iss` is not bound to the key: the signature may verify under any trusted key.
    case anyIssuerKey = "compact-any-issuer-key"
    /// The signature is not checked at all (decode only).
    case skipSignature = "compact-skip-signature"
    /// Claims are coerced into their types: `"2"` and `1.5` read as integers, a scope string as a list.
    case coerceClaimTypes = "compact-coerce-claim-types"
    /// Claim values are not validated: negative `max_depth` or `budget_usd`, an empty scope, a non-AIP `sub`.
    case skipClaimValues = "compact-skip-claim-values"
    /// `exp` is not compared with the clock.
    case skipExpiry = "compact-skip-expiry"
    /// `iat` and `nbf` are not compared with the clock.
    case skipNotBefore = "compact-skip-not-before"
    /// `sub` need not be the receiving agent.
    case skipAudience = "compact-skip-audience"
    /// The requested scope is not checked against `scope`.
    case skipScope = "compact-skip-scope"
    /// Revocation status is not consulted (nor its staleness).
    case skipRevocation = "compact-skip-revocation"

    /// What the flaw does, for the kill matrix.
    public var summary: String {
        switch self {
        case .skipType: return "skips typ"
        case .acceptAlgNone: return "accepts alg none"
        case .hmacWithPublicKey: return "HS256 keyed with the issuer's public key"
        case .trustEmbeddedJWK: return "trusts a jwk embedded in the header"
        case .trustKid: return "kid selects the key"
        case .ignoreCrit: return "ignores crit"
        case .anyIssuerKey: return "any trusted key verifies, whatever iss says"
        case .skipSignature: return "never checks the signature"
        case .coerceClaimTypes: return "coerces claim types"
        case .skipClaimValues: return "skips claim value checks"
        case .skipExpiry: return "skips exp"
        case .skipNotBefore: return "skips iat and nbf"
        case .skipAudience: return "skips sub as audience"
        case .skipScope: return "skips the required scope"
        case .skipRevocation: return "skips revocation"
        }
    }

    /// The check of ``CompactVerifier`` that refuses this flaw's typical attack in the sound
    /// verifier (for `compact-any-issuer-key` and `compact-trust-kid`, a token signed by
    /// another trusted agent: refused at `signature`).
    public var check: CompactCheck {
        switch self {
        case .skipType: return .type
        case .acceptAlgNone, .hmacWithPublicKey: return .algorithm
        case .trustEmbeddedJWK, .ignoreCrit: return .headerKeys
        case .trustKid, .anyIssuerKey, .skipSignature: return .signature
        case .coerceClaimTypes, .skipClaimValues: return .claims
        case .skipExpiry: return .expiry
        case .skipNotBefore: return .notBefore
        case .skipAudience: return .audience
        case .skipScope: return .scope
        case .skipRevocation: return .revocation
        }
    }
}
