import JOSE

/// How an intent token is bound to its agent's key (`cnf`, RFC 7800).
public enum BindingMethod: String, Hashable, Sendable, CaseIterable, Codable {
    /// `cnf.jkt`: the RFC 7638 thumbprint of the agent's DPoP key (RFC 9449 §6.1).
    case thumbprint = "jkt"
    /// `cnf.jwk`: the agent's public key itself (the proof of concept's legacy binding).
    case key = "jwk"

    /// The `cnf` binding a token to `key` this way.
    public func confirmation(for key: JWSVerificationKey) -> IntentClaims.Confirmation {
        switch self {
        case .thumbprint: return .jkt(JWK(key: key).thumbprintBase64URL)
        case .key: return .jwk(key)
        }
    }
}
