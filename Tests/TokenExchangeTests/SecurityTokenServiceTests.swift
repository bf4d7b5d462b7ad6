import JOSE
import Testing
import TokenExchange

@Suite struct SecurityTokenServiceTests {
    @Test func twoHopsInTheAgentSubjectLayout() throws {
        var sts = TX.service()
        let t0 = try sts.issueRootToken(principal: "alice", agent: TX.uri("orchestrator"), scopes: ["search", "write:draft"], now: TX.now)
        let r1 = try sts.exchange(TX.request(subject: t0, actor: TX.assertion("researcher", now: TX.now), scope: "search write:draft"), now: TX.now)
            .get()
        let c1 = JWTClaims(try JWS.parse(r1.accessToken).claims)
        #expect(try c1.subject == TX.uri("researcher"))
        #expect(try c1.actorChain == [TX.uri("orchestrator")])
        #expect(try c1.delegationDepth == 1)
        #expect(try c1.object.string("principal") == "alice")
        #expect(r1.issuedTokenType == TokenExchangeRequest.jwtTokenType)
        let r2 = try sts.exchange(
            TX.request(subject: r1.accessToken, actor: TX.assertion("writer", now: TX.now, jti: "a-2"), scope: "write:draft"),
            now: TX.now
        ).get()
        let c2 = JWTClaims(try JWS.parse(r2.accessToken).claims)
        #expect(try c2.actorChain == [TX.uri("researcher")])
        #expect(try c2.delegationDepth == 2)
        #expect(try c2.scopes == ["write:draft"])
    }

    @Test func rfc8693LayoutKeepsThePersonAndNestsActors() throws {
        var sts = TX.service(layout: .rfc8693)
        let t0 = try sts.issueRootToken(principal: "alice", agent: TX.uri("orchestrator"), scopes: ["search", "write:draft"], now: TX.now)
        let t1 = try sts.exchange(TX.request(subject: t0, actor: TX.assertion("researcher", now: TX.now)), now: TX.now).get().accessToken
        let t2 = try sts.exchange(TX.request(subject: t1, actor: TX.assertion("writer", now: TX.now, jti: "a-2"), scope: "write:draft"), now: TX.now)
            .get()
        let c2 = JWTClaims(try JWS.parse(t2.accessToken).claims)
        #expect(try c2.subject == "alice")
        #expect(try c2.actorChain == [TX.uri("writer"), TX.uri("researcher"), TX.uri("orchestrator")])
        #expect(try c2.scope == ["write:draft"])
        #expect(t2.scope == "write:draft")
    }

    @Test(arguments: [
        ("replayed", "invalid_request"), ("wrong key", "invalid_client"), ("widened", "invalid_scope"),
        ("expired assertion", "invalid_request"), ("tampered subject", "invalid_request"), ("bad grant", "unsupported_grant_type"),
    ])
    func refusals(_ kind: String, _ code: String) throws {
        var sts = TX.service()
        let t0 = try sts.issueRootToken(principal: "alice", agent: TX.uri("orchestrator"), scopes: ["search"], now: TX.now)
        var request = TX.request(subject: t0, actor: try TX.assertion("researcher", now: TX.now), scope: "search")
        var now = TX.now
        switch kind {
        case "replayed": _ = try sts.exchange(request, now: now).get()
        case "wrong key": request.actorToken = try TX.assertion("researcher", now: TX.now, signer: "writer")
        case "widened": request.scope = "search write:draft"
        case "expired assertion": now += 61
        case "tampered subject":
            var parts = t0.split(separator: ".").map(String.init)
            let claims = try JWS.parse(t0).claims
            var widened = claims
            widened["scopes"] = ["search", "admin"]
            parts[1] = StrictBase64URL.encode(widened.serialized())
            request.subjectToken = parts.joined(separator: ".")
        default: request.grantType = "password"
        }
        let result = sts.exchange(request, now: now)
        guard case let .failure(error) = result else { Issue.record("\(kind) was accepted"); return }
        #expect(error.code.rawValue == code, "\(kind): \(error)")
    }

    @Test func depthLimitAndUnknownAgent() throws {
        var sts = TX.service(maxDepth: 1)
        let t0 = try sts.issueRootToken(principal: "alice", agent: TX.uri("orchestrator"), scopes: ["search"], now: TX.now)
        let t1 = try sts.exchange(TX.request(subject: t0, actor: TX.assertion("researcher", now: TX.now)), now: TX.now).get().accessToken
        guard case let .failure(e) = sts.exchange(TX.request(subject: t1, actor: try TX.assertion("writer", now: TX.now, jti: "a-2")), now: TX.now)
        else {
            Issue.record("depth 2 accepted with a limit of 1"); return
        }
        #expect(e.code == .invalidRequest)
        guard case let .failure(u) = sts.exchange(TX.request(subject: t0, actor: try TX.assertion("mallory", now: TX.now)), now: TX.now) else {
            Issue.record("unknown agent accepted"); return
        }
        #expect(u.code == .invalidClient)
        #expect(u.httpStatus == 401)
    }

    @Test func exchangedTokenNeverOutlivesItsParent() throws {
        var sts = TX.service()
        let t0 = try sts.issueRootToken(principal: "alice", agent: TX.uri("orchestrator"), scopes: ["search"], lifetime: 30, now: TX.now)
        let r = try sts.exchange(TX.request(subject: t0, actor: TX.assertion("researcher", now: TX.now)), now: TX.now).get()
        #expect(try JWTClaims(JWS.parse(r.accessToken).claims).expiration == TX.now + 30)
        #expect(r.expiresIn == 30)
    }
}
