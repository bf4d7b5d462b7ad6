import AIP

/// One defence removed from ``JWTChainVerifier``: the flaw gallery of the JWT-chain profile.
/// Each is a mistake a real verifier of this encoding makes; the scenarios must catch every
/// one (`baton kill-matrix`). Never used outside the attack range.
public enum JWTChainFlaw: String, Hashable, Sendable, CaseIterable, Codable {
    /// No signature is checked: links are decoded only.
    case skipSignatures = "jwt-chain-skip-signatures"
    /// A delegation link verifies under any key the chain names in a `cnf` (its own included), not
    /// only the previous holder's: anyone can append a link that names, and is signed by, their key.
    case selfSignedLinks = "jwt-chain-self-signed-links"
    /// `prev` is not compared with the hash of the previous link.
    case skipPrevious = "jwt-chain-skip-prev"
    /// A link's `iss` need not be the previous link's `sub`.
    case skipIssuerContinuity = "jwt-chain-skip-iss-continuity"
    /// `alg: none` (any casing) is accepted on a link, whose signature is then not checked.
    case acceptAlgNone = "jwt-chain-accept-alg-none"
    /// The root key is not bound to the issuer's identity.
    case skipRootBinding = "jwt-chain-skip-root-binding"
    /// No depth limit.
    case skipDepth = "jwt-chain-skip-depth"
    /// No attenuation walk: the leaf's declared values are taken as they are.
    case skipWalk = "jwt-chain-skip-walk"
    /// Delegation links' own `exp` is ignored (only the authority's counts).
    case skipLinkExpiry = "jwt-chain-skip-link-expiry"
    /// An empty or absent `aip_ctx` is accepted.
    case skipContext = "jwt-chain-skip-context"
    /// The leaf's `sub` need not be the receiving agent: a prefix of a longer chain replays.
    case skipAudience = "jwt-chain-skip-audience"
    /// The requested tool is never checked.
    case skipScope = "jwt-chain-skip-scope"
    /// Revocation is not consulted.
    case skipRevocation = "jwt-chain-skip-revocation"

    /// What the flaw does, for the kill matrix.
    public var summary: String {
        switch self {
        case .skipSignatures: return "V1: never checks signatures"
        case .selfSignedLinks: return "V1: a link verifies under any cnf key of the chain, its own included"
        case .skipPrevious: return "V1: prev not checked"
        case .skipIssuerContinuity: return "V1: iss need not be the previous sub"
        case .acceptAlgNone: return "V1: accepts alg none"
        case .skipRootBinding: return "V2: root key not bound to the issuer"
        case .skipDepth: return "V3: no depth limit"
        case .skipWalk: return "V4: no attenuation walk"
        case .skipLinkExpiry: return "V4: delegation links' exp ignored"
        case .skipContext: return "V5: empty context accepted"
        case .skipAudience: return "AUD: leaf sub need not be the receiver"
        case .skipScope: return "V6: requested tool never checked"
        case .skipRevocation: return "V7: revocation not consulted"
        }
    }

    /// The step whose check the flaw removes.
    public var step: VerificationStep {
        switch self {
        case .skipSignatures, .selfSignedLinks, .skipPrevious, .skipIssuerContinuity, .acceptAlgNone: return .v1
        case .skipRootBinding: return .v2
        case .skipDepth: return .v3
        case .skipWalk, .skipLinkExpiry: return .v4
        case .skipContext: return .v5
        case .skipAudience: return .audience
        case .skipScope: return .v6
        case .skipRevocation: return .v7
        }
    }
}
