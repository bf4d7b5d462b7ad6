import JOSE
import Testing
import TokenExchange

@Suite struct ExchangedTokenVerifierTests {
    static func chain(layout: ClaimLayout = .agentSubject) throws -> (SecurityTokenService, String) {
        var sts = TX.service(layout: layout)
        let t0 = try sts.issueRootToken(principal: "alice", agent: TX.uri("orchestrator"), scopes: ["search", "write:draft"], now: TX.now)
        let t1 = try sts.exchange(
            TX.request(subject: t0, actor: TX.assertion("researcher", now: TX.now), audience: TX.uri("researcher")), now: TX.now
        )
        .get().accessToken
        return (sts, t1)
    }

    static func verifier(_ sts: SecurityTokenService, flaws: Set<ExchangedTokenFlaw> = [], maxDepth: Int64? = nil) -> ExchangedTokenVerifier {
        ExchangedTokenVerifier(issuer: TX.issuer, keys: sts.jwks, layout: sts.configuration.layout, maxDepth: maxDepth, flaws: flaws)
    }

    @Test func acceptsWhatTheServiceIssued() throws {
        for layout in ClaimLayout.allCases {
            let (sts, t1) = try Self.chain(layout: layout)
            let report = Self.verifier(sts).verify(t1, audience: TX.uri("researcher"), requiredScope: "search", now: TX.now)
            let verified = try report.result.get()
            #expect(verified.holder == TX.uri("researcher"))
            #expect(verified.principal == "alice")
            #expect(verified.depth == 1)
            #expect(report.details.contains { $0.hasPrefix("J6 passed") })
        }
    }

    @Test func refusesWithSpecificCodes() throws {
        let (sts, t1) = try Self.chain()
        let v = Self.verifier(sts, maxDepth: 0)
        func code(_ token: String?, audience: String? = TX.uri("researcher"), scope: String? = "search", now: Int64 = TX.now) -> String? {
            guard case let .failure(e) = Self.verifier(sts).verify(token, audience: audience, requiredScope: scope, now: now).result else {
                return nil
            }
            return e.code.rawValue
        }
        #expect(code(nil) == "jwt_token_missing")
        #expect(code("a.b") == "jwt_malformed")
        #expect(code(t1, audience: TX.uri("writer")) == "jwt_audience_mismatch")
        #expect(code(t1, scope: "admin") == "jwt_scope_insufficient")
        #expect(code(t1, now: TX.now + 10_000) == "jwt_expired")
        let none = try JWS.forge(header: ["alg": "none"], claims: JWS.parse(t1).claims, key: .unsecured).compact
        #expect(code(none) == "jwt_signature_invalid")
        guard case let .failure(depth) = v.verify(t1, audience: nil, requiredScope: nil, now: TX.now).result else {
            Issue.record("depth 1 accepted with a limit of 0"); return
        }
        #expect(depth.code == .depthExceeded)
        #expect(depth.check == .depth)
    }

    @Test func flawsRemoveExactlyTheirDefence() throws {
        let (sts, t1) = try Self.chain()
        let none = try JWS.forge(header: ["alg": "none"], claims: JWS.parse(t1).claims, key: .unsecured).compact
        #expect((try? Self.verifier(sts, flaws: [.acceptAlgNone]).verify(none, audience: nil, requiredScope: nil, now: TX.now).result.get()) != nil)
        #expect((try? Self.verifier(sts, flaws: [.skipAudience]).verify(none, audience: nil, requiredScope: nil, now: TX.now).result.get()) == nil)
        #expect(
            (try? Self.verifier(sts, flaws: [.skipAudience]).verify(t1, audience: TX.uri("writer"), requiredScope: nil, now: TX.now).result.get())
                != nil)
    }
}
