/// Every error raised by the JOSE module. Each case has a stable snake_case
/// ``code`` meant for reports and conformance tables; the associated values
/// and ``description`` are for humans and may change.
public enum JOSEError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: Structure and encoding
    /// The compact serialization is structurally wrong (part count, empty token, non-object JSON…).
    case malformedToken(String)
    /// The token exceeds the configured size cap.
    case tokenTooLarge(size: Int, limit: Int)
    /// A base64url segment is not strict unpadded base64url (RFC 7515 §2).
    case invalidBase64(String)
    /// Text is not strict JSON (RFC 8259).
    case invalidJSON(String)
    /// A JSON object repeats a member name.
    case duplicateKey(String)
    /// JSON nesting exceeds the configured depth.
    case nestingTooDeep(limit: Int)

    // MARK: Header and algorithm
    /// A required header parameter is absent.
    case missingHeader(String)
    /// A header parameter has the wrong type or value.
    case invalidHeader(name: String, reason: String)
    /// The `alg` value is not one this module implements.
    case unsupportedAlgorithm(String)
    /// The token declares `alg: none` in some casing; never accepted by a verifier.
    case algorithmNone(String)
    /// The algorithm is implemented but not in the verifier's allow-list.
    case algorithmNotAllowed(String)
    /// An HMAC algorithm (`HS*`) was presented to a verifier that holds asymmetric keys:
    /// the classic algorithm-confusion attack. `matchedSecret` names the form of the public
    /// key that the forger used as HMAC secret, when it could be identified.
    case algorithmConfusion(algorithm: String, matchedSecret: String?)
    /// The algorithm cannot be used with the selected key's type.
    case keyTypeMismatch(algorithm: String, keyType: String)
    /// The selected JWK pins an `alg` different from the token's.
    case keyAlgorithmMismatch(keyAlgorithm: String, tokenAlgorithm: String)
    /// The selected JWK has a `use` other than `sig`.
    case keyUseMismatch(String)
    /// The token's `kid` names no key in the set.
    case unknownKeyID(String)
    /// The token has no `kid` and the key set holds more than one key.
    case missingKeyID(candidates: Int)
    /// The key set is empty.
    case noVerificationKey
    /// A header parameter that could carry or point to a key (`jwk`, `jku`, `x5u`, `x5c`) was present.
    case untrustedHeaderKey(String)
    /// A `crit` header lists a parameter the verifier does not understand, or `crit` is malformed.
    case unsupportedCriticalHeader(String)
    /// The `typ` header does not match the expected type.
    case typeMismatch(expected: String, actual: String?)
    /// The signature does not verify (includes empty and wrongly sized signatures).
    case invalidSignature

    // MARK: Keys
    /// A key (JWK, PEM, raw bytes) is malformed.
    case invalidKey(String)
    /// The `kty`/`crv` combination is not supported.
    case unsupportedKeyType(String)
    /// Two keys in a JWKS share the same `kid`.
    case duplicateKeyID(String)
    /// PEM text is malformed or has an unexpected label.
    case invalidPEM(String)
    /// Producing a signature failed.
    case signingFailed(String)

    // MARK: Claims
    /// `exp` (plus leeway) is not after now.
    case expired(exp: Int64, now: Int64)
    /// `nbf` (minus leeway) is after now.
    case notYetValid(nbf: Int64, now: Int64)
    /// `iat` (minus leeway) is after now.
    case issuedInFuture(iat: Int64, now: Int64)
    /// The token's lifetime exceeds the allowed maximum.
    case lifetimeTooLong(lifetime: Int64, limit: Int64)
    /// The required audience is not among the token's audiences.
    case audienceMismatch(expected: String, actual: [String])
    /// The issuer is not the expected one.
    case issuerMismatch(expected: String, actual: String?)
    /// A required claim is absent.
    case missingClaim(String)
    /// A claim has the wrong type or value.
    case invalidClaim(name: String, reason: String)

    /// A stable machine-readable code.
    public var code: String {
        switch self {
        case .malformedToken: return "malformed_token"
        case .tokenTooLarge: return "token_too_large"
        case .invalidBase64: return "invalid_base64"
        case .invalidJSON: return "invalid_json"
        case .duplicateKey: return "duplicate_key"
        case .nestingTooDeep: return "nesting_too_deep"
        case .missingHeader: return "missing_header"
        case .invalidHeader: return "invalid_header"
        case .unsupportedAlgorithm: return "unsupported_algorithm"
        case .algorithmNone: return "alg_none"
        case .algorithmNotAllowed: return "algorithm_not_allowed"
        case .algorithmConfusion: return "algorithm_confusion"
        case .keyTypeMismatch: return "key_type_mismatch"
        case .keyAlgorithmMismatch: return "key_algorithm_mismatch"
        case .keyUseMismatch: return "key_use_mismatch"
        case .unknownKeyID: return "unknown_key_id"
        case .missingKeyID: return "missing_key_id"
        case .noVerificationKey: return "no_verification_key"
        case .untrustedHeaderKey: return "untrusted_header_key"
        case .unsupportedCriticalHeader: return "unsupported_critical_header"
        case .typeMismatch: return "type_mismatch"
        case .invalidSignature: return "invalid_signature"
        case .invalidKey: return "invalid_key"
        case .unsupportedKeyType: return "unsupported_key_type"
        case .duplicateKeyID: return "duplicate_key_id"
        case .invalidPEM: return "invalid_pem"
        case .signingFailed: return "signing_failed"
        case .expired: return "expired"
        case .notYetValid: return "not_yet_valid"
        case .issuedInFuture: return "issued_in_future"
        case .lifetimeTooLong: return "lifetime_too_long"
        case .audienceMismatch: return "audience_mismatch"
        case .issuerMismatch: return "issuer_mismatch"
        case .missingClaim: return "missing_claim"
        case .invalidClaim: return "invalid_claim"
        }
    }

    /// A readable message naming the failure and its detail.
    public var description: String {
        switch self {
        case let .malformedToken(why): return "malformed token: \(why)"
        case let .tokenTooLarge(size, limit): return "token too large: \(size) bytes (limit \(limit))"
        case let .invalidBase64(why): return "invalid base64url: \(why)"
        case let .invalidJSON(why): return "invalid JSON: \(why)"
        case let .duplicateKey(name): return "duplicate JSON member \"\(name)\""
        case let .nestingTooDeep(limit): return "JSON nesting deeper than \(limit) levels"
        case let .missingHeader(name): return "missing header parameter \"\(name)\""
        case let .invalidHeader(name, why): return "invalid header parameter \"\(name)\": \(why)"
        case let .unsupportedAlgorithm(alg): return "unsupported algorithm \"\(alg)\""
        case let .algorithmNone(alg): return "unsecured algorithm \"\(alg)\" refused"
        case let .algorithmNotAllowed(alg): return "algorithm \"\(alg)\" not in the allow-list"
        case let .algorithmConfusion(alg, secret):
            return "symmetric algorithm \"\(alg)\" refused with an asymmetric key"
                + (secret.map { " (forged with the public key as \($0))" } ?? "")
        case let .keyTypeMismatch(alg, kty): return "algorithm \"\(alg)\" cannot be used with a \(kty) key"
        case let .keyAlgorithmMismatch(k, t): return "key is pinned to \"\(k)\" but token uses \"\(t)\""
        case let .keyUseMismatch(use): return "key use \"\(use)\" is not \"sig\""
        case let .unknownKeyID(kid): return "unknown key id \"\(kid)\""
        case let .missingKeyID(n): return "token has no kid and \(n) keys are candidates"
        case .noVerificationKey: return "no verification key"
        case let .untrustedHeaderKey(name): return "header parameter \"\(name)\" carries key material that is never trusted"
        case let .unsupportedCriticalHeader(name): return "critical header \"\(name)\" not understood"
        case let .typeMismatch(expected, actual): return "typ \(actual.map { "\"\($0)\"" } ?? "absent"), expected \"\(expected)\""
        case .invalidSignature: return "invalid signature"
        case let .invalidKey(why): return "invalid key: \(why)"
        case let .unsupportedKeyType(what): return "unsupported key type \(what)"
        case let .duplicateKeyID(kid): return "duplicate key id \"\(kid)\" in key set"
        case let .invalidPEM(why): return "invalid PEM: \(why)"
        case let .signingFailed(why): return "signing failed: \(why)"
        case let .expired(exp, now): return "expired at \(exp) (now \(now))"
        case let .notYetValid(nbf, now): return "not valid before \(nbf) (now \(now))"
        case let .issuedInFuture(iat, now): return "issued in the future at \(iat) (now \(now))"
        case let .lifetimeTooLong(l, limit): return "lifetime \(l)s exceeds \(limit)s"
        case let .audienceMismatch(expected, actual): return "audience \(actual) does not contain \"\(expected)\""
        case let .issuerMismatch(expected, actual): return "issuer \(actual.map { "\"\($0)\"" } ?? "absent"), expected \"\(expected)\""
        case let .missingClaim(name): return "missing claim \"\(name)\""
        case let .invalidClaim(name, why): return "invalid claim \"\(name)\": \(why)"
        }
    }
}
