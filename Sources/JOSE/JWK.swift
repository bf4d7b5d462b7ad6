import BatonCrypto
import Crypto
import _CryptoExtras

/// A public JSON Web Key (RFC 7517) for Ed25519 (`kty: OKP`, RFC 8037), P-256 (`kty: EC`) or RSA (`kty: RSA`).
///
/// Parsing refuses private members (`d`) — a public key set that carries private keys is
/// a misconfiguration; use ``JWK/signingKey(from:)`` to read a private JWK on purpose.
public struct JWK: Sendable, Equatable {
    /// The key material.
    public var key: JWSVerificationKey
    /// `kid`, if any.
    public var keyID: String?
    /// `alg`, if the key is pinned to one algorithm.
    public var algorithm: String?
    /// `use`, e.g. `sig`.
    public var use: String?

    /// A key with optional `kid`, `alg` and `use` members.
    public init(key: JWSVerificationKey, keyID: String? = nil, algorithm: String? = nil, use: String? = nil) {
        self.key = key
        self.keyID = keyID
        self.algorithm = algorithm
        self.use = use
    }

    /// Parses a public JWK object.
    public init(json: JSONObject) throws {
        if json.contains("d") { throw JOSEError.invalidKey("private member \"d\" in a public JWK") }
        self.key = try Self.publicKey(from: json)
        self.keyID = try Self.optionalString(json, "kid")
        self.algorithm = try Self.optionalString(json, "alg")
        self.use = try Self.optionalString(json, "use")
    }

    /// Parses a public JWK from JSON text.
    public init(jsonText: String) throws {
        try self.init(json: JSONParser.parseObject(Array(jsonText.utf8), maxDepth: 8))
    }

    /// The JWK as a JSON object (public members only).
    public var json: JSONObject {
        var obj = Self.requiredMembers(of: key)
        if let keyID { obj["kid"] = .string(keyID) }
        if let algorithm { obj["alg"] = .string(algorithm) }
        if let use { obj["use"] = .string(use) }
        return obj
    }

    /// The RFC 7638 thumbprint: SHA-256 of the required members in canonical JSON.
    public var thumbprint: [UInt8] { Self.thumbprint(of: key) }

    /// The RFC 7638 thumbprint, base64url without padding (a common `kid` choice).
    public var thumbprintBase64URL: String { StrictBase64URL.encode(thumbprint) }

    /// The RFC 7638 thumbprint of a key.
    public static func thumbprint(of key: JWSVerificationKey) -> [UInt8] {
        BatonCrypto.SHA256.hash(requiredMembers(of: key).serialized())
    }

    /// The members RFC 7638 hashes: `crv, kty, x` for OKP; `crv, kty, x, y` for EC; `e, kty, n` for RSA.
    static func requiredMembers(of key: JWSVerificationKey) -> JSONObject {
        switch key {
        case let .ed25519(k):
            return ["crv": "Ed25519", "kty": "OKP", "x": .string(StrictBase64URL.encode(k.bytes))]
        case let .p256(k):
            let raw = Array(k.rawRepresentation)  // x ‖ y, 64 bytes
            return [
                "crv": "P-256", "kty": "EC",
                "x": .string(StrictBase64URL.encode(Array(raw.prefix(32)))),
                "y": .string(StrictBase64URL.encode(Array(raw.suffix(32)))),
            ]
        case let .rsa(k):
            // Both are unsigned big-endian integers without leading zero octets (RFC 7518 §6.3.1).
            // A key swift-crypto constructed always has its primitives; without them two keys would share a
            // thumbprint, so this must stop rather than go on.
            guard let p = try? k.getKeyPrimitives() else { preconditionFailure("an RSA public key without modulus and exponent") }
            func trimmed(_ d: [UInt8]) -> [UInt8] { Array(d.drop { $0 == 0 }) }
            return [
                "kty": "RSA", "n": .string(StrictBase64URL.encode(trimmed(Array(p.modulus)))),
                "e": .string(StrictBase64URL.encode(trimmed(Array(p.publicExponent)))),
            ]
        }
    }

    // MARK: Private JWKs

    /// Reads a private JWK (`d` present) as a signing key. Checks that `d` matches `x`/`y`.
    public static func signingKey(from json: JSONObject) throws -> JWSSigningKey {
        guard let dText = try optionalString(json, "d") else { throw JOSEError.invalidKey("missing \"d\"") }
        let d = try member(dText, "d")
        let publicKey = try publicKey(from: json)
        let signing: JWSSigningKey
        switch publicKey {
        case .ed25519:
            guard d.count == 32 else { throw JOSEError.invalidKey("Ed25519 \"d\" must be 32 bytes") }
            signing = .ed25519(try Ed25519.PrivateKey(seed: d))
        case .p256:
            guard d.count == 32 else { throw JOSEError.invalidKey("P-256 \"d\" must be 32 bytes") }
            signing = try .p256(scalar: d)
        case .rsa:
            throw JOSEError.unsupportedKeyType("private RSA JWKs (read RSA keys from PEM)")
        }
        guard signing.verificationKey == publicKey else { throw JOSEError.invalidKey("\"d\" does not match the public key") }
        return signing
    }

    /// A private JWK for an asymmetric signing key (public members plus `d`).
    public static func privateJSON(of key: JWSSigningKey, keyID: String? = nil) throws -> JSONObject {
        guard let pub = key.verificationKey else { throw JOSEError.unsupportedKeyType("\(key.algorithm.rawValue) has no JWK form") }
        var obj = JWK(key: pub, keyID: keyID).json
        switch key {
        case let .ed25519(k): obj["d"] = .string(StrictBase64URL.encode(k.seed))
        case let .p256(k): obj["d"] = .string(StrictBase64URL.encode(Array(k.rawRepresentation)))
        case .rsa: throw JOSEError.unsupportedKeyType("private RSA JWKs (keep RSA keys in PEM)")
        case .hs256, .unsecured: break
        }
        return obj
    }

    // MARK: Helpers

    static func publicKey(from json: JSONObject) throws -> JWSVerificationKey {
        guard let kty = try optionalString(json, "kty") else { throw JOSEError.invalidKey("missing \"kty\"") }
        let crv = try optionalString(json, "crv")
        switch (kty, crv) {
        case ("OKP", "Ed25519"?):
            guard let x = try optionalString(json, "x") else { throw JOSEError.invalidKey("missing \"x\"") }
            let bytes = try member(x, "x")
            guard bytes.count == 32 else { throw JOSEError.invalidKey("Ed25519 \"x\" must be 32 bytes, got \(bytes.count)") }
            return .ed25519(try Ed25519.PublicKey(bytes: bytes))
        case ("EC", "P-256"?):
            guard let x = try optionalString(json, "x"), let y = try optionalString(json, "y") else {
                throw JOSEError.invalidKey("missing \"x\" or \"y\"")
            }
            let xb = try member(x, "x"), yb = try member(y, "y")
            guard xb.count == 32, yb.count == 32 else { throw JOSEError.invalidKey("P-256 coordinates must be 32 bytes each") }
            do {
                return .p256(try P256.Signing.PublicKey(x963Representation: [0x04] + xb + yb))
            } catch {
                throw JOSEError.invalidKey("P-256 point is not on the curve")
            }
        case ("RSA", nil):
            guard let n = try optionalString(json, "n"), let e = try optionalString(json, "e") else {
                throw JOSEError.invalidKey("missing \"n\" or \"e\"")
            }
            let nb = try member(n, "n"), eb = try member(e, "e")
            guard nb.first != 0, eb.first != 0 else { throw JOSEError.invalidKey("RSA \"n\" and \"e\" must have no leading zero octets") }
            return try .rsa(modulus: nb, exponent: eb)
        default:
            throw JOSEError.unsupportedKeyType("kty \(kty), crv \(crv ?? "absent")")
        }
    }

    static func optionalString(_ json: JSONObject, _ name: String) throws -> String? {
        guard let v = json[name] else { return nil }
        guard case let .string(s) = v else { throw JOSEError.invalidKey("\"\(name)\" must be a string") }
        return s
    }

    static func member(_ text: String, _ name: String) throws -> [UInt8] {
        do { return try StrictBase64URL.decode(text, what: name) } catch {
            throw JOSEError.invalidKey("\"\(name)\" is not unpadded base64url")
        }
    }
}
