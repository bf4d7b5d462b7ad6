import BatonCrypto
import Crypto
import _CryptoExtras

/// A public key that can verify JWS signatures. Only asymmetric keys exist here:
/// there is deliberately no HMAC verification key, so a verifier can never be
/// tricked into using a public key as an HMAC secret.
public enum JWSVerificationKey: Sendable, Equatable {
    /// An Ed25519 public key, used with `EdDSA`.
    case ed25519(Ed25519.PublicKey)
    /// A P-256 public key, used with `ES256`.
    case p256(P256.Signing.PublicKey)
    /// An RSA public key of at least 2048 bits, used with `RS256`.
    case rsa(_RSA.Signing.PublicKey)

    /// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING }.
    static let ed25519SPKIPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

    /// The one algorithm this key verifies.
    public var algorithm: JWSAlgorithm {
        switch self {
        case .ed25519: return .eddsa
        case .p256: return .es256
        case .rsa: return .rs256
        }
    }

    /// A short description of the key type, e.g. `OKP/Ed25519` or `EC/P-256`.
    public var keyTypeName: String {
        switch self {
        case .ed25519: return "OKP/Ed25519"
        case .p256: return "EC/P-256"
        case let .rsa(k): return "RSA/\(k.keySizeInBits)"
        }
    }

    /// The raw public key bytes: 32 bytes for Ed25519, uncompressed `04 ‖ x ‖ y` (65 bytes) for P-256,
    /// the PKCS#1 `RSAPublicKey` DER for RSA.
    public var rawBytes: [UInt8] {
        switch self {
        case let .ed25519(k): return k.bytes
        case let .p256(k): return Array(k.x963Representation)
        case let .rsa(k): return Array(k.pkcs1DERRepresentation)
        }
    }

    /// DER SubjectPublicKeyInfo.
    public var spkiDER: [UInt8] {
        switch self {
        case let .ed25519(k): return Self.ed25519SPKIPrefix + k.bytes
        case let .p256(k): return Array(k.derRepresentation)
        case let .rsa(k): return Array(k.derRepresentation)
        }
    }

    /// PEM `PUBLIC KEY` block (SubjectPublicKeyInfo), 64-character lines, trailing newline.
    public var pem: String { PEM.encode(der: spkiDER, label: "PUBLIC KEY") }

    /// Imports a SubjectPublicKeyInfo DER for Ed25519, P-256 or RSA (at least 2048 bits).
    public init(spkiDER der: [UInt8]) throws {
        if der.count == 44, Array(der.prefix(12)) == Self.ed25519SPKIPrefix {
            self = .ed25519(try Ed25519.PublicKey(bytes: Array(der.suffix(32))))
            return
        }
        if let k = try? P256.Signing.PublicKey(derRepresentation: der) {
            self = .p256(k)
            return
        }
        if let k = try? _RSA.Signing.PublicKey(derRepresentation: der) {
            self = .rsa(k)
            return
        }
        throw JOSEError.invalidKey("SubjectPublicKeyInfo is not an Ed25519, P-256 or RSA (2048 bits or more) key")
    }

    /// An RSA public key from its modulus and exponent (big-endian bytes); at least 2048 bits.
    public static func rsa(modulus n: [UInt8], exponent e: [UInt8]) throws -> JWSVerificationKey {
        do { return .rsa(try _RSA.Signing.PublicKey(n: n, e: e)) } catch {
            throw JOSEError.invalidKey("RSA key refused (\(error)); RS256 needs a modulus of at least 2048 bits")
        }
    }

    /// Imports a PEM `PUBLIC KEY` block for Ed25519 or P-256.
    public init(pem: String) throws {
        let (label, der) = try PEM.decode(pem)
        guard label == "PUBLIC KEY" else { throw JOSEError.invalidPEM("expected PUBLIC KEY, found \(label)") }
        try self.init(spkiDER: der)
    }

    /// Checks a JWS signature over `signingInput` for `algorithm`. Returns false on any
    /// mismatch, including an algorithm this key does not serve or a wrongly sized signature.
    public func isValidSignature(_ signature: [UInt8], for signingInput: [UInt8], algorithm: JWSAlgorithm) -> Bool {
        switch (self, algorithm) {
        case let (.ed25519(k), .eddsa):
            return signature.count == 64 && k.isValidSignature(signature, for: signingInput)
        case let (.p256(k), .es256):
            guard signature.count == 64,
                let sig = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
            else { return false }
            return k.isValidSignature(sig, for: signingInput)
        case let (.rsa(k), .rs256):
            guard signature.count == (k.keySizeInBits + 7) / 8 else { return false }
            return k.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: signingInput, padding: .insecurePKCS1v1_5)
        default:
            return false
        }
    }

    /// Whether both are the same kind of key with the same public key material.
    public static func == (lhs: JWSVerificationKey, rhs: JWSVerificationKey) -> Bool {
        switch (lhs, rhs) {
        case let (.ed25519(a), .ed25519(b)): return a == b
        case let (.p256(a), .p256(b)): return a.x963Representation == b.x963Representation
        case let (.rsa(a), .rsa(b)): return a.derRepresentation == b.derRepresentation
        default: return false
        }
    }
}
