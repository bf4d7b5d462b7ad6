import AIP
import AIPJWT
import BatonCrypto
import JOSE
import Testing

/// Shared fixtures of the compact-token tests: the orchestrator grants the researcher a one-hop token.
enum CF {
    static let now = F.now
    static let issuer = F.orchestrator
    static let holder = F.researcher
    static var issuerKey: Ed25519.PrivateKey { F.key(F.orchestrator) }
    static var malloryKey: Ed25519.PrivateKey { F.key(F.mallory) }

    static func claims(
        scope: [String] = ["tool:search", "tool:browse"], budget: Double? = 0.5, maxDepth: Int64 = 0,
        iat: Int64 = now - 60, exp: Int64 = now + 3540
    ) -> CompactClaims {
        CompactClaims(iss: issuer, sub: holder, scope: scope, budgetUSD: budget, maxDepth: maxDepth, iat: iat, exp: exp)
    }

    static var claimsJSON: JSONObject { claims().jsonObject }

    /// The claims with one member replaced (or removed with `nil`).
    static func claimsJSON(_ name: String, _ value: JSONValue?) -> JSONObject {
        var o = claimsJSON
        o[name] = value
        return o
    }

    static func mint(_ c: CompactClaims = claims(), key: Ed25519.PrivateKey? = nil) throws -> String {
        try CompactIssuer().mint(c, key: key ?? issuerKey)
    }

    /// Signs whatever header and claims are given, bypassing every issuer check.
    static func forge(
        header: JSONObject = CompactIssuer.header, claims: JSONObject = claimsJSON,
        key: JWSSigningKey? = nil
    ) throws -> String {
        try JWS.forge(header: header, claims: claims, key: key ?? .ed25519(issuerKey)).compact
    }

    static func header(_ name: String, _ value: JSONValue?) -> JSONObject {
        var h = CompactIssuer.header
        h[name] = value
        return h
    }

    static var keyVerifier: CompactVerifier { CompactVerifier(trust: .key(F.root, issuer: issuer)) }
    static var registryVerifier: CompactVerifier { CompactVerifier(trust: .registry(F.registry, issuers: nil)) }
    static var verifiers: [CompactVerifier] { [keyVerifier, registryVerifier] }

    static func verify(
        _ token: String?, _ verifier: CompactVerifier = keyVerifier, audience: String? = holder,
        scope: String? = "tool:search", at time: Int64 = now
    ) -> CompactVerificationReport {
        verifier.verify(token, audience: audience, requiredScope: scope, now: time)
    }
}

func expectCompactRejected(
    _ report: CompactVerificationReport, _ code: AIPErrorCode, by check: CompactCheck, _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let error = report.error else {
        Issue.record("accepted; expected \(code.rawValue) at \(check) \(comment?.rawValue ?? "")", sourceLocation: sourceLocation)
        return
    }
    #expect(error.code == code, "\(error) \(comment?.rawValue ?? "")", sourceLocation: sourceLocation)
    #expect(report.failedCheck == check, "\(error) \(comment?.rawValue ?? "")", sourceLocation: sourceLocation)
    #expect(error.step == check.step, "\(error)", sourceLocation: sourceLocation)
    #expect(report.details.last?.status == .failed, sourceLocation: sourceLocation)
    #expect(report.details.filter { $0.status == .failed }.count == 1, sourceLocation: sourceLocation)
}

func expectCompactAccepted(_ report: CompactVerificationReport, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    if let error = report.error { Issue.record("rejected: \(error) \(comment?.rawValue ?? "")", sourceLocation: sourceLocation) }
}

/// The reference compact verifier: acceptance and every refusal that is not a forgery.
@Suite struct CompactVerifierTests {
    @Test func mintedTokenVerifiesWithEveryCheckReported() throws {
        let token = try CF.mint()
        for verifier in CF.verifiers {
            let report = CF.verify(token, verifier)
            guard let verified = report.verified else { Issue.record("\(report.result)"); continue }
            #expect(verified.claims == CF.claims())
            #expect(verified.issuerKey == F.root)
            #expect(verified.signature.count == 64)
            #expect(report.details.map(\.check) == CompactCheck.allCases)
            #expect(report.details.allSatisfy { $0.status != .failed })
            #expect(report.details.first { $0.check == .lifetime }?.status == .skipped)
            #expect(report.details.first { $0.check == .revocation }?.status == .skipped)
            #expect(report.details.first { $0.check == .scope }?.status == .passed)
            #expect(report.code == nil && report.step == nil && report.failedCheck == nil)
            #expect(report.steps.map(\.step) == CompactCheck.allCases.map(\.step))
        }
    }

    @Test func optionalChecksAreSkippedWithoutInputs() throws {
        let report = CF.keyVerifier.verify(try CF.mint(), now: CF.now)
        expectCompactAccepted(report)
        #expect(report.details.first { $0.check == .audience }?.status == .skipped)
        #expect(report.details.first { $0.check == .scope }?.status == .skipped)
    }

    @Test func issuerWithoutExpectedIdentityIsTrustedByConfiguration() throws {
        let verifier = CompactVerifier(trust: .key(F.root, issuer: nil))
        expectCompactAccepted(CF.verify(try CF.mint(), verifier))
        // Still: another key's signature is refused.
        expectCompactRejected(CF.verify(try CF.mint(key: CF.malloryKey), verifier), .signatureInvalid, by: .signature)
    }

    @Test func selfCertifyingKeyIssuer() throws {
        let key = Ed25519.PrivateKey.derived(from: "compact:key-issuer")
        let id = AIPIdentifier.key(key.publicKey).description
        var c = CF.claims()
        c.iss = id
        let token = try CF.mint(c, key: key)
        expectCompactAccepted(CF.verify(token, CompactVerifier(trust: .key(key.publicKey, issuer: id))))
        expectCompactAccepted(CF.verify(token, CompactVerifier(trust: .key(key.publicKey, issuer: nil))))
        expectCompactAccepted(CF.verify(token, CF.registryVerifier))
        // A configured key that is not the one the identifier names.
        expectCompactRejected(CF.verify(token, CompactVerifier(trust: .key(F.root, issuer: nil))), .identityUnresolvable, by: .issuer)
        // An allow-list keeps self-certifying issuers out.
        let listed = CompactVerifier(trust: .registry(F.registry, issuers: [CF.issuer]))
        expectCompactRejected(CF.verify(token, listed), .identityUnresolvable, by: .issuer)
        expectCompactAccepted(CF.verify(try CF.mint(), listed))
    }

    @Test func missingTokenIsTokenMissing() {
        expectCompactRejected(CF.verify(nil), .tokenMissing, by: .present)
        expectCompactRejected(CF.verify(""), .tokenMissing, by: .present)
        #expect(CF.verify(nil).step == .binding)
    }

    @Test func wrongAudienceIsAudienceMismatch() throws {
        let token = try CF.mint()
        for verifier in CF.verifiers {
            expectCompactRejected(CF.verify(token, verifier, audience: F.writer), .audienceMismatch, by: .audience)
            expectCompactRejected(CF.verify(token, verifier, audience: CF.issuer), .audienceMismatch, by: .audience)
            expectCompactRejected(CF.verify(token, verifier, audience: CF.holder + "/"), .audienceMismatch, by: .audience)
        }
        #expect(CF.verify(token, audience: F.writer).step == .audience)
    }

    @Test func missingScopeIsScopeInsufficient() throws {
        let token = try CF.mint()
        for scope in ["tool:email", "tool:search2", "tool:", "TOOL:SEARCH", "*", "tool:*"] {
            expectCompactRejected(CF.verify(token, scope: scope), .scopeInsufficient, by: .scope, "\(scope)")
        }
        expectCompactAccepted(CF.verify(token, scope: "tool:browse"))
        #expect(CF.verify(token, scope: "tool:email").message.contains("tool:email"))
    }

    @Test func scopePatternsFollowTheChainedProfile() throws {
        let token = try CF.mint(CF.claims(scope: ["tool:*", "research:read"]))
        expectCompactAccepted(CF.verify(token, scope: "tool:email"))
        expectCompactAccepted(CF.verify(token, scope: "research:read"))
        expectCompactRejected(CF.verify(token, scope: "research:write"), .scopeInsufficient, by: .scope)
        let any = try CF.mint(CF.claims(scope: ["*"]))
        expectCompactAccepted(CF.verify(any, scope: "anything:at-all"))
        // Exact matching, as the reference Python has_scope: `tool:*` is a literal name.
        let exact = CompactVerifier(trust: .key(F.root, issuer: CF.issuer), options: .init(scopePatterns: false))
        expectCompactRejected(CF.verify(token, exact, scope: "tool:email"), .scopeInsufficient, by: .scope)
        expectCompactAccepted(CF.verify(token, exact, scope: "tool:*"))
    }

    @Test func expiredTokenIsTokenExpired() throws {
        let token = try CF.mint(CF.claims(iat: CF.now - 3600, exp: CF.now))
        expectCompactRejected(CF.verify(token), .tokenExpired, by: .expiry, "exp == now")
        expectCompactRejected(CF.verify(token, at: CF.now + 1), .tokenExpired, by: .expiry, "exp < now")
        expectCompactAccepted(CF.verify(token, at: CF.now - 1), "exp == now + 1")
        for verifier in CF.verifiers {
            expectCompactRejected(CF.verify(try CF.mint(CF.claims(iat: 0, exp: 1)), verifier), .tokenExpired, by: .expiry)
        }
    }

    @Test func tokenFromTheFutureIsMalformed() throws {
        let future = try CF.mint(CF.claims(iat: CF.now + 1, exp: CF.now + 600))
        expectCompactRejected(CF.verify(future), .tokenMalformed, by: .notBefore)
        expectCompactAccepted(CF.verify(future, at: CF.now + 1), "iat == now")
        let nbf = try CF.forge(claims: CF.claimsJSON("nbf", .int(CF.now + 10)))
        expectCompactRejected(CF.verify(nbf), .tokenMalformed, by: .notBefore)
        expectCompactAccepted(CF.verify(nbf, at: CF.now + 10))
        let badNbf = try CF.forge(claims: CF.claimsJSON("nbf", "soon"))
        expectCompactRejected(CF.verify(badNbf), .tokenMalformed, by: .claims)
        // exp before iat and already past: expiry decides first.
        let inverted = try CF.forge(claims: CF.claims(iat: CF.now - 10, exp: CF.now - 20).jsonObject)
        expectCompactRejected(CF.verify(inverted), .tokenExpired, by: .expiry)
    }

    @Test func lifetimeLimitIsAnOption() throws {
        let long = try CF.mint(CF.claims(iat: CF.now - 10, exp: CF.now + 86_400))
        expectCompactAccepted(CF.verify(long), "off by default")
        let strict = CompactVerifier(trust: .key(F.root, issuer: CF.issuer), options: .init(maxLifetime: 3600))
        expectCompactRejected(CF.verify(long, strict), .tokenMalformed, by: .lifetime)
        let hour = try CF.mint(CF.claims(iat: CF.now - 10, exp: CF.now - 10 + 3600))
        expectCompactAccepted(CF.verify(hour, strict), "exactly the limit")
        let huge = try CF.mint(CF.claims(iat: Int64.min + 1, exp: Int64.max))
        expectCompactRejected(CF.verify(huge, strict), .tokenMalformed, by: .lifetime, "overflowing lifetime")
        #expect(CF.verify(hour, strict).details.first { $0.check == .lifetime }?.status == .passed)
    }

    @Test func unknownIssuerIsIdentityUnresolvable() throws {
        let stranger = "aip:web:unknown.example/agent"
        var c = CF.claims()
        c.iss = stranger
        let token = try CF.mint(c, key: CF.malloryKey)
        expectCompactRejected(CF.verify(token, CF.registryVerifier), .identityUnresolvable, by: .issuer)
        expectCompactRejected(CF.verify(token, CF.keyVerifier), .identityUnresolvable, by: .issuer)
        #expect(CF.verify(token, CF.registryVerifier).step == .v2)
        // A published identity outside the verifier's allow-list.
        var m = CF.claims()
        m.iss = F.mallory
        let mallory = try CF.mint(m, key: CF.malloryKey)
        expectCompactAccepted(CF.verify(mallory, CF.registryVerifier), "any published issuer without an allow-list")
        let listed = CompactVerifier(trust: .registry(F.registry, issuers: [CF.issuer]))
        expectCompactRejected(CF.verify(mallory, listed), .identityUnresolvable, by: .issuer)
    }

    @Test func expiredIdentityDocumentAndRotatedKeys() throws {
        let old = Ed25519.PrivateKey.derived(from: "compact:old")
        let new = Ed25519.PrivateKey.derived(from: "compact:new")
        let doc = IdentityDocument(
            id: CF.issuer,
            keys: [
                .init(id: "old", publicKey: old.publicKey, validFrom: CF.now - 1000, validUntil: CF.now - 1),
                .init(id: "new", publicKey: new.publicKey, validFrom: CF.now - 1000, validUntil: CF.now + 1000),
            ], expires: CF.now + 500)
        let verifier = CompactVerifier(trust: .registry(IdentityRegistry(documents: [doc]), issuers: nil))
        expectCompactAccepted(CF.verify(try CF.mint(key: new), verifier))
        expectCompactRejected(CF.verify(try CF.mint(key: old), verifier), .signatureInvalid, by: .signature, "retired key")
        expectCompactRejected(CF.verify(try CF.mint(key: new), verifier, at: CF.now + 500), .identityUnresolvable, by: .issuer, "expired document")
    }

    @Test func revocation() throws {
        let token = try CF.mint()
        var list = RevocationList(refreshedAt: CF.now - 10)
        expectCompactAccepted(CF.verify(token, CompactVerifier(trust: .key(F.root, issuer: CF.issuer), revocation: list)))
        #expect(
            CF.verify(token, CompactVerifier(trust: .key(F.root, issuer: CF.issuer), revocation: list))
                .details.last?.status == .passed)

        var byToken = list
        guard let signature = CF.verify(token).verified?.signature else { Issue.record("not verified"); return }
        byToken.revoke(revocationId: signature)
        expectCompactRejected(
            CF.verify(token, CompactVerifier(trust: .key(F.root, issuer: CF.issuer), revocation: byToken)), .keyRevoked, by: .revocation)
        expectCompactAccepted(
            CF.verify(try CF.mint(CF.claims(scope: ["tool:search"])), CompactVerifier(trust: .key(F.root, issuer: CF.issuer), revocation: byToken)),
            "another token of the same issuer")

        list.revoke(key: F.root)
        expectCompactRejected(
            CF.verify(token, CompactVerifier(trust: .registry(F.registry, issuers: nil), revocation: list)), .keyRevoked, by: .revocation)

        let stale = RevocationList(refreshedAt: CF.now - 301)
        expectCompactRejected(
            CF.verify(token, CompactVerifier(trust: .key(F.root, issuer: CF.issuer), revocation: stale)), .keyRevoked, by: .revocation)

        var registry = F.registry
        guard var doc = registry.document(CF.issuer) else { Issue.record("no document"); return }
        doc.advertisesRevocation = true
        registry.publish(doc)
        expectCompactRejected(
            CF.verify(token, CompactVerifier(trust: .registry(registry, issuers: nil))), .keyRevoked, by: .revocation,
            "advertised revocation without a status")
    }

    @Test func reportExposesTheDecision() throws {
        let report = CF.verify(try CF.mint(), audience: F.writer)
        #expect(report.code == .audienceMismatch)
        #expect(report.step == .audience)
        #expect(report.failedCheck == .audience)
        #expect(report.message.contains(F.writer))
        #expect(report.details.map(\.check) == Array(CompactCheck.allCases.prefix(through: CompactCheck.allCases.firstIndex(of: .audience) ?? 0)))
        #expect(report.steps.last?.status == .failed)
        #expect(report.code?.httpStatus == 403)
    }
}
