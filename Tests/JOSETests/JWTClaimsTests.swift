import Testing

@testable import JOSE

@Suite("JOSE JWT claims")
struct JWTClaimsTests {
    let now = Fixtures.now

    @Test func typedAccessors() throws {
        let c = JWTClaims([
            "iss": "i", "sub": "s", "aud": "a", "exp": 10, "nbf": 1.5, "iat": 2, "jti": "j",
            "scope": "read  write tools:call", "scopes": ["x", "y"], "delegation_depth": 2,
            "act": ["sub": "agent:b", "act": ["sub": "agent:a", "act": ["sub": "user:root"]]],
        ])
        #expect(try c.issuer == "i")
        #expect(try c.subject == "s")
        #expect(try c.audience == ["a"])
        #expect(try c.expiration == 10)
        #expect(try c.notBefore == 2)
        #expect(try c.issuedAt == 2)
        #expect(try c.jwtID == "j")
        #expect(try c.scope == ["read", "write", "tools:call"])
        #expect(try c.scopes == ["x", "y"])
        #expect(try c.grantedScopes == ["read", "write", "tools:call"])
        #expect(try c.actorChain == ["agent:b", "agent:a", "user:root"])
        #expect(try c.delegationDepth == 2)
        #expect(try JWTClaims(["aud": ["a", "b"]]).audience == ["a", "b"])
        #expect(try JWTClaims([:]).actorChain == nil)
    }

    @Test func malformedClaimsThrow() {
        #expect(joseErrorCode { _ = try JWTClaims(["aud": 1]).audience } == "invalid_claim")
        #expect(joseErrorCode { _ = try JWTClaims(["aud": ["a", 1]]).audience } == "invalid_claim")
        #expect(joseErrorCode { _ = try JWTClaims(["exp": "10"]).expiration } == "invalid_claim")
        #expect(joseErrorCode { _ = try JWTClaims(["exp": true]).expiration } == "invalid_claim")
        #expect(joseErrorCode { _ = try JWTClaims(["exp": 1e300]).expiration } == "invalid_claim")
        #expect(joseErrorCode { _ = try JWTClaims(["iss": ["a"]]).issuer } == "invalid_claim")
        #expect(joseErrorCode { _ = try JWTClaims(["act": "agent"]).actorChain } == "invalid_claim")
        #expect(joseErrorCode { _ = try JWTClaims(["act": ["act": ["sub": "x"]]]).actorChain } == "invalid_claim")
        #expect(joseErrorCode { _ = try JWTClaims(["act": ["sub": "x", "act": "y"]]).actorChain } == "invalid_claim")
        #expect(joseErrorCode { _ = try JWTClaims(["delegation_depth": -1]).delegationDepth } == "invalid_claim")
        #expect(joseErrorCode { _ = try JWTClaims(["delegation_depth": 1.5]).delegationDepth } == "invalid_claim")
        var deep: JSONValue = ["sub": "leaf"]
        for i in 0..<40 { deep = ["sub": .string("a\(i)"), "act": deep] }
        #expect(joseErrorCode { _ = try JWTClaims(["act": deep]).actorChain } == "invalid_claim")
    }

    @Test func timeChecksWithLeeway() throws {
        let v = JWTValidator(leeway: 30)
        #expect(throws: Never.self) { try v.validate(JWTClaims(["exp": .int(now + 1)]), now: now) }
        #expect(throws: Never.self) { try v.validate(JWTClaims(["exp": .int(now - 29)]), now: now) }
        #expect(joseErrorCode { try v.validate(JWTClaims(["exp": .int(now - 30)]), now: now) } == "expired")
        #expect(joseErrorCode { try JWTValidator().validate(JWTClaims(["exp": .int(now)]), now: now) } == "expired")
        #expect(throws: Never.self) { try v.validate(JWTClaims(["exp": .int(now + 100), "nbf": .int(now + 30)]), now: now) }
        #expect(joseErrorCode { try v.validate(JWTClaims(["exp": .int(now + 100), "nbf": .int(now + 31)]), now: now) } == "not_yet_valid")
        #expect(throws: Never.self) { try v.validate(JWTClaims(["exp": .int(now + 100), "iat": .int(now + 30)]), now: now) }
        #expect(joseErrorCode { try v.validate(JWTClaims(["exp": .int(now + 100), "iat": .int(now + 3600)]), now: now) } == "issued_in_future")
        #expect(joseErrorCode { try v.validate(JWTClaims([:]), now: now) } == "missing_claim")
        // Overflow-prone values do not crash.
        #expect(joseErrorCode { try v.validate(JWTClaims(["exp": .int(Int64.min)]), now: now) } == "expired")
        #expect(joseErrorCode { try v.validate(JWTClaims(["exp": .int(Int64.max), "nbf": .int(Int64.max)]), now: now) } == "not_yet_valid")
    }

    @Test func lifetimeIssuerAudienceAndRequiredClaims() throws {
        let v = JWTValidator(
            issuer: "https://idp.example", audience: "https://api.example",
            requiredClaims: ["exp", "iat", "sub", "jti"], maxLifetime: 600)
        #expect(throws: Never.self) { try v.validate(JWTClaims(Fixtures.claims), now: now) }
        var c = Fixtures.claims
        c["exp"] = .int(now + 3600)
        #expect(joseErrorCode { try v.validate(JWTClaims(c), now: now) } == "lifetime_too_long")
        c = Fixtures.claims
        c["iss"] = "https://evil.example"
        #expect(joseErrorCode { try v.validate(JWTClaims(c), now: now) } == "issuer_mismatch")
        c = Fixtures.claims
        c["aud"] = ["https://other.example", "https://api.example.evil"]
        #expect(joseErrorCode { try v.validate(JWTClaims(c), now: now) } == "audience_mismatch")
        c["aud"] = nil
        #expect(joseErrorCode { try v.validate(JWTClaims(c), now: now) } == "audience_mismatch")
        c = Fixtures.claims
        c["jti"] = nil
        #expect(joseErrorCode { try v.validate(JWTClaims(c), now: now) } == "missing_claim")
        c = Fixtures.claims
        c["act"] = ["nosub": 1]
        #expect(joseErrorCode { try v.validate(JWTClaims(c), now: now) } == "invalid_claim")
    }

    @Test func endToEndAIPStyleToken() throws {
        let claims: JSONObject = [
            "iss": "aip:web:acme.com/orchestrator", "sub": "aip:web:acme.com/researcher", "aud": "https://tools.example",
            "iat": .int(now), "exp": .int(now + 300), "jti": "abc", "scope": "research:read", "delegation_depth": 1,
        ]
        let token = try JWS.sign(header: ["typ": "aip+jwt", "kid": "orch"], claims: claims, key: Fixtures.edSigner).compact
        let verifier = JWSVerifier(key: Fixtures.edPublic, keyID: "orch", headerPolicy: .init(expectedType: "aip+jwt"))
        let validator = JWTValidator(issuer: "aip:web:acme.com/orchestrator", audience: "https://tools.example", maxLifetime: 3600)
        let verified = try JWT.verify(token, verifier: verifier, validator: validator, now: now + 10)
        #expect(try verified.claims.scope == ["research:read"])
        #expect(verified.key.keyID == "orch")
        #expect(joseErrorCode { _ = try JWT.verify(token, verifier: verifier, validator: validator, now: now + 300) } == "expired")
        // The same signed token again gives byte-identical output (EdDSA is deterministic).
        #expect(try JWS.sign(header: ["typ": "aip+jwt", "kid": "orch"], claims: claims, key: Fixtures.edSigner).compact == token)
    }
}

@Suite("JOSE JWT validator limits")
struct JWTValidatorLimitTests {
    @Test func hostileLeewayDoesNotCrash() {
        var v = JWTValidator()
        v.leeway = Int64.min
        #expect(joseErrorCode { try v.validate(JWTClaims(["exp": 5]), now: 10) } == "expired")
        v.leeway = Int64.max
        #expect(throws: Never.self) { try v.validate(JWTClaims(["exp": 5, "nbf": 20, "iat": 20]), now: 10) }
    }
}
