import AIP
import AIPJWT
import BatonCrypto
import JOSE
import Testing

/// Compact claims encoding/decoding and the compact issuer's output and refusals.
@Suite struct CompactIssuerTests {
    func expectRefused(
        _ code: AIPErrorCode, _ claims: CompactClaims, key: Ed25519.PrivateKey = CF.issuerKey,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            let token = try CompactIssuer().mint(claims, key: key)
            Issue.record("minted \(token); expected \(code.rawValue)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func headerIsExactlyEdDSAAndAipJwt() throws {
        let token = try CF.mint()
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3)
        let header = try StrictBase64URL.decode(parts[0], what: "header")
        #expect(String(decoding: header, as: UTF8.self) == #"{"alg":"EdDSA","typ":"aip+jwt"}"#)
        #expect(parts[0] == "eyJhbGciOiJFZERTQSIsInR5cCI6ImFpcCtqd3QifQ")
        #expect(try StrictBase64URL.decode(parts[2], what: "signature").count == 64)
    }

    @Test func payloadIsCanonicalAndDeterministic() throws {
        let jws = try JWS.parse(try CF.mint())
        #expect(
            String(decoding: jws.payload, as: UTF8.self) == """
                {"budget_usd":0.5,"exp":1780003540,"iat":1779999940,"iss":"aip:web:acme.com/orchestrator","max_depth":0,\
                "scope":["tool:search","tool:browse"],"sub":"aip:web:acme.com/researcher"}
                """)
        #expect(try CF.mint() == CF.mint())
        #expect(try CF.mint().utf8.count < 500, "the spec's 200–500 byte range")
        let noBudget = try JWS.parse(try CF.mint(CF.claims(budget: nil)))
        #expect(!noBudget.claims.contains("budget_usd"))
        #expect(F.root.isValidSignature(jws.signature, for: jws.signingInput))
    }

    @Test func claimsRoundTrip() throws {
        for c in [CF.claims(), CF.claims(budget: nil), CF.claims(scope: ["*"], budget: 0, maxDepth: 5), CF.claims(budget: 12)] {
            #expect(try CompactClaims(json: c.jsonObject) == c)
            #expect(try CompactClaims(JWTClaims(c.jsonObject)) == c)
            let jws = try JWS.parse(try CF.mint(c))
            #expect(try CompactClaims(JWTClaims(jws.claims)) == c)
        }
        // The Python package writes "budget_usd": null for no budget.
        #expect(try CompactClaims(json: CF.claimsJSON("budget_usd", .null)).budgetUSD == nil)
        #expect(try CompactClaims(json: CF.claimsJSON("budget_usd", .int(2))).budgetUSD == 2)
    }

    @Test func decodingNamesTheDefect() {
        let cases: [(String, JSONValue?, AIPErrorCode, String)] = [
            ("iss", nil, .tokenMalformed, "\"iss\" is missing"),
            ("iss", "https://evil.example", .tokenMalformed, "not an AIP identifier"),
            ("sub", .int(3), .tokenMalformed, "\"sub\" must be a string"),
            ("scope", "tool:search", .tokenMalformed, "must be an array of strings"),
            ("scope", [], .tokenMalformed, "at least one scope"),
            ("scope", ["ok", 2], .tokenMalformed, "entry 1 must be a string"),
            ("max_depth", "2", .tokenMalformed, "\"max_depth\" must be an integer, found a string"),
            ("max_depth", .double(1.5), .tokenMalformed, "non-integer number 1.5"),
            ("max_depth", .bool(true), .tokenMalformed, "found a boolean"),
            ("max_depth", .int(-1), .tokenMalformed, "must not be negative"),
            ("budget_usd", .int(-1), .budgetExceeded, "must not be negative"),
            ("budget_usd", "1", .tokenMalformed, "must be a number"),
            ("iat", nil, .tokenMalformed, "\"iat\" is missing"),
            ("exp", .double(1.5), .tokenMalformed, "\"exp\" must be an integer"),
        ]
        for (name, value, code, fragment) in cases {
            do {
                let c = try CompactClaims(json: CF.claimsJSON(name, value))
                Issue.record("decoded \(c) from \(name) = \(String(describing: value))")
            } catch {
                #expect(error.code == code, "\(name): \(error)")
                #expect(error.message.contains(fragment), "\(name): \(error.message)")
                #expect(error.step == .v4)
            }
        }
    }

    @Test func refusesWhatTheSpecForbids() {
        expectRefused(.tokenMalformed, CF.claims(scope: []))
        expectRefused(.tokenMalformed, CF.claims(scope: ["tool:search", ""]))
        expectRefused(.budgetExceeded, CF.claims(budget: -0.01))
        expectRefused(.tokenMalformed, CF.claims(budget: .infinity))
        expectRefused(.tokenMalformed, CF.claims(budget: .nan))
        expectRefused(.tokenMalformed, CF.claims(maxDepth: -1))
        expectRefused(.tokenExpired, CF.claims(iat: CF.now, exp: CF.now))
        expectRefused(.tokenExpired, CF.claims(iat: CF.now, exp: CF.now - 1))
        var c = CF.claims()
        c.iss = "https://evil.example"
        expectRefused(.tokenMalformed, c)
        c = CF.claims()
        c.sub = "bob"
        expectRefused(.tokenMalformed, c)
        // An aip:key issuer must be the signing key.
        c = CF.claims()
        c.iss = AIPIdentifier.key(CF.malloryKey.publicKey).description
        expectRefused(.signatureInvalid, c)
    }
}
