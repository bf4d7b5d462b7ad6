import BatonCrypto
import BatonHarness
import BatonModel
import JOSE

/// What the JWT profiles need to know of a run to sign and forge: which algorithm the agents
/// sign with, which public key the verifier trusts, and (to model a compromised issuer) the
/// issuer's own signing key. The token-exchange driver sets it when it sets up the service;
/// the compact profile keeps the defaults (EdDSA, the trusted root agent's key).
struct JWTSigning: RunStateKey, Sendable {
    /// The agents sign with ES256 (a P-256 key derived from the agent's seed) instead of EdDSA.
    var usesP256 = false
    /// The agents sign with fixed RSA keys (RS256), as forgers of an RSA issuer's tokens do.
    var usesRSA = false
    /// The public key the verifier trusts (nil: the trusted root agent's).
    var trustedKey: JWSVerificationKey?
    /// The issuer's own signing key, for `sign: sts` (nil: there is no such issuer).
    var issuerKey: JWSSigningKey?

    static var defaultValue: JWTSigning { JWTSigning() }
}

extension RunState {
    /// An agent's JWT signing key: its Ed25519 key, a P-256 key derived from the same seed, or a fixed RSA key.
    func jwtKey(_ name: String, salt: String = "") -> JWSSigningKey {
        let ed = key(name, salt: salt)
        if self[JWTSigning.self].usesRSA { return FixedRSAKeys.foreign(name + salt) }
        guard self[JWTSigning.self].usesP256 else { return .ed25519(ed) }
        return .p256(derivedFrom: Array("baton-p256:".utf8) + ed.seed)
    }
}
