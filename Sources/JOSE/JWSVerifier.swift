/// Verifies JWS signatures against a fixed key set and algorithm allow-list.
///
/// Checks, in order: `alg` present; `alg` is not any casing of `none`
/// (``JOSEError/algorithmNone(_:)``, even if listed); `alg` is not `HS*`
/// (``JOSEError/algorithmConfusion(algorithm:matchedSecret:)``, since only public keys are
/// held); `alg` is implemented and allowed; the ``JWSHeaderPolicy``; key selection by `kid`
/// (never trying all keys); the key's `use` and pinned `alg`; key type vs. algorithm; the signature.
/// Keys embedded in or referenced by the header are never used.
public struct JWSVerifier: Sendable {
    /// The trusted keys.
    public var keys: JWKSet
    /// Algorithms accepted; `none` and `HS256` are refused even if listed.
    public var allowedAlgorithms: Set<JWSAlgorithm>
    /// Header checks.
    public var headerPolicy: JWSHeaderPolicy

    /// A verifier trusting `keys` for the algorithms in `allowedAlgorithms`, with `headerPolicy` applied first.
    public init(keys: JWKSet, allowedAlgorithms: Set<JWSAlgorithm>, headerPolicy: JWSHeaderPolicy = JWSHeaderPolicy()) {
        self.keys = keys
        self.allowedAlgorithms = allowedAlgorithms
        self.headerPolicy = headerPolicy
    }

    /// A verifier with a single key; the allow-list defaults to the key's own algorithm.
    public init(
        key: JWSVerificationKey, keyID: String? = nil, allowedAlgorithms: Set<JWSAlgorithm>? = nil,
        headerPolicy: JWSHeaderPolicy = JWSHeaderPolicy()
    ) {
        self.init(
            keys: JWKSet(JWK(key: key, keyID: keyID)), allowedAlgorithms: allowedAlgorithms ?? [key.algorithm],
            headerPolicy: headerPolicy)
    }

    /// Verifies a parsed token and returns the key that verified it.
    @discardableResult
    public func verify(_ jws: JWS) throws -> JWK {
        guard let algValue = jws.header["alg"] else { throw JOSEError.missingHeader("alg") }
        guard case let .string(algName) = algValue else {
            throw JOSEError.invalidHeader(name: "alg", reason: "expected a string, found \(algValue.typeName)")
        }
        if JWSAlgorithm.isNoneVariant(algName) { throw JOSEError.algorithmNone(algName) }
        if JWSAlgorithm.isHMACVariant(algName) {
            let candidate = try? keys.select(keyID: jws.keyID)
            let matched = candidate.flatMap { AlgorithmConfusion.detect(jws, publicKey: $0.key) }
            throw JOSEError.algorithmConfusion(algorithm: algName, matchedSecret: matched)
        }
        let alg = try JWSAlgorithm(name: algName)
        guard alg.isAsymmetric, allowedAlgorithms.contains(alg) else { throw JOSEError.algorithmNotAllowed(algName) }

        try headerPolicy.check(jws.header)
        if let kidValue = jws.header["kid"], kidValue.stringValue == nil {
            throw JOSEError.invalidHeader(name: "kid", reason: "expected a string, found \(kidValue.typeName)")
        }

        let jwk = try keys.select(keyID: jws.keyID)
        if let use = jwk.use, use != "sig" { throw JOSEError.keyUseMismatch(use) }
        if let pinned = jwk.algorithm, pinned != algName {
            throw JOSEError.keyAlgorithmMismatch(keyAlgorithm: pinned, tokenAlgorithm: algName)
        }
        guard jwk.key.algorithm == alg else { throw JOSEError.keyTypeMismatch(algorithm: algName, keyType: jwk.key.keyTypeName) }
        guard jwk.key.isValidSignature(jws.signature, for: jws.signingInput, algorithm: alg) else {
            throw JOSEError.invalidSignature
        }
        return jwk
    }

    /// Parses and verifies a compact token.
    public func verify(_ token: String, options: JWS.ParseOptions = .default) throws -> JWS {
        let jws = try JWS.parse(token, options: options)
        try verify(jws)
        return jws
    }
}
