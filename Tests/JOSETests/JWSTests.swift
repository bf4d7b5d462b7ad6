import BatonCrypto
import Testing

@testable import JOSE

@Suite("JOSE JWS")
struct JWSTests {
    static let rfcToken =
        "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"

    @Test func rfc8037SigningExampleIsReproducedExactly() throws {
        let key = try JWK.signingKey(from: JSONParser.parseObject(Array(Fixtures.rfcPrivateJWK.utf8)))
        let jws = try JWS.sign(payload: Array("Example of Ed25519 signing".utf8), key: key)
        #expect(jws.encodedHeader == "eyJhbGciOiJFZERTQSJ9")
        #expect(jws.encodedPayload == "RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc")
        #expect(jws.compact == Self.rfcToken)
    }

    @Test func rfc8037SigningExampleVerifies() throws {
        let pub = try JWK(jsonText: Fixtures.rfcPublicJWK)
        let jws = try JWS.parse(Self.rfcToken, options: .init(requireJSONPayload: false))
        #expect(jws.header == ["alg": "EdDSA"])
        #expect(String(decoding: jws.payload, as: UTF8.self) == "Example of Ed25519 signing")
        #expect(!jws.payloadIsJSONObject)
        let verifier = JWSVerifier(key: pub.key)
        #expect(try verifier.verify(jws) == pub)
        // With the default options the non-JSON payload is refused.
        #expect(joseErrorCode { _ = try JWS.parse(Self.rfcToken) } == "invalid_json")
    }

    @Test func signingIsDeterministicWithSortedKeys() throws {
        let header: JSONObject = ["typ": "aip+jwt", "kid": "k1"]
        let a = try JWS.sign(header: header, claims: Fixtures.claims, key: Fixtures.edSigner)
        var reordered = JSONObject()
        for (k, v) in Fixtures.claims.entries.reversed() { reordered[k] = v }
        let b = try JWS.sign(header: ["kid": "k1", "typ": "aip+jwt"], claims: reordered, key: Fixtures.edSigner)
        #expect(a.compact == b.compact)
        #expect(
            String(decoding: try StrictBase64URL.decode(a.encodedHeader, what: "h"), as: UTF8.self)
                == #"{"alg":"EdDSA","kid":"k1","typ":"aip+jwt"}"#)
        let parsed = try JWS.parse(a.compact)
        #expect(parsed.claims == Fixtures.claims)
        #expect(parsed.signingInput == Array("\(a.encodedHeader).\(a.encodedPayload)".utf8))
    }

    @Test func signRefusesConflictingAlgHeader() {
        #expect(joseErrorCode { _ = try JWS.sign(header: ["alg": "ES256"], claims: [:], key: Fixtures.edSigner) } == "invalid_header")
    }

    @Test func es256RoundTripAndTamper() throws {
        let signer = Fixtures.p256Signer()
        guard let pub = signer.verificationKey, case .p256 = pub else { Issue.record("no P-256 key"); return }
        let jws = try JWS.sign(header: ["kid": "ec-1"], claims: Fixtures.claims, key: signer)
        #expect(jws.signature.count == 64)  // raw r ‖ s, not DER
        let verifier = JWSVerifier(key: pub, keyID: "ec-1")
        #expect(throws: Never.self) { _ = try verifier.verify(jws.compact) }

        // Tampered payload.
        var claims = Fixtures.claims
        claims["sub"] = "agent:mallory"
        let tampered = "\(jws.encodedHeader).\(StrictBase64URL.encode(claims.serialized())).\(jws.encodedSignature)"
        #expect(joseErrorCode { _ = try verifier.verify(tampered) } == "invalid_signature")
        // Flipped signature bit.
        var sig = jws.signature
        sig[10] ^= 1
        let flipped = "\(jws.encodedHeader).\(jws.encodedPayload).\(StrictBase64URL.encode(sig))"
        #expect(joseErrorCode { _ = try verifier.verify(flipped) } == "invalid_signature")
        // Another P-256 key does not verify it.
        let other = JWSVerifier(key: Fixtures.p256Signer("other").verificationKey ?? pub, keyID: "ec-1")
        #expect(joseErrorCode { _ = try other.verify(jws.compact) } == "invalid_signature")
    }

    @Test func es256RejectsDERSignature() throws {
        let signer = Fixtures.p256Signer()
        guard let pub = signer.verificationKey else { return }
        let jws = try JWS.sign(claims: Fixtures.claims, key: signer)
        // A DER-looking, wrongly sized signature must fail, not be reinterpreted.
        let der: [UInt8] = [0x30, 0x44, 0x02, 0x20] + Array(jws.signature.prefix(32)) + [0x02, 0x20] + Array(jws.signature.suffix(32))
        let token = "\(jws.encodedHeader).\(jws.encodedPayload).\(StrictBase64URL.encode(der))"
        #expect(joseErrorCode { _ = try JWSVerifier(key: pub).verify(token) } == "invalid_signature")
    }

    @Test func eddsaTamperFails() throws {
        let jws = try JWS.sign(claims: Fixtures.claims, key: Fixtures.edSigner)
        var claims = Fixtures.claims
        claims["exp"] = .int(Fixtures.now + 99_999)
        let tampered = "\(jws.encodedHeader).\(StrictBase64URL.encode(claims.serialized())).\(jws.encodedSignature)"
        #expect(joseErrorCode { _ = try JWSVerifier(key: Fixtures.edPublic).verify(tampered) } == "invalid_signature")
    }

    @Test(arguments: [
        ("", "malformed_token"),
        ("a.b", "malformed_token"),
        ("a.b.c.d", "malformed_token"),
        ("a.b.c.d.e", "malformed_token"),
        ("..", "malformed_token"),
        ("eyJhbGciOiJFZERTQSJ9=.e30.", "invalid_base64"),
        ("eyJhbGciOiJFZERTQSJ9.e30=.", "invalid_base64"),
        ("eyJhbGciOiJFZERTQSJ9.e30.AA==", "invalid_base64"),
        ("eyJhbGciOiJFZERTQSJ9 .e30.", "invalid_base64"),
        ("eyJhbGciOiJFZERTQSJ9.e3\n0.", "invalid_base64"),
        ("eyJhbGciOiJFZERTQSJ9.e30+.", "invalid_base64"),
        ("eyJhbGciOiJFZERTQSJ9.e3/0.", "invalid_base64"),
        ("eyJhbGciOiJFZERTQSJ9.e31.", "invalid_base64"),  // non-zero trailing bits
        ("eyJhbGciOiJFZERTQSJ9.A.", "invalid_base64"),  // impossible length
        ("WzFd.e30.", "malformed_token"),  // header is an array
        ("eyJhbGciOiJFZERTQSJ9.WzFd.", "malformed_token"),  // payload is an array
        ("eyJhbGciOiJFZERTQSJ9.bnVsbA.", "malformed_token"),  // payload is null
        ("e30.e30.", "malformed_token"),
    ])
    func malformedTokensGiveErrors(_ token: String, _ code: String) {
        // `e30.e30.` parses; it must then fail verification for lack of alg.
        if token == "e30.e30." {
            #expect(joseErrorCode { _ = try JWSVerifier(key: Fixtures.edPublic).verify(token) } == "missing_header")
            return
        }
        #expect(joseErrorCode { _ = try JWS.parse(token) } == code)
    }

    @Test func oversizedTokenIsRefusedBeforeDecoding() {
        let big = String(repeating: "A", count: 1_000_000)
        let token = "eyJhbGciOiJFZERTQSJ9.\(big).AAAA"
        #expect(joseErrorCode { _ = try JWS.parse(token) } == "token_too_large")
        #expect(joseErrorCode { _ = try JWS.parse(String(repeating: ".", count: 1_000_000)) } == "token_too_large")
    }

    @Test func deeplyNestedHeaderIsAnError() {
        let nested = #"{"alg":"EdDSA","x":"# + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        let token = "\(Fixtures.part(nested)).e30."
        #expect(joseErrorCode { _ = try JWS.parse(token) } == "nesting_too_deep")
    }

    @Test func duplicateAlgInHeaderIsRefused() throws {
        let forged = try JWS.forge(
            headerBytes: Array(#"{"alg":"EdDSA","alg":"none"}"#.utf8),
            payload: Fixtures.claims.serialized(), key: Fixtures.edSigner)
        #expect(joseErrorCode { _ = try JWS.parse(forged.compact) } == "duplicate_key")
        #expect(joseErrorCode { _ = try JWSVerifier(key: Fixtures.edPublic).verify(forged.compact) } == "duplicate_key")
    }
}
