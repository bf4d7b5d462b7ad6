import BatonCrypto
import Crypto
import _CryptoExtras

/// A key that produces JWS signatures.
///
/// ``hs256(secret:)`` and ``unsecured`` exist for the attack range: forging
/// "HS256 keyed with the public key" tokens and `alg: none` tokens. No verifier
/// in this module accepts what they produce.
public enum JWSSigningKey: Sendable {
    /// Ed25519 (`EdDSA`); deterministic signatures.
    case ed25519(Ed25519.PrivateKey)
    /// P-256 (`ES256`); deterministic signatures (the nonce of RFC 6979).
    case p256(P256.Signing.PrivateKey)
    /// RSA (`RS256`, PKCS#1 v1.5 with SHA-256); deterministic signatures.
    case rsa(_RSA.Signing.PrivateKey)
    /// HMAC-SHA-256 with an arbitrary secret (`HS256`). Forging only.
    case hs256(secret: [UInt8])
    /// No signature (`none`). Forging only.
    case unsecured

    /// The algorithm this key signs with.
    public var algorithm: JWSAlgorithm {
        switch self {
        case .ed25519: return .eddsa
        case .p256: return .es256
        case .rsa: return .rs256
        case .hs256: return .hs256
        case .unsecured: return .none
        }
    }

    /// The matching public key, for asymmetric keys.
    public var verificationKey: JWSVerificationKey? {
        switch self {
        case let .ed25519(k): return .ed25519(k.publicKey)
        case let .p256(k): return .p256(k.publicKey)
        case let .rsa(k): return .rsa(k.publicKey)
        case .hs256, .unsecured: return nil
        }
    }

    /// A P-256 key from its 32-byte private scalar.
    public static func p256(scalar: [UInt8]) throws -> JWSSigningKey {
        do { return .p256(try P256.Signing.PrivateKey(rawRepresentation: scalar)) } catch {
            throw JOSEError.invalidKey("invalid P-256 private scalar")
        }
    }

    /// A valid P-256 scalar derived from `material`: its SHA-256, hashed again until it is a valid
    /// scalar (almost always at once). The same material always gives the same scalar.
    public static func p256Scalar(derivedFrom material: [UInt8]) -> [UInt8] {
        var scalar = BatonCrypto.SHA256.hash(material)
        while (try? P256.Signing.PrivateKey(rawRepresentation: scalar)) == nil { scalar = BatonCrypto.SHA256.hash(scalar) }
        return scalar
    }

    /// The P-256 key of ``p256Scalar(derivedFrom:)``.
    public static func p256(derivedFrom material: [UInt8]) -> JWSSigningKey {
        let scalar = p256Scalar(derivedFrom: material)
        // The scalar was checked valid above.
        guard let key = try? P256.Signing.PrivateKey(rawRepresentation: scalar) else { preconditionFailure("a checked P-256 scalar") }
        return .p256(key)
    }

    /// An RSA key from a PEM block (`RSA PRIVATE KEY` or `PRIVATE KEY`); at least 2048 bits.
    public static func rsa(pem: String) throws -> JWSSigningKey {
        do { return .rsa(try _RSA.Signing.PrivateKey(pemRepresentation: pem)) } catch {
            throw JOSEError.invalidKey("RSA private key refused: \(error)")
        }
    }

    /// An RSA key from its DER (PKCS#1 `RSAPrivateKey` or PKCS#8); at least 2048 bits.
    public static func rsa(der: [UInt8]) throws -> JWSSigningKey {
        do { return .rsa(try _RSA.Signing.PrivateKey(derRepresentation: der)) } catch {
            throw JOSEError.invalidKey("RSA private key refused: \(error)")
        }
    }

    /// Signs the JWS signing input (`BASE64URL(header) '.' BASE64URL(payload)` as ASCII bytes).
    public func sign(_ signingInput: [UInt8]) throws -> [UInt8] {
        switch self {
        case let .ed25519(k):
            return k.signature(for: signingInput)
        case let .p256(k):
            return try DeterministicP256.sign(signingInput, with: k)
        case let .rsa(k):
            do { return Array(try k.signature(for: signingInput, padding: .insecurePKCS1v1_5).rawRepresentation) } catch {
                throw JOSEError.signingFailed("RSA: \(error)")
            }
        case let .hs256(secret):
            return HMACSHA256.mac(signingInput, secret: secret)
        case .unsecured:
            return []
        }
    }
}

/// HMAC-SHA-256 over swift-crypto.
enum HMACSHA256 {
    static func mac(_ message: [UInt8], secret: [UInt8]) -> [UInt8] {
        Array(HMAC<Crypto.SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
    }

    /// Constant-time comparison of equal-length byte strings.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
