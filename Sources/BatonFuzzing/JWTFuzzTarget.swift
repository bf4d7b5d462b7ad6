import AIP
import AIPJWT
import BatonCrypto
import JOSE

/// Fuzz target `jwt`: bytes as a compact JWS/JWT (invalid UTF-8 is replaced).
///
/// Parses strictly with `JWS.parse`, verifies with `JWSVerifier`s holding the fixed
/// Ed25519 and P-256 keys (a two-key set selected by `kid`, and each key alone),
/// validates the claims with `JWTValidator`s at the fixed time whatever the
/// signature, reads every typed claim (`actorChain`, `audience`, scopes, dates…),
/// and imports any JWK found in the header or claims; the text also goes through the
/// AIP compact-token verifier (`CompactVerifier`, trusting the Ed25519 key). A parsed token is then
/// re-signed with the fixed Ed25519 key and verified again, so that mutated headers
/// and claims reach the code behind the signature check.
///
/// Invariants (each a ``FuzzFailure`` code):
/// - `reparse_differs`: a parsed token's compact form parses to the same token;
/// - `json_round_trip`: the header and claims serialize to JSON that parses back to them;
/// - `verifier_accepts_bad_token`: a verified token uses `EdDSA` or `ES256` with a key of
///   that type, and its signature is valid for that key (never `none`, never `HS*`);
/// - `jwt_verify_disagrees`: `JWT.verify` succeeds exactly when parse, verify and validate do;
/// - `claims_out_of_bounds`: an actor chain is never longer than `JWTClaims.maxActorDepth`;
/// - `compact_accepts_bad_token`: an accepted compact token is an `aip+jwt` EdDSA token without
///   key-carrying headers, validly signed by the trusted key, current at the fixed time, and
///   granting the requested scope.
public enum JWTFuzzTarget {
    /// The two-key set, selected by `kid`.
    static let keySet: JWKSet = {
        let keys = [
            JWK(key: .ed25519(FuzzKeys.jwtEd25519.publicKey), keyID: FuzzKeys.ed25519KeyID),
            JWK(key: FuzzKeys.jwtP256Public, keyID: FuzzKeys.p256KeyID),
        ]
        // The two key ids differ, so the set is valid.
        return (try? JWKSet(keys: keys)) ?? JWKSet(keys[0])
    }()

    static let verifiers: [JWSVerifier] = [
        JWSVerifier(keys: keySet, allowedAlgorithms: [.eddsa, .es256]),
        JWSVerifier(key: .ed25519(FuzzKeys.jwtEd25519.publicKey)),
        JWSVerifier(
            key: FuzzKeys.jwtP256Public, keyID: FuzzKeys.p256KeyID,
            headerPolicy: JWSHeaderPolicy(expectedType: "JWT", understoodCriticalHeaders: ["aip"])),
    ]

    static let validators: [JWTValidator] = [
        JWTValidator(),
        JWTValidator(
            issuer: FuzzKeys.jwtIssuer, audience: FuzzKeys.jwtAudience, leeway: 60,
            requiredClaims: ["exp", "iat", "sub"], maxLifetime: 86_400),
    ]

    /// The AIP compact-token verifier, trusting the Ed25519 key for any AIP issuer.
    static let compactVerifier = CompactVerifier(trust: .key(FuzzKeys.jwtEd25519.publicKey, issuer: nil))
    /// The scope requested from the compact verifier.
    public static let requiredScope = "research:read"

    @discardableResult
    public static func run(_ data: [UInt8]) throws(FuzzFailure) -> FuzzReport {
        var report = FuzzReport()
        let text = String(decoding: data, as: UTF8.self)
        try checkCompact(text, stage: "", &report)
        let jws: JWS
        do { jws = try JWS.parse(text) } catch {
            try checkAgreement(text, parsed: nil, stage: "", &report)
            return report
        }
        report.reach("parsed")
        try checkReparse(jws)
        try checkJSON(jws.header, "header")
        try checkJSON(jws.claims, "claims")
        try readClaims(JWTClaims(jws.claims), &report)
        importKeys(jws)
        try checkAgreement(text, parsed: jws, stage: "", &report)
        // Mutations break signatures: sign the same header and payload with the fixed
        // Ed25519 key, so that fuzzed headers and claims get past the signature check.
        let signature = FuzzKeys.jwtEd25519.signature(for: jws.signingInput)
        let resigned = "\(jws.encodedHeader).\(jws.encodedPayload).\(StrictBase64URL.encode(signature))"
        if resigned != text, let again = try? JWS.parse(resigned) {
            report.reach("resigned")
            try checkAgreement(resigned, parsed: again, stage: "resigned_", &report)
            try checkCompact(resigned, stage: "resigned_", &report)
        }
        return report
    }

    // MARK: - Steps

    static func checkReparse(_ jws: JWS) throws(FuzzFailure) {
        guard let again = try? JWS.parse(jws.compact), again == jws else {
            throw failure("reparse_differs", "the compact form of a parsed token does not parse to the same token")
        }
        guard jws.signingInput == Array((jws.encodedHeader + "." + jws.encodedPayload).utf8) else {
            throw failure("reparse_differs", "the signing input is not the encoded header and payload")
        }
    }

    static func checkJSON(_ object: JSONObject, _ what: String) throws(FuzzFailure) {
        for sorted in [true, false] {
            let bytes = object.serialized(sortedKeys: sorted)
            guard let again = try? JSONParser.parseObject(bytes, maxDepth: JSONParser.defaultMaxDepth), again == object else {
                throw failure(
                    "json_round_trip", "the \(what) serialized as \(String(decoding: bytes.prefix(200), as: UTF8.self)) does not parse back")
            }
        }
    }

    /// Every typed accessor; none may trap, and the actor chain is bounded.
    static func readClaims(_ claims: JWTClaims, _ report: inout FuzzReport) throws(FuzzFailure) {
        _ = try? claims.issuer
        _ = try? claims.subject
        _ = try? claims.jwtID
        _ = try? claims.audience
        _ = try? claims.expiration
        _ = try? claims.notBefore
        _ = try? claims.issuedAt
        _ = try? claims.scope
        _ = try? claims.scopes
        _ = try? claims.grantedScopes
        _ = try? claims.delegationDepth
        if let chain = try? claims.actorChain {
            report.reach("actor_chain")
            guard chain.count <= JWTClaims.maxActorDepth else {
                throw failure("claims_out_of_bounds", "an actor chain of \(chain.count) actors was returned")
            }
        }
        for validator in validators {
            if (try? validator.validate(claims, now: FuzzKeys.now)) != nil { report.reach("claims_valid") }
        }
    }

    /// JWKs that appear in the token are imported (never trusted), to exercise the key parsers.
    static func importKeys(_ jws: JWS) {
        if case let .object(jwk)? = jws.header["jwk"] { _ = try? JWK(json: jwk) }
        if jws.claims.contains("kty") { _ = try? JWK(json: jws.claims) }
        if jws.claims.contains("keys") { _ = try? JWKSet(json: jws.claims) }
        if case let .object(cnf)? = jws.claims["cnf"], case let .object(jwk)? = cnf["jwk"] { _ = try? JWK(json: jwk) }
    }

    /// Each verifier and validator by hand, compared with `JWT.verify`. Milestones are
    /// prefixed with `stage` (`resigned_` for the re-signed token).
    static func checkAgreement(_ text: String, parsed: JWS?, stage: String, _ report: inout FuzzReport) throws(FuzzFailure) {
        for verifier in verifiers {
            var verifiedKey: JWK?
            if let parsed, let key = try? verifier.verify(parsed) {
                report.reach(stage + "signature_verified")
                try checkVerified(parsed, key: key)
                verifiedKey = key
            }
            for validator in validators {
                let manual = verifiedKey != nil && parsed.map { (try? validator.validate(JWTClaims($0.claims), now: FuzzKeys.now)) != nil } == true
                let combined = try? JWT.verify(text, verifier: verifier, validator: validator, now: FuzzKeys.now)
                guard manual == (combined != nil) else {
                    throw failure(
                        "jwt_verify_disagrees",
                        "JWT.verify \(combined != nil ? "accepts" : "refuses") what parse, verify and validate \(manual ? "accept" : "refuse")")
                }
                if let combined {
                    report.reach(stage + "jwt_verified")
                    guard combined.jws == parsed, combined.key == verifiedKey else {
                        throw failure("jwt_verify_disagrees", "JWT.verify returned another token or key")
                    }
                }
            }
        }
    }

    /// What a verifier accepted must be an asymmetric algorithm with a valid signature by a key of that type.
    static func checkVerified(_ jws: JWS, key: JWK) throws(FuzzFailure) {
        guard let name = jws.algorithmName, let alg = try? JWSAlgorithm(name: name), alg == .eddsa || alg == .es256 else {
            throw failure("verifier_accepts_bad_token", "a token with alg \(jws.algorithmName ?? "nil") was verified")
        }
        guard key.key.algorithm == alg, key.key.isValidSignature(jws.signature, for: jws.signingInput, algorithm: alg) else {
            throw failure("verifier_accepts_bad_token", "a \(name) token was verified with a key that does not verify it")
        }
        let known: [JWSVerificationKey] = [.ed25519(FuzzKeys.jwtEd25519.publicKey), FuzzKeys.jwtP256Public]
        guard known.contains(key.key) else {
            throw failure("verifier_accepts_bad_token", "a token was verified with a key the verifier does not hold")
        }
    }

    /// An accepted compact token must be what the compact profile allows.
    static func checkCompact(_ text: String, stage: String, _ report: inout FuzzReport) throws(FuzzFailure) {
        let verdict = compactVerifier.verify(text, requiredScope: requiredScope, now: FuzzKeys.now)
        guard let verified = verdict.verified else { return }
        report.reach(stage + "compact_verified")
        func refuse(_ why: String) -> FuzzFailure { failure("compact_accepts_bad_token", why) }
        guard let jws = try? JWS.parse(text, options: .init(maxTokenSize: compactVerifier.options.maxTokenSize)) else {
            throw refuse("accepted a token that JWS.parse refuses")
        }
        guard jws.type == CompactIssuer.type, jws.algorithmName == "EdDSA" else {
            throw refuse("accepted typ \(jws.type ?? "nil"), alg \(jws.algorithmName ?? "nil")")
        }
        guard !(JWSHeaderPolicy.keyCarryingHeaders + ["crit"]).contains(where: jws.header.contains) else {
            throw refuse("accepted a token with a key-carrying or critical header")
        }
        let key = FuzzKeys.jwtEd25519.publicKey
        guard verified.issuerKey == key, key.isValidSignature(jws.signature, for: jws.signingInput), verified.signature == jws.signature else {
            throw refuse("accepted a token not signed by the trusted key")
        }
        let claims = verified.claims
        guard claims.exp > FuzzKeys.now, claims.iat <= FuzzKeys.now else {
            throw refuse("accepted a token valid from \(claims.iat) to \(claims.exp) at \(FuzzKeys.now)")
        }
        guard claims.scopeSet().allows(requiredScope) else {
            throw refuse("accepted '\(requiredScope)' outside the granted scopes \(claims.scope)")
        }
    }

    static func failure(_ code: String, _ message: String) -> FuzzFailure {
        FuzzFailure(target: .jwt, code: code, message: message)
    }
}
