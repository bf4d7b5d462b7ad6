/// The JWS algorithms this module knows (RFC 7518, RFC 8037).
///
/// Only ``eddsa``, ``es256`` and ``rs256`` are ever accepted by ``JWSVerifier``. ``hs256`` exists to
/// forge and detect the "HMAC keyed with the public key" confusion attack, and ``none``
/// exists only to forge unsecured tokens.
public enum JWSAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// Ed25519 (RFC 8037).
    case eddsa = "EdDSA"
    /// ECDSA over P-256 with SHA-256; signature is raw `r ‖ s` (64 bytes).
    case es256 = "ES256"
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3); keys of at least 2048 bits.
    case rs256 = "RS256"
    /// HMAC-SHA-256. Forging and detection only.
    case hs256 = "HS256"
    /// Unsecured JWS (RFC 7515 §A.5). Forging only.
    case none = "none"

    /// Parses an `alg` value, case-sensitively as RFC 7515 requires.
    public init(name: String) throws {
        guard let alg = JWSAlgorithm(rawValue: name) else { throw JOSEError.unsupportedAlgorithm(name) }
        self = alg
    }

    /// Whether this is an asymmetric signature algorithm a verifier may accept.
    public var isAsymmetric: Bool { self == .eddsa || self == .es256 || self == .rs256 }

    /// Whether `name` is some casing of `none` (`none`, `None`, `NONE`, `nOnE`…).
    public static func isNoneVariant(_ name: String) -> Bool { name.lowercased() == "none" }

    /// Whether `name` is an HMAC algorithm name (`HS256`, `hs384`…), in any casing.
    public static func isHMACVariant(_ name: String) -> Bool { name.uppercased().hasPrefix("HS") }
}
