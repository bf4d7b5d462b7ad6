import BatonCrypto
import Testing

@testable import JOSE

@Suite("JOSE attacks")
struct AttackTests {
    let verifier = JWSVerifier(key: Fixtures.edPublic, keyID: "issuer-1")

    @Test(arguments: ["none", "None", "NONE", "nOnE"])
    func algNoneInEveryCasingIsRefused(_ alg: String) throws {
        let forged = try JWS.forge(header: ["alg": .string(alg), "kid": "issuer-1"], claims: Fixtures.claims, key: .unsecured)
        #expect(forged.compact.hasSuffix("."))
        #expect(joseErrorCode { _ = try verifier.verify(forged.compact) } == "alg_none")
        // Even a verifier that (wrongly) lists `none` refuses it.
        let lax = JWSVerifier(key: Fixtures.edPublic, allowedAlgorithms: Set(JWSAlgorithm.allCases))
        #expect(joseErrorCode { _ = try lax.verify(forged.compact) } == "alg_none")
        // A none token carrying a real signature is refused just the same.
        let signed = try JWS.forge(header: ["alg": .string(alg)], claims: Fixtures.claims, key: Fixtures.edSigner)
        #expect(joseErrorCode { _ = try lax.verify(signed.compact) } == "alg_none")
    }

    @Test(arguments: ["raw", "spki_der", "pem", "pem_no_newline", "jwk_json", "jwk_x"])
    func hs256KeyedWithThePublicKeyIsRefusedAndDetected(_ form: String) throws {
        let secrets = AlgorithmConfusion.candidateSecrets(for: Fixtures.edPublic)
        guard let secret = secrets.first(where: { $0.name == form })?.secret else { Issue.record("no form \(form)"); return }
        let forged = try JWS.sign(header: ["kid": "issuer-1"], claims: Fixtures.claims, key: .hs256(secret: secret))
        #expect(forged.algorithmName == "HS256")
        #expect(AlgorithmConfusion.detect(forged, publicKey: Fixtures.edPublic) == form)
        do {
            try verifier.verify(forged)
            Issue.record("HS256 forgery accepted")
        } catch let error as JOSEError {
            #expect(error == .algorithmConfusion(algorithm: "HS256", matchedSecret: form))
        }
        let lax = JWSVerifier(key: Fixtures.edPublic, keyID: "issuer-1", allowedAlgorithms: Set(JWSAlgorithm.allCases))
        #expect(joseErrorCode { _ = try lax.verify(forged.compact) } == "algorithm_confusion")
    }

    @Test func hs256WithPEMTextOfAP256KeyIsRefused() throws {
        guard let pub = Fixtures.p256Signer().verificationKey else { return }
        #expect(pub.pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        let forged = try JWS.sign(claims: Fixtures.claims, key: .hs256(secret: Array(pub.pem.utf8)))
        do {
            try JWSVerifier(key: pub).verify(forged)
            Issue.record("accepted")
        } catch let error as JOSEError {
            #expect(error == .algorithmConfusion(algorithm: "HS256", matchedSecret: "pem"))
        }
    }

    @Test func hmacWithAnUnrelatedSecretIsStillRefused() throws {
        let forged = try JWS.sign(claims: Fixtures.claims, key: .hs256(secret: Array("secret".utf8)))
        do {
            try verifier.verify(forged)
            Issue.record("accepted")
        } catch let error as JOSEError {
            #expect(error == .algorithmConfusion(algorithm: "HS256", matchedSecret: nil))
        }
        let hs512 = try JWS.forge(header: ["alg": "hs512"], claims: Fixtures.claims, key: .hs256(secret: [1]))
        #expect(joseErrorCode { _ = try verifier.verify(hs512.compact) } == "algorithm_confusion")
    }

    @Test func strippedSignatureIsRefused() throws {
        let jws = try JWS.sign(header: ["kid": "issuer-1"], claims: Fixtures.claims, key: Fixtures.edSigner)
        let stripped = "\(jws.encodedHeader).\(jws.encodedPayload)."
        #expect(joseErrorCode { _ = try verifier.verify(stripped) } == "invalid_signature")
        let truncated = "\(jws.encodedHeader).\(jws.encodedPayload).\(StrictBase64URL.encode(Array(jws.signature.prefix(32))))"
        #expect(joseErrorCode { _ = try verifier.verify(truncated) } == "invalid_signature")
    }

    @Test func kidSelectsExactlyOneKeyAndNeverTriesOthers() throws {
        let set = try JWKSet(keys: [
            JWK(key: Fixtures.edPublic, keyID: "issuer-1"),
            JWK(key: .ed25519(Fixtures.otherEdKey.publicKey), keyID: "issuer-2"),
        ])
        let v = JWSVerifier(keys: set, allowedAlgorithms: [.eddsa])
        // Signed by issuer-1 but claims to be issuer-2: the kid picks issuer-2's key, which fails.
        let lying = try JWS.sign(header: ["kid": "issuer-2"], claims: Fixtures.claims, key: Fixtures.edSigner)
        #expect(joseErrorCode { _ = try v.verify(lying.compact) } == "invalid_signature")
        // Unknown kid.
        let unknown = try JWS.sign(header: ["kid": "issuer-9"], claims: Fixtures.claims, key: Fixtures.edSigner)
        #expect(joseErrorCode { _ = try v.verify(unknown.compact) } == "unknown_key_id")
        // No kid with two candidate keys.
        let noKid = try JWS.sign(claims: Fixtures.claims, key: Fixtures.edSigner)
        #expect(joseErrorCode { _ = try v.verify(noKid.compact) } == "missing_key_id")
        // Non-string kid.
        let numericKid = try JWS.sign(header: ["kid": 1], claims: Fixtures.claims, key: Fixtures.edSigner)
        #expect(joseErrorCode { _ = try v.verify(numericKid.compact) } == "invalid_header")
        // The honest token verifies with the right key.
        let honest = try JWS.sign(header: ["kid": "issuer-1"], claims: Fixtures.claims, key: Fixtures.edSigner)
        #expect(try v.verify(JWS.parse(honest.compact)).keyID == "issuer-1")
    }

    @Test(arguments: ["jwk", "jku", "x5u", "x5c"])
    func embeddedKeyHeadersAreNeverTrusted(_ name: String) throws {
        // The attacker embeds their own key and signs with it.
        let attacker = Ed25519.PrivateKey.derived(from: "attacker")
        let embedded: JSONValue =
            name == "jwk"
            ? .object(JWK(key: .ed25519(attacker.publicKey)).json)
            : name == "x5c" ? ["MIIB"] : "https://attacker.example/keys"
        let forged = try JWS.sign(header: [name: embedded], claims: Fixtures.claims, key: .ed25519(attacker))
        let single = JWSVerifier(key: Fixtures.edPublic)
        #expect(joseErrorCode { _ = try single.verify(forged.compact) } == "untrusted_header_key")
        // Even with the check disabled, the embedded key is not used: the signature fails.
        let lax = JWSVerifier(key: Fixtures.edPublic, headerPolicy: .init(rejectKeyCarryingHeaders: false))
        #expect(joseErrorCode { _ = try lax.verify(forged.compact) } == "invalid_signature")
    }

    @Test func algorithmAndKeyTypeMismatchesAreRefused() throws {
        let p256 = Fixtures.p256Signer()
        guard let ecPub = p256.verificationKey else { return }
        // ES256 token presented to an Ed25519-only verifier: not allowed.
        let es = try JWS.sign(claims: Fixtures.claims, key: p256)
        #expect(joseErrorCode { _ = try JWSVerifier(key: Fixtures.edPublic).verify(es.compact) } == "algorithm_not_allowed")
        // Both algorithms allowed but the only key is Ed25519.
        let both = JWSVerifier(key: Fixtures.edPublic, allowedAlgorithms: [.eddsa, .es256])
        #expect(joseErrorCode { _ = try both.verify(es.compact) } == "key_type_mismatch")
        // EdDSA token against a P-256 key.
        let ed = try JWS.sign(claims: Fixtures.claims, key: Fixtures.edSigner)
        let ecBoth = JWSVerifier(key: ecPub, allowedAlgorithms: [.eddsa, .es256])
        #expect(joseErrorCode { _ = try ecBoth.verify(ed.compact) } == "key_type_mismatch")
        // Key pinned to another alg, or not for signatures.
        let pinned = JWSVerifier(keys: JWKSet(JWK(key: Fixtures.edPublic, algorithm: "Ed25519")), allowedAlgorithms: [.eddsa])
        #expect(joseErrorCode { _ = try pinned.verify(ed.compact) } == "key_algorithm_mismatch")
        let encKey = JWSVerifier(keys: JWKSet(JWK(key: Fixtures.edPublic, use: "enc")), allowedAlgorithms: [.eddsa])
        #expect(joseErrorCode { _ = try encKey.verify(ed.compact) } == "key_use_mismatch")
        // Unknown and wrongly-cased algorithm names.
        let ps = try JWS.forge(header: ["alg": "PS256"], claims: Fixtures.claims, key: Fixtures.edSigner)
        #expect(joseErrorCode { _ = try both.verify(ps.compact) } == "unsupported_algorithm")
        // Known, but not on this verifier's allow-list.
        let rs = try JWS.forge(header: ["alg": "RS256"], claims: Fixtures.claims, key: Fixtures.edSigner)
        #expect(joseErrorCode { _ = try both.verify(rs.compact) } == "algorithm_not_allowed")
        let cased = try JWS.forge(header: ["alg": "eddsa"], claims: Fixtures.claims, key: Fixtures.edSigner)
        #expect(joseErrorCode { _ = try both.verify(cased.compact) } == "unsupported_algorithm")
        let nonString = try JWS.forge(header: ["alg": ["EdDSA"]], claims: Fixtures.claims, key: Fixtures.edSigner)
        #expect(joseErrorCode { _ = try both.verify(nonString.compact) } == "invalid_header")
    }

    @Test func headerTypAndCritChecks() throws {
        let policy = JWSHeaderPolicy(expectedType: "aip+jwt", understoodCriticalHeaders: ["aip_ext"])
        let v = JWSVerifier(key: Fixtures.edPublic, headerPolicy: policy)
        func token(_ header: JSONObject) throws -> String {
            try JWS.sign(header: header, claims: Fixtures.claims, key: Fixtures.edSigner).compact
        }
        #expect(throws: Never.self) { _ = try v.verify(token(["typ": "aip+jwt"])) }
        #expect(throws: Never.self) { _ = try v.verify(token(["typ": "application/AIP+JWT"])) }
        #expect(joseErrorCode { _ = try v.verify(token(["typ": "JWT"])) } == "type_mismatch")
        #expect(joseErrorCode { _ = try v.verify(token([:])) } == "type_mismatch")
        #expect(joseErrorCode { _ = try v.verify(token(["typ": 1])) } == "invalid_header")
        #expect(throws: Never.self) { _ = try v.verify(token(["typ": "aip+jwt", "crit": ["aip_ext"], "aip_ext": true])) }
        #expect(joseErrorCode { _ = try v.verify(token(["typ": "aip+jwt", "crit": ["exp"], "exp": 1])) } == "unsupported_critical_header")
        #expect(joseErrorCode { _ = try v.verify(token(["typ": "aip+jwt", "crit": ["aip_ext"]])) } == "unsupported_critical_header")
        #expect(joseErrorCode { _ = try v.verify(token(["typ": "aip+jwt", "crit": ["b64"], "b64": false])) } == "unsupported_critical_header")
        #expect(joseErrorCode { _ = try v.verify(token(["typ": "aip+jwt", "crit": ["alg"]])) } == "unsupported_critical_header")
        #expect(joseErrorCode { _ = try v.verify(token(["typ": "aip+jwt", "crit": []])) } == "unsupported_critical_header")
        #expect(joseErrorCode { _ = try v.verify(token(["typ": "aip+jwt", "crit": "aip_ext", "aip_ext": 1])) } == "unsupported_critical_header")
    }

    @Test func paddedSignatureIsRefused() throws {
        let jws = try JWS.sign(claims: Fixtures.claims, key: Fixtures.edSigner)
        let padded = "\(jws.encodedHeader).\(jws.encodedPayload).\(Base64URL.encode(jws.signature, padded: true))"
        #expect(padded.hasSuffix("=="))
        #expect(joseErrorCode { _ = try verifier.verify(padded) } == "invalid_base64")
    }
}
