import BatonCrypto
import JOSE
import Testing
import TokenExchange
import ZeroID

/// The worked example of the ZeroID sheet (§4): orchestrator → researcher → writer, both profiles.
struct ZeroIDServiceTests {
    static let issuer = "http://localhost:8899"
    static let now: Int64 = 1_767_225_600

    static func key(_ name: String) -> JWSSigningKey {
        var scalar = SHA256.hash(Array("zeroid-test:\(name)".utf8))
        while true {
            if let k = try? JWSSigningKey.p256(scalar: scalar) { return k }
            scalar = SHA256.hash(scalar)
        }
    }

    static func uri(_ name: String, project: String = "prod") -> WorkloadURI { WorkloadURI("spiffe://zeroid.dev/acme/\(project)/agent/\(name)")! }

    static func service(_ profile: ZeroIDTokenProfile = .legacy, _ compat: ZeroIDCompatibility = .spec, flaws: Set<ZeroIDFlaw> = []) -> ZeroIDService
    {
        let identities = ["orchestrator", "researcher", "writer"].map {
            ZeroIDIdentity(uri: uri($0), publicKeyPEM: key($0).verificationKey!.pem)
        }
        return ZeroIDService(
            configuration: ZeroIDConfiguration(issuer: issuer, profile: profile, compatibility: compat), signingKey: key("zeroid"),
            identities: identities, policies: [], flaws: flaws)
    }

    static func assertion(_ name: String, jti: String = "j1", now: Int64 = now) throws -> String {
        let u = uri(name).description
        return try JWS.sign(
            header: ["typ": "JWT"],
            claims: [
                "iss": .string(u), "sub": .string(u), "aud": .string(issuer), "jti": .string("\(name)-\(jti)"), "iat": .int(now),
                "exp": .int(now + 120),
            ],
            key: key(name)
        ).compact
    }

    static func exchange(_ s: inout ZeroIDService, subject: String, actor: String, scope: String) -> Result<ZeroIDTokenResponse, ZeroIDError> {
        s.exchange(TokenExchangeRequest(subjectToken: subject, actorToken: actor, scope: scope), now: now)
    }

    static func claims(_ token: String) throws -> JSONObject { try JWS.parse(token).claims }

    @Test func legacyTwoHopsCarryMissionAndNestedAct() throws {
        var s = Self.service()
        let root = try s.issueRootCredential(
            identity: Self.uri("orchestrator").description, scopes: ["research:read", "docs:write"], ttl: 3600, now: Self.now)
        let h1 = try Self.exchange(&s, subject: root, actor: Self.assertion("researcher"), scope: "research:read docs:write").get()
        let h2 = try Self.exchange(&s, subject: h1.accessToken, actor: Self.assertion("writer"), scope: "docs:write email:send").get()
        let c0 = try Self.claims(root)
        let c2 = try Self.claims(h2.accessToken)
        #expect(c2["mission_id"] == c0["jti"])
        #expect(c2["delegation_depth"] == .int(2))
        #expect(c2["scopes"] == .array(["docs:write"]))
        #expect(try JWTClaims(c2).actorChain == [Self.uri("writer"), Self.uri("researcher"), Self.uri("orchestrator")].map(\.description))
        #expect(h2.issuedTokenType == TokenExchangeRequest.accessTokenType)
        let report = ZeroIDTokenVerifier(issuer: Self.issuer, keys: s.jwks).verify(h2.accessToken, requiredScope: "docs:write", now: Self.now)
        #expect((try? report.result.get()) != nil, "\(report.details)")
    }

    @Test func compatibleLegacyActNamesTheDelegatorAndAssertionsReplay() throws {
        var s = Self.service(.legacy, .zeroid)
        let root = try s.issueRootCredential(identity: Self.uri("orchestrator").description, scopes: ["research:read"], ttl: 3600, now: Self.now)
        let a = try Self.assertion("researcher")
        let h1 = try Self.exchange(&s, subject: root, actor: a, scope: "research:read").get()
        #expect(try Self.claims(h1.accessToken)["act"] == .object(["sub": .string(Self.uri("orchestrator").description)]))
        #expect((try? Self.exchange(&s, subject: root, actor: a, scope: "research:read").get()) != nil)
        var spec = Self.service()
        let root2 = try spec.issueRootCredential(identity: Self.uri("orchestrator").description, scopes: ["research:read"], ttl: 3600, now: Self.now)
        _ = try Self.exchange(&spec, subject: root2, actor: a, scope: "research:read").get()
        guard case let .failure(e) = Self.exchange(&spec, subject: root2, actor: a, scope: "research:read") else {
            Issue.record("replay accepted"); return
        }
        #expect(e.check == .assertionReplay && e.code == .invalidGrant)
    }

    @Test func rfc8693KeepsThePrincipal() throws {
        var s = Self.service(.rfc8693)
        let root = try s.issueRootCredential(identity: Self.uri("orchestrator").description, scopes: ["docs:write"], ttl: 3600, now: Self.now)
        let h1 = try Self.exchange(&s, subject: root, actor: Self.assertion("researcher"), scope: "docs:write").get()
        let h2 = try Self.exchange(&s, subject: h1.accessToken, actor: Self.assertion("writer"), scope: "docs:write").get()
        let c2 = try Self.claims(h2.accessToken)
        #expect(c2["sub"] == .string(Self.uri("orchestrator").description))
        #expect(c2["principal_type"] == "workload")
        #expect(c2["scope"] == "docs:write" && c2["client_id"] == "writer")
        #expect(c2["external_id"] == nil)
        #expect(try JWS.parse(h2.accessToken).type == "at+jwt")
        #expect(try JWTClaims(c2).actorChain == [Self.uri("writer"), Self.uri("researcher")].map(\.description))
    }

    @Test func revocationCascadesThroughIntrospection() throws {
        for flaws: Set<ZeroIDFlaw> in [[], [.noCascade]] {
            var s = Self.service(flaws: flaws)
            let root = try s.issueRootCredential(identity: Self.uri("orchestrator").description, scopes: ["docs:write"], ttl: 3600, now: Self.now)
            let h1 = try Self.exchange(&s, subject: root, actor: Self.assertion("researcher"), scope: "docs:write").get()
            #expect((try? s.introspect(h1.accessToken, now: Self.now).get()) != nil)
            _ = s.revoke(root)
            let active = (try? s.introspect(h1.accessToken, now: Self.now).get()) != nil
            #expect(active == flaws.contains(.noCascade))
            let chain = s.lineage(of: try JWTClaims(Self.claims(h1.accessToken)).jwtID!, account: "acme", project: "prod")
            #expect(chain?["edges"]?.arrayValue?.count == 2)
            #expect(chain?["edges"]?.arrayValue?.last?.objectValue?["is_revoked"] == .bool(!flaws.contains(.noCascade)))
        }
    }

    @Test func tenantAndPolicyRefusals() throws {
        var s = Self.service()
        s.identities[Self.uri("mallory", project: "other").description] = ZeroIDIdentity(
            uri: Self.uri("mallory", project: "other"), publicKeyPEM: Self.key("mallory").verificationKey!.pem)
        let root = try s.issueRootCredential(identity: Self.uri("orchestrator").description, scopes: ["docs:write"], ttl: 3600, now: Self.now)
        let u = Self.uri("mallory", project: "other").description
        let a = try JWS.sign(
            claims: [
                "iss": .string(u), "sub": .string(u), "aud": .string(Self.issuer), "jti": "m", "iat": .int(Self.now), "exp": .int(Self.now + 60),
            ],
            key: Self.key("mallory")
        ).compact
        guard case let .failure(e) = Self.exchange(&s, subject: root, actor: a, scope: "docs:write") else { Issue.record("accepted"); return }
        #expect(e.check == .actorIdentity && e.reason.contains("same tenant"))
        s.policies["p"] = CredentialPolicy(id: "p", maxDelegationDepth: 1, allowedGrantTypes: ["token_exchange"])
        s.identities[Self.uri("researcher").description]?.policyID = "p"
        s.configuration.defaultTTL = 7200
        guard case let .failure(p) = Self.exchange(&s, subject: root, actor: try Self.assertion("researcher"), scope: "docs:write") else {
            Issue.record("accepted")
            return
        }
        #expect(p.code == .policyViolation && p.reason.contains("TTL"))
    }
}
