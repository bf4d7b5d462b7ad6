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
    /// The lineage as ZeroID answers `GET /api/v1/delegations/by-jti/{jti}`: root first, `from`/`to` the
    /// identities' UUIDs, scopes in and out with what each hop dropped; only in the credential's tenant;
    /// at most ten hops up, cut at the root end.
    @Test func lineageHasZeroIDsShape() throws {
        var s = Self.service()
        s.configuration.defaultPolicy.maxDelegationDepth = 20
        let names = (0...12).map { "a\($0)" }
        for n in names { s.identities[Self.uri(n).description] = ZeroIDIdentity(uri: Self.uri(n), publicKeyPEM: Self.key(n).verificationKey!.pem) }
        var tokens = [
            try s.issueRootCredential(identity: Self.uri("a0").description, scopes: ["docs:write", "web:search"], ttl: 3600, now: Self.now)
        ]
        for n in names.dropFirst() {
            let scope = tokens.count == 1 ? "docs:write web:search" : "docs:write"
            tokens.append(try Self.exchange(&s, subject: tokens.last!, actor: Self.assertion(n), scope: scope).get().accessToken)
        }
        func jti(_ t: String) throws -> String { try JWTClaims(Self.claims(t)).jwtID ?? "" }
        let two = try #require(s.lineage(of: try jti(tokens[2]), account: "acme", project: "prod"))
        let edges = (two["edges"]?.arrayValue ?? []).compactMap(\.objectValue)
        #expect(edges.map { $0["jti"]?.stringValue } == [try jti(tokens[0]), try jti(tokens[1]), try jti(tokens[2])])
        #expect(edges[0]["parent_jti"] == nil && edges[0]["from"] == nil && edges[0]["grant_type"] == "client_credentials")
        #expect(edges[1]["from"] == edges[0]["to"] && edges[2]["from"] == edges[1]["to"])
        #expect(edges[2]["scopes_in"] == ["docs:write", "web:search"] && edges[2]["attenuated"] == ["web:search"])
        #expect(edges[1]["attenuated"] == [] && edges[2]["delegation_depth"] == .int(2) && edges[2]["is_revoked"] == false)
        let nodes = (two["nodes"]?.arrayValue ?? []).compactMap(\.objectValue)
        #expect(Set(nodes.compactMap { $0["wimse_uri"]?.stringValue }) == Set(["a0", "a1", "a2"].map { Self.uri($0).description }))
        #expect(s.lineage(of: try jti(tokens[2]), account: "acme", project: "other") == nil, "another tenant sees nothing")
        let deep = try #require(s.lineage(of: try jti(tokens[12]), account: "acme", project: "prod"))
        let deepEdges = deep["edges"]?.arrayValue ?? []
        #expect(deepEdges.count == ZeroIDService.lineageMaxHops + 1, "ten hops up from the 13th credential")
        #expect(deepEdges.first?.objectValue?["jti"]?.stringValue == (try jti(tokens[2])), "cut at the root end")
    }

    /// client_credentials as ZeroID runs it: the tenant in the request, the client's secret, its scopes,
    /// the identity whose external_id is the client_id.
    @Test func clientCredentialsNeedARegisteredClient() throws {
        var s = Self.service()
        let (_, secret) = try s.registerClient(clientID: "orchestrator", grantTypes: [], scopes: ["docs:write", "web:search"])
        func issue(_ secret: String, account: String = "acme", scope: String = "docs:write") -> ZeroIDError? {
            do {
                _ = try s.issueClientCredentials(
                    clientID: "orchestrator", secret: secret, account: account, project: "prod", scope: scope, now: Self.now)
                return nil
            } catch { return error }
        }
        #expect(issue(secret) == nil)
        #expect(issue("wrong")?.code == .invalidClient)
        #expect(issue(secret, account: "")?.code == .invalidRequest)
        #expect(issue(secret, account: "other")?.code == .invalidClient, "no identity orchestrator in acme/other")
        #expect(issue(secret, scope: "email:send")?.code == .invalidScope)
        let all = try s.issueClientCredentials(clientID: "orchestrator", secret: secret, account: "acme", project: "prod", scope: "", now: Self.now)
        #expect(try Self.claims(all)["scopes"] == ["docs:write", "web:search"], "no scope asked: the client's")
        #expect(throws: ZeroIDAdminError.self) { try s.registerClient(clientID: "orchestrator", grantTypes: [], scopes: []) }
    }

    /// The issuance flaws: a new mission at each hop, a child outliving its parent; and a verifier that
    /// refuses the mission of the chain.
    @Test func issuanceFlawsAndRefusedMissions() throws {
        for flaws: Set<ZeroIDFlaw> in [[], [.missionNotCarried], [.childOutlivesParent]] {
            var s = Self.service(flaws: flaws)
            let root = try s.issueRootCredential(identity: Self.uri("orchestrator").description, scopes: ["docs:write"], ttl: 600, now: Self.now)
            let h1 = try Self.exchange(&s, subject: root, actor: Self.assertion("researcher"), scope: "docs:write").get()
            let (c0, c1) = (try Self.claims(root), try Self.claims(h1.accessToken))
            #expect((c1["mission_id"] == c0["mission_id"]) == !flaws.contains(.missionNotCarried))
            #expect(
                (c1["exp"] == c0["exp"]) == !flaws.contains(.childOutlivesParent),
                "\(String(describing: c1["exp"])) vs \(String(describing: c0["exp"]))")
            let mission = try #require(c0["mission_id"]?.stringValue)
            let report = ZeroIDTokenVerifier(issuer: Self.issuer, keys: s.jwks, refusedMissions: [mission])
                .verify(h1.accessToken, requiredScope: "docs:write", now: Self.now)
            if case let .failure(e) = report.result {
                #expect(!flaws.contains(.missionNotCarried) && e.check == .actorChain && e.reason.contains("refused"), "\(e)")
            } else {
                #expect(flaws.contains(.missionNotCarried), "\(report.details)")
            }
        }
    }
}
