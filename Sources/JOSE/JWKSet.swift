/// A JSON Web Key Set (RFC 7517 §5) with strict key selection.
///
/// Selection never "tries every key": a token's `kid` must name exactly one key, and a
/// token without `kid` is only accepted when the set holds a single key.
public struct JWKSet: Sendable, Equatable {
    /// The keys, in order.
    public let keys: [JWK]

    /// Builds a set; `kid` values must be unique.
    public init(keys: [JWK]) throws {
        var seen = Set<String>()
        for k in keys {
            if let kid = k.keyID, !seen.insert(kid).inserted { throw JOSEError.duplicateKeyID(kid) }
        }
        self.keys = keys
    }

    /// A set holding one key.
    public init(_ key: JWK) {
        self.keys = [key]
    }

    /// Parses `{"keys": [...]}`. Every entry must be a supported public key; an unsupported
    /// entry is an error rather than silently skipped, so a set never shrinks unnoticed.
    public init(json: JSONObject) throws {
        guard let v = json["keys"] else { throw JOSEError.invalidKey("JWKS has no \"keys\" member") }
        guard case let .array(items) = v else { throw JOSEError.invalidKey("\"keys\" must be an array") }
        try self.init(
            keys: items.map {
                guard case let .object(o) = $0 else { throw JOSEError.invalidKey("JWKS entry is not an object") }
                return try JWK(json: o)
            })
    }

    /// Parses JWKS JSON text.
    public init(jsonText: String) throws {
        try self.init(json: JSONParser.parseObject(Array(jsonText.utf8), maxDepth: 8))
    }

    /// The set as JSON.
    public var json: JSONObject { ["keys": .array(keys.map { .object($0.json) })] }

    /// The key with this `kid`.
    public func key(withID kid: String) throws -> JWK {
        guard let k = keys.first(where: { $0.keyID == kid }) else { throw JOSEError.unknownKeyID(kid) }
        return k
    }

    /// Selects the key for a token: by `kid` when present (unknown → ``JOSEError/unknownKeyID(_:)``);
    /// without `kid`, the only key of a one-key set (otherwise ``JOSEError/missingKeyID(candidates:)``).
    public func select(keyID kid: String?) throws -> JWK {
        if let kid { return try key(withID: kid) }
        guard let only = keys.first else { throw JOSEError.noVerificationKey }
        guard keys.count == 1 else { throw JOSEError.missingKeyID(candidates: keys.count) }
        return only
    }
}
