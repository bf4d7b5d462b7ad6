import AIP
import AIPJWT
import BatonCrypto
import Foundation
import JOSE
import Testing

/// Really forged compact tokens: each must be refused with its exact code by the check that owns it.
@Suite struct CompactAttackTests {
    // MARK: Algorithm

    @Test(arguments: ["none", "None", "NONE", "nOnE", "nonE"])
    func algNoneInEveryCasingIsSignatureInvalid(_ alg: String) throws {
        let unsigned = try CF.forge(header: CF.header("alg", .string(alg)), key: .unsecured)
        #expect(unsigned.hasSuffix("."))
        // The same header carrying a real EdDSA signature of the issuer.
        let signed = try CF.forge(header: CF.header("alg", .string(alg)))
        for verifier in CF.verifiers {
            expectCompactRejected(CF.verify(unsigned, verifier), .signatureInvalid, by: .algorithm)
            expectCompactRejected(CF.verify(signed, verifier), .signatureInvalid, by: .algorithm)
        }
    }

    @Test(arguments: ["raw", "spki_der", "pem", "pem_no_newline", "jwk_json", "jwk_x"])
    func hs256KeyedWithThePublicKeyIsSignatureInvalid(_ form: String) throws {
        let secrets = AlgorithmConfusion.candidateSecrets(for: .ed25519(F.root))
        guard let secret = secrets.first(where: { $0.name == form })?.secret else { Issue.record("no form \(form)"); return }
        let forged = try CF.forge(header: CF.header("alg", "HS256"), key: .hs256(secret: secret))
        for verifier in CF.verifiers {
            expectCompactRejected(CF.verify(forged, verifier), .signatureInvalid, by: .algorithm)
        }
        #expect(CF.verify(forged).message.contains(form), "the fixed-key verifier names the confusion")
    }

    @Test func otherAlgorithmsAreSignatureInvalid() throws {
        let p256 = try JWSSigningKey.p256(scalar: SHA256.hash("compact:p256"))
        let es256 = try CF.forge(header: CF.header("alg", "ES256"), key: p256)
        let hs512 = try CF.forge(header: CF.header("alg", "hs512"), key: .hs256(secret: Array("secret".utf8)))
        let lowercase = try CF.forge(header: CF.header("alg", "eddsa"))
        let ed25519 = try CF.forge(header: CF.header("alg", "Ed25519"))
        for token in [es256, hs512, lowercase, ed25519] {
            for verifier in CF.verifiers { expectCompactRejected(CF.verify(token, verifier), .signatureInvalid, by: .algorithm) }
        }
        expectCompactRejected(CF.verify(try CF.forge(header: CF.header("alg", nil))), .tokenMalformed, by: .algorithm, "no alg")
        expectCompactRejected(CF.verify(try CF.forge(header: CF.header("alg", 1))), .tokenMalformed, by: .algorithm, "numeric alg")
    }

    // MARK: Header

    @Test func typMustBeExactlyAipJwt() throws {
        let variants: [JSONValue?] = [nil, "JWT", "jwt", "AIP+JWT", "application/aip+jwt", "aip-link+jwt", "aip+jwt ", "", .int(1), .null]
        for typ in variants {
            let token = try CF.forge(header: CF.header("typ", typ))
            expectCompactRejected(CF.verify(token), .tokenMalformed, by: .type, "\(String(describing: typ))")
        }
    }

    @Test(arguments: ["jwk", "jku", "x5u", "x5c"])
    func keyCarryingHeadersAreSignatureInvalid(_ name: String) throws {
        let mallory = JWK(key: .ed25519(CF.malloryKey.publicKey)).json
        let value: JSONValue
        switch name {
        case "jwk": value = .object(mallory)
        case "x5c": value = ["MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"]
        default: value = "https://evil.example/keys.json"
        }
        // Signed by Mallory, whose key rides in (or is pointed at by) the header.
        let forged = try CF.forge(header: CF.header(name, value), key: .ed25519(CF.malloryKey))
        // Even signed by the real issuer, the header is refused.
        let honest = try CF.forge(header: CF.header(name, value))
        for verifier in CF.verifiers {
            expectCompactRejected(CF.verify(forged, verifier), .signatureInvalid, by: .headerKeys)
            expectCompactRejected(CF.verify(honest, verifier), .signatureInvalid, by: .headerKeys)
        }
    }

    @Test func criticalHeadersAreSignatureInvalid() throws {
        var h = CF.header("crit", ["exp"])
        h["exp"] = .int(CF.now)
        expectCompactRejected(CF.verify(try CF.forge(header: h)), .signatureInvalid, by: .headerKeys)
        expectCompactRejected(CF.verify(try CF.forge(header: CF.header("crit", ["b64"]))), .signatureInvalid, by: .headerKeys)
        expectCompactRejected(CF.verify(try CF.forge(header: CF.header("crit", []))), .signatureInvalid, by: .headerKeys)
    }

    @Test func kidNeverSelectsAKey() throws {
        // A legitimate token with a kid naming Mallory's key: the kid is ignored.
        expectCompactAccepted(CF.verify(try CF.forge(header: CF.header("kid", "mallory-key-1"))))
        expectCompactAccepted(CF.verify(try CF.forge(header: CF.header("kid", "key-1")), CF.registryVerifier))
        // Mallory's signature with a kid naming the issuer's key: still her signature.
        let forged = try CF.forge(header: CF.header("kid", "key-1"), key: .ed25519(CF.malloryKey))
        for verifier in CF.verifiers { expectCompactRejected(CF.verify(forged, verifier), .signatureInvalid, by: .signature) }
    }

    // MARK: Signature

    @Test func wrongKeyIsSignatureInvalid() throws {
        let forged = try CF.mint(key: CF.malloryKey)
        for verifier in CF.verifiers { expectCompactRejected(CF.verify(forged, verifier), .signatureInvalid, by: .signature) }
        #expect(CF.verify(forged).step == .v1)
    }

    @Test func tamperedPayloadIsSignatureInvalid() throws {
        let jws = try JWS.parse(try CF.mint())
        // Widen the scope by editing the payload bytes, keeping header and signature.
        let text = String(decoding: jws.payload, as: UTF8.self)
        #expect(text.contains("tool:browse"))
        let widened = Array(text.replacingOccurrences(of: "tool:browse", with: "tool:delete").utf8)
        #expect(widened != jws.payload)
        let tampered = "\(jws.encodedHeader).\(StrictBase64URL.encode(widened)).\(jws.encodedSignature)"
        for verifier in CF.verifiers { expectCompactRejected(CF.verify(tampered, verifier, scope: "tool:delete"), .signatureInvalid, by: .signature) }

        // One flipped bit in the payload (a digit of exp) also breaks the signature.
        var bytes = jws.payload
        guard let i = bytes.lastIndex(where: { (UInt8(ascii: "1")...UInt8(ascii: "8")).contains($0) }) else { Issue.record("no digit"); return }
        bytes[i] ^= 0x01
        let flipped = "\(jws.encodedHeader).\(StrictBase64URL.encode(bytes)).\(jws.encodedSignature)"
        expectCompactRejected(CF.verify(flipped), .signatureInvalid, by: .signature)
    }

    @Test func damagedOrSwappedSignatureIsSignatureInvalid() throws {
        let jws = try JWS.parse(try CF.mint())
        let other = try JWS.parse(try CF.mint(CF.claims(scope: ["tool:search"])))
        let swapped = "\(jws.encodedHeader).\(jws.encodedPayload).\(other.encodedSignature)"
        var sig = jws.signature
        sig[0] ^= 0x80
        let flipped = "\(jws.encodedHeader).\(jws.encodedPayload).\(StrictBase64URL.encode(sig))"
        let truncated = "\(jws.encodedHeader).\(jws.encodedPayload).\(StrictBase64URL.encode(Array(jws.signature.prefix(63))))"
        let extended = "\(jws.encodedHeader).\(jws.encodedPayload).\(StrictBase64URL.encode(jws.signature + [0]))"
        let stripped = "\(jws.encodedHeader).\(jws.encodedPayload)."
        let zero = "\(jws.encodedHeader).\(jws.encodedPayload).\(StrictBase64URL.encode([UInt8](repeating: 0, count: 64)))"
        for token in [swapped, flipped, truncated, extended, stripped, zero] {
            for verifier in CF.verifiers { expectCompactRejected(CF.verify(token, verifier), .signatureInvalid, by: .signature) }
        }
        // A header re-encoded (same JSON, different bytes) no longer matches the signature.
        let spaced = StrictBase64URL.encode(Array(#"{"alg":"EdDSA", "typ":"aip+jwt"}"#.utf8))
        expectCompactRejected(CF.verify("\(spaced).\(jws.encodedPayload).\(jws.encodedSignature)"), .signatureInvalid, by: .signature)
    }

    @Test func signatureIsCheckedBeforeAnyClaimButIss() throws {
        // Mallory's malformed, expired token is refused for its signature, not its claims.
        var claims = CF.claimsJSON("max_depth", "2")
        claims["exp"] = .int(0)
        let forged = try CF.forge(claims: claims, key: .ed25519(CF.malloryKey))
        expectCompactRejected(CF.verify(forged), .signatureInvalid, by: .signature)
        #expect(!CF.verify(forged).details.contains { $0.check == .claims })
    }

    // MARK: Issuer

    @Test func nonAIPIssuerIsMalformed() throws {
        for iss: JSONValue? in [
            "https://evil.example", "aip:web:", "aip:web:acme.com", "aip:key:ed25519:zzz", "", nil, .int(7), ["aip:web:acme.com/orchestrator"],
        ] {
            let token = try CF.forge(claims: CF.claimsJSON("iss", iss))
            for verifier in CF.verifiers {
                expectCompactRejected(CF.verify(token, verifier), .tokenMalformed, by: .issuer, "\(String(describing: iss))")
            }
        }
    }

    @Test func issuerMismatchWithTheConfiguredKey() throws {
        // Signed with the orchestrator's key but claiming to be the writer.
        let token = try CF.forge(claims: CF.claimsJSON("iss", .string(F.writer)))
        expectCompactRejected(CF.verify(token), .identityUnresolvable, by: .issuer)
        // The registry resolves the writer's own key, under which the signature fails.
        expectCompactRejected(CF.verify(token, CF.registryVerifier), .signatureInvalid, by: .signature)
    }

    // MARK: Claims

    @Test(arguments: [JSONValue.string("2"), .int(-1), .double(1.5), .double(1.0), .bool(true), .null, .array([1]), .string("")])
    func badMaxDepthIsMalformed(_ value: JSONValue) throws {
        let token = try CF.forge(claims: CF.claimsJSON("max_depth", value))
        for verifier in CF.verifiers { expectCompactRejected(CF.verify(token, verifier), .tokenMalformed, by: .claims, "\(value)") }
    }

    @Test func missingMaxDepthIsMalformed() throws {
        expectCompactRejected(CF.verify(try CF.forge(claims: CF.claimsJSON("max_depth", nil))), .tokenMalformed, by: .claims)
    }

    @Test func badScopeIsMalformed() throws {
        let values: [JSONValue?] = ["tool:search", [], [1], ["tool:search", .null], [""], ["tool:search", ["nested"]], nil, .null, ["a": "b"]]
        for value in values {
            let token = try CF.forge(claims: CF.claimsJSON("scope", value))
            expectCompactRejected(CF.verify(token, scope: nil), .tokenMalformed, by: .claims, "\(String(describing: value))")
        }
    }

    @Test func badBudgetIsRefused() throws {
        for value: JSONValue in [.int(-1), .double(-0.01), .double(-1e308)] {
            let token = try CF.forge(claims: CF.claimsJSON("budget_usd", value))
            for verifier in CF.verifiers { expectCompactRejected(CF.verify(token, verifier), .budgetExceeded, by: .claims, "\(value)") }
        }
        for value: JSONValue in ["0.5", .bool(true), [0.5], ["usd": 1]] {
            let token = try CF.forge(claims: CF.claimsJSON("budget_usd", value))
            expectCompactRejected(CF.verify(token), .tokenMalformed, by: .claims, "\(value)")
        }
        // 1e309 is not a finite JSON number: the strict parser refuses it.
        let infinite = try JWS.forge(
            headerBytes: CompactIssuer.header.serialized(),
            payload: Array(
                String(decoding: CF.claimsJSON.serialized(), as: UTF8.self)
                    .replacingOccurrences(of: "\"budget_usd\":0.5", with: "\"budget_usd\":1e309").utf8),
            key: .ed25519(CF.issuerKey)
        ).compact
        expectCompactRejected(CF.verify(infinite), .tokenMalformed, by: .parse)
        // Accepted budgets: absent, null (as the Python package writes), zero, integers.
        for value: JSONValue? in [nil, .null, .int(0), .int(3), .double(1e300)] {
            let report = CF.verify(try CF.forge(claims: CF.claimsJSON("budget_usd", value)))
            expectCompactAccepted(report, "\(String(describing: value))")
        }
    }

    @Test func badSubjectIsMalformed() throws {
        for sub: JSONValue? in ["bob", "https://acme.com/researcher", nil, .int(1)] {
            let token = try CF.forge(claims: CF.claimsJSON("sub", sub))
            expectCompactRejected(CF.verify(token, audience: nil), .tokenMalformed, by: .claims, "\(String(describing: sub))")
        }
    }

    @Test func badTimesAreMalformed() throws {
        for name in ["iat", "exp"] {
            for value: JSONValue? in [nil, "1780000000", .double(1_780_000_000.5), .double(1_780_003_600), .null, .bool(true)] {
                let token = try CF.forge(claims: CF.claimsJSON(name, value))
                expectCompactRejected(CF.verify(token), .tokenMalformed, by: .claims, "\(name): \(String(describing: value))")
            }
        }
    }

    @Test func unknownClaimsAreIgnored() throws {
        var claims = CF.claimsJSON
        claims["aud"] = "aip:web:evil.example/mallory"
        claims["extra"] = ["nested": [1, 2]]
        expectCompactAccepted(CF.verify(try CF.forge(claims: claims)))
    }

    // MARK: Structure

    @Test func structuralGarbageIsMalformed() throws {
        let jws = try JWS.parse(try CF.mint())
        let dup = try JWS.forge(
            headerBytes: CompactIssuer.header.serialized(),
            payload: Array(#"{"iss":"aip:web:acme.com/orchestrator","iss":"aip:web:evil.example/mallory"}"#.utf8),
            key: .ed25519(CF.issuerKey)
        ).compact
        let arrayPayload = try JWS.forge(
            headerBytes: CompactIssuer.header.serialized(), payload: Array("[1]".utf8),
            key: .ed25519(CF.issuerKey)
        ).compact
        let garbage = [
            "not a token", "a.b", "a.b.c.d", "a.b.c.d.e", "..", ".\(jws.encodedPayload).\(jws.encodedSignature)",
            "\(jws.encodedHeader)=.\(jws.encodedPayload).\(jws.encodedSignature)",
            "\(jws.encodedHeader).\(jws.encodedPayload).\(jws.encodedSignature) ",
            "\(jws.encodedHeader).\(jws.encodedPayload)+.\(jws.encodedSignature)",
            dup, arrayPayload,
            String(repeating: "A", count: 9000) + ".e30.",
        ]
        for token in garbage {
            for verifier in CF.verifiers {
                expectCompactRejected(CF.verify(token, verifier), .tokenMalformed, by: .parse, "\(token.prefix(40))")
            }
        }
    }

    @Test func deeplyNestedClaimsDoNotCrash() throws {
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        let payload = Array(#"{"iss":"aip:web:acme.com/orchestrator","x":\#(deep)}"#.utf8)
        let token = try JWS.forge(headerBytes: CompactIssuer.header.serialized(), payload: payload, key: .ed25519(CF.issuerKey)).compact
        let big = CompactVerifier(trust: .key(F.root, issuer: CF.issuer), options: .init(maxTokenSize: 64 * 1024))
        expectCompactRejected(CF.verify(token, big), .tokenMalformed, by: .parse)
    }
}
