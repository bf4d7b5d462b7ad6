import BatonCrypto
import Testing

@testable import JOSE

@Suite("JOSE JWK")
struct JWKTests {
    @Test func rfc8037ThumbprintOfTheEd25519Key() throws {
        let jwk = try JWK(jsonText: Fixtures.rfcPublicJWK)
        #expect(jwk.thumbprintBase64URL == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
        #expect(Hex.encode(jwk.thumbprint) == Hex.encode(try StrictBase64URL.decode("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", what: "t")))
        // kid/alg/use do not change the thumbprint.
        var labelled = jwk
        labelled.keyID = "x"; labelled.use = "sig"; labelled.algorithm = "EdDSA"
        #expect(labelled.thumbprint == jwk.thumbprint)
    }

    @Test func ed25519JWKRoundTrip() throws {
        let jwk = JWK(key: Fixtures.edPublic, keyID: "k1", algorithm: "EdDSA", use: "sig")
        #expect(try JWK(jsonText: jwk.json.canonicalString) == jwk)
        #expect(jwk.json.canonicalString.hasPrefix(#"{"alg":"EdDSA","crv":"Ed25519","kid":"k1","kty":"OKP","use":"sig","x":""#))
    }

    @Test func p256JWKRoundTripAndThumbprintShape() throws {
        let signer = Fixtures.p256Signer()
        guard let pub = signer.verificationKey else { return }
        let jwk = JWK(key: pub, keyID: "ec")
        let text = jwk.json.canonicalString
        #expect(text.hasPrefix(#"{"crv":"P-256","kid":"ec","kty":"EC","x":""#))
        let back = try JWK(jsonText: text)
        #expect(back == jwk)
        #expect(jwk.thumbprint == BatonCrypto.SHA256.hash(JWK.requiredMembers(of: pub).serialized()))
        // Private JWK round trip.
        let priv = try JWK.privateJSON(of: signer, keyID: "ec")
        let signer2 = try JWK.signingKey(from: priv)
        #expect(signer2.verificationKey == pub)
    }

    @Test func invalidJWKsAreRefused() throws {
        let x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
        #expect(joseErrorCode { _ = try JWK(jsonText: #"{"kty":"OKP","crv":"Ed448","x":"\#(x)"}"#) } == "unsupported_key_type")
        #expect(joseErrorCode { _ = try JWK(jsonText: #"{"kty":"oct","k":"AQAB"}"#) } == "unsupported_key_type")
        // RSA keys below 2048 bits are refused.
        #expect(joseErrorCode { _ = try JWK(jsonText: #"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#) } == "invalid_key")
        #expect(joseErrorCode { _ = try JWK(jsonText: #"{"crv":"Ed25519","x":"\#(x)"}"#) } == "invalid_key")
        #expect(joseErrorCode { _ = try JWK(jsonText: #"{"kty":"OKP","crv":"Ed25519","x":"\#(x)="}"#) } == "invalid_key")
        #expect(joseErrorCode { _ = try JWK(jsonText: #"{"kty":"OKP","crv":"Ed25519","x":"AAAA"}"#) } == "invalid_key")
        #expect(joseErrorCode { _ = try JWK(jsonText: #"{"kty":"OKP","crv":"Ed25519","x":5}"#) } == "invalid_key")
        #expect(joseErrorCode { _ = try JWK(jsonText: Fixtures.rfcPrivateJWK) } == "invalid_key")
        #expect(joseErrorCode { _ = try JWK(jsonText: #"{"kty":"OKP","kty":"OKP","crv":"Ed25519","x":"\#(x)"}"#) } == "duplicate_key")
        // A point not on P-256.
        let zeros = StrictBase64URL.encode([UInt8](repeating: 1, count: 32))
        #expect(joseErrorCode { _ = try JWK(jsonText: #"{"kty":"EC","crv":"P-256","x":"\#(zeros)","y":"\#(zeros)"}"#) } == "invalid_key")
        // A private JWK whose d does not match x.
        let mismatched = #"{"kty":"OKP","crv":"Ed25519","d":"\#(StrictBase64URL.encode(Fixtures.edKey.seed))","x":"\#(x)"}"#
        #expect(joseErrorCode { _ = try JWK.signingKey(from: JSONParser.parseObject(Array(mismatched.utf8))) } == "invalid_key")
    }

    @Test func jwksParsingAndSelection() throws {
        let text = #"{"keys":[\#(JWK(key: Fixtures.edPublic, keyID: "a").json.canonicalString),\#(Fixtures.rfcPublicJWK.dropLast()),"kid":"b"}]}"#
        let set = try JWKSet(jsonText: text)
        #expect(set.keys.count == 2)
        #expect(try set.select(keyID: "a").key == Fixtures.edPublic)
        #expect(try set.select(keyID: "b").thumbprintBase64URL == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
        #expect(joseErrorCode { _ = try set.select(keyID: "c") } == "unknown_key_id")
        #expect(joseErrorCode { _ = try set.select(keyID: nil) } == "missing_key_id")
        #expect(joseErrorCode { _ = try JWKSet(keys: []).select(keyID: nil) } == "no_verification_key")
        #expect(try JWKSet(jsonText: set.json.canonicalString) == set)
        #expect(
            joseErrorCode { _ = try JWKSet(keys: [JWK(key: Fixtures.edPublic, keyID: "a"), JWK(key: Fixtures.edPublic, keyID: "a")]) }
                == "duplicate_key_id")
        #expect(joseErrorCode { _ = try JWKSet(jsonText: #"{"keys":{}}"#) } == "invalid_key")
        #expect(joseErrorCode { _ = try JWKSet(jsonText: #"{"keys":[{"kty":"RSA"}]}"#) } == "invalid_key")
        #expect(joseErrorCode { _ = try JWKSet(jsonText: #"{"keys":[{"kty":"oct","k":"AQAB"}]}"#) } == "unsupported_key_type")
    }

    @Test func ed25519PEMMatchesRFC8410() throws {
        // RFC 8410 §10.1 example public key.
        let pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n"
        let key = try JWSVerificationKey(pem: pem)
        guard case let .ed25519(k) = key else { Issue.record("not Ed25519"); return }
        #expect(k.hex == "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1")
        #expect(key.pem == pem)
        #expect(Hex.encode(key.spkiDER).hasPrefix("302a300506032b6570032100"))
    }

    @Test func p256PEMRoundTrip() throws {
        guard let pub = Fixtures.p256Signer().verificationKey else { return }
        let pem = pub.pem
        #expect(try JWSVerificationKey(pem: pem) == pub)
        #expect(try JWSVerificationKey(pem: pem.replacingNewlines()) == pub)
        #expect(pub.spkiDER.count == 91)
    }

    @Test func badPEMIsRefused() {
        #expect(joseErrorCode { _ = try JWSVerificationKey(pem: "hello") } == "invalid_pem")
        #expect(
            joseErrorCode {
                _ = try JWSVerificationKey(
                    pem: "-----BEGIN PRIVATE KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PRIVATE KEY-----")
            } == "invalid_pem")
        #expect(
            joseErrorCode {
                _ = try JWSVerificationKey(
                    pem: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END CERTIFICATE-----")
            } == "invalid_pem")
        #expect(joseErrorCode { _ = try JWSVerificationKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----") } == "invalid_key")
    }
}

extension String {
    /// Converts LF line ends to CRLF.
    func replacingNewlines() -> String { split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n") }
}
