import AgenticJWT
import BatonCrypto
import BatonHarness
import BatonModel
import BatonProfiles
import BatonRuntime
import BatonTargets
import BatonTestSupport
import Foundation
import JOSE
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The resource-server target (`--iut rs:URL#CONFIG.json`): its configuration files, the `rs:` form,
/// and real HTTP against small servers on loopback: every answer a server can give becomes an
/// acceptance, a mapped refusal, or an implementation error; nothing hangs or crashes.
@Suite(.serialized) struct ResourceServerTargetTests {
    static var auth51Path: String { PackagePaths.fixtures.appendingPathComponent("resource-servers/auth51-verifier.json").path }

    static func auth51() throws -> ResourceServerConfiguration { try ResourceServerConfiguration(contentsOf: auth51Path) }

    static func withServer(_ handler: @escaping LoopbackHTTPServer.Handler, _ body: (URL) async throws -> Void) async throws {
        let server = try LoopbackHTTPServer(port: 0, handler: handler)
        server.start()
        defer { server.stop() }
        try await body(try #require(URL(string: "http://127.0.0.1:\(server.port)")))
    }

    static func request(_ target: ResourceServerTarget, path: String, token: String? = "a.b.c", headers: [[String]] = [["DPoP", "proof"]])
        -> VerifyRequest
    {
        var r = VerifyRequest(
            profile: TokenProfile("agentic-jwt"), token: token, rootKey: Ed25519.PrivateKey.derived(from: "rs-test").publicKey, now: 0,
            requireSignedDelegation: false)
        r.resource = ResourceRequest(session: "s", method: "GET", url: target.url(of: path), headers: headers, action: "research.search")
        return r
    }

    static func json(_ status: Int, _ o: JSONObject, headers: [(name: String, value: String)] = []) -> LoopbackHTTPServer.Response {
        LoopbackHTTPServer.Response(status: status, body: Data(o.canonicalString.utf8), headers: headers)
    }

    // MARK: Configuration

    @Test func theAuth51ConfigurationReadsAsDocumented() throws {
        let c = try Self.auth51()
        #expect(c.name == "auth51-verifier")
        #expect(c.version == "1.0.0")
        #expect(c.authorizationScheme == "Bearer")
        #expect(c.endpoints.map(\.path) == ["/protected", "/tool"])
        #expect(c.endpoints.map(\.scope) == ["read:data", "mcp:tool:demo:read_repo"])
        #expect(c.endpoints.allSatisfy { $0.method == "GET" && $0.action == nil })
        #expect(c.messageMembers == ["error", "detail"])
    }

    /// Every refusal message docs/AUTH51-VERIFIER.md lists maps to the code a scenario expects.
    @Test func everyAuth51RefusalMapsToItsCode() throws {
        let c = try Self.auth51()
        let table: [(String, AgenticJWTCode)] = [
            ("Missing bearer token", .tokenMissing), ("Unauthenticated", .tokenMissing),
            ("Invalid token: Not enough segments", .tokenMalformed), ("Invalid token: Invalid header padding", .tokenMalformed),
            ("Invalid token: Key ID header parameter must be a string", .tokenMalformed), ("Missing kid", .keyUnknown),
            ("Unknown signing key (kid=nope)", .keyUnknown), ("Token expired", .tokenExpired),
            ("Invalid token: The specified alg value is not allowed", .algorithmRefused),
            ("Invalid token: Signature verification failed", .signatureInvalid),
            ("Invalid token: The token is not yet valid (nbf)", .tokenNotYetValid),
            ("Invalid token: The token is not yet valid (iat)", .tokenNotYetValid),
            ("Invalid token: Expiration Time claim (exp) must be an integer.", .tokenMalformed), ("Invalid token: Invalid issuer", .issuerInvalid),
            (#"Invalid token: Token is missing the "iss" claim"#, .issuerInvalid), ("Invalid token: Subject must be a string", .tokenMalformed),
            ("Invalid token: Unsupported critical extension: exp", .tokenMalformed), ("Invalid audience: need 'rs'", .audienceMismatch),
            ("Intent mismatch: token authorizes action 'a', but this endpoint requires 'b'", .intentMismatch),
            ("Token lacks the required scope(s) for this operation \u{2014} not authorized (read:data)", .scopeInsufficient),
            ("Token is not sender-constrained (no cnf)", .notSenderConstrained), ("Unsupported cnf binding", .notSenderConstrained),
            ("Missing DPoP proof", .popMissing), ("Missing PoP proof", .popMissing), ("Malformed DPoP proof", .popInvalid),
            ("DPoP proof has wrong typ", .popInvalid), ("DPoP proof missing EC jwk", .popInvalid),
            ("DPoP key thumbprint != token cnf.jkt", .popKeyMismatch), ("DPoP proof expired", .popStale),
            ("Invalid DPoP proof signature", .popInvalid), ("DPoP htm mismatch", .popMethodMismatch), ("DPoP htu mismatch", .popURLMismatch),
            ("DPoP proof stale or missing iat", .popStale), ("DPoP ath does not match the access token", .popAccessTokenMismatch),
            ("Invalid PoP proof", .popInvalid),
        ]
        for (message, code) in table { #expect(c.code(forMessage: message) == code, "\(message)") }
        #expect(c.code(forMessage: "Value binding violated: action_hash mismatch") == nil)
    }

    @Test func configurationMistakesAreNamed() throws {
        func error(_ text: String) -> String {
            do {
                _ = try ResourceServerConfiguration(json: Data(text.utf8))
                return "no error"
            } catch { return error.message }
        }
        let endpoint = #""endpoints": [{"path": "/p", "scope": "s"}]"#
        #expect(error("[1]").contains("not a JSON object"))
        #expect(error(#"{"endpoints": []}"#).contains("name"))
        #expect(error(#"{"name": "x", "endpoints": []}"#).contains("endpoints: a non-empty array"))
        #expect(error(#"{"name": "x", "endpoint": [], \#(endpoint)}"#).contains("endpoint: unknown member"))
        #expect(error(#"{"name": "x", "endpoints": [{"path": "p"}]}"#).contains("endpoints[0].path"))
        #expect(error(#"{"name": "x", "endpoints": [{"path": "/p", "method": "get"}]}"#).contains("endpoints[0].method"))
        #expect(error(#"{"name": "x", "endpoints": [{"path": "/p", "scopes": ["s"]}]}"#).contains("endpoints[0].scopes: unknown member"))
        #expect(error(#"{"name": "x", "authorization_scheme": "Bearer token", \#(endpoint)}"#).contains("authorization_scheme"))
        #expect(error(#"{"name": "x", \#(endpoint), "refusals": [{"contains": "x", "code": "invalid_token"}]}"#).contains("refusals[0].code"))
        #expect(error(#"{"name": "x", \#(endpoint), "refusals": [{"contains": "", "code": "ajwt_pop_missing"}]}"#).contains("refusals[0].contains"))
        #expect(error(#"{"name": "x", \#(endpoint), "message_members": []}"#).contains("message_members"))
        let minimal = try ResourceServerConfiguration(json: Data(#"{"name": "x", \#(endpoint)}"#.utf8))
        #expect(minimal.authorizationScheme == "DPoP", "RFC 9449 §7.1 by default")
        #expect(minimal.endpoints == [.init(path: "/p", method: "GET", scope: "s")])
        #expect(minimal.messageMembers == ResourceServerConfiguration.defaultMessageMembers)
    }

    // MARK: The rs: form

    @Test func theRsFormNamesALoopbackServerAndItsConfiguration() throws {
        let spec = try ResourceServerSpec(parsing: "http://127.0.0.1:8000#\(Self.auth51Path)")
        #expect(spec.baseURL.absoluteString == "http://127.0.0.1:8000")
        #expect(spec.configuration.name == "auth51-verifier")
        let target = spec.target(timeout: 3)
        #expect(target.descriptor.name == "auth51-verifier")
        #expect(target.descriptor.version == "1.0.0")
        #expect(target.descriptor.roles == [.verifier])
        #expect(target.descriptor.options.isEmpty, "the app reads the wall clock")
        #expect(target.descriptor.profiles == [TokenProfile("agentic-jwt")])
        #expect(
            target.descriptor.endpoints == [
                ResourceEndpoint(url: "http://127.0.0.1:8000/protected", method: "GET", scope: "read:data"),
                ResourceEndpoint(url: "http://127.0.0.1:8000/tool", method: "GET", scope: "mcp:tool:demo:read_repo"),
            ])
        let renamed = try ResourceServerSpec(parsing: "http://localhost:9/#\(Self.auth51Path)&name=auth51-dpop&scheme=DPoP")
        #expect(renamed.configuration.name == "auth51-dpop")
        #expect(renamed.configuration.authorizationScheme == "DPoP")
        #expect(renamed.target().url(of: "/tool") == "http://localhost:9/tool")

        func error(_ text: String) -> String {
            do {
                _ = try ResourceServerSpec(parsing: text)
                return "no error"
            } catch { return error.message }
        }
        #expect(error("http://example.com:8000#\(Self.auth51Path)").contains("loopback"))
        #expect(error("https://127.0.0.1:8000#\(Self.auth51Path)").contains("loopback"))
        #expect(error("http://127.0.0.1:8000").contains("configuration file"))
        #expect(error("http://127.0.0.1:8000#name=x").contains("configuration file"))
        #expect(error("http://127.0.0.1:8000#/nonexistent/rs.json").contains("cannot be read"))
        #expect(error("http://127.0.0.1:8000#\(Self.auth51Path)&colour=blue").contains("unknown 'rs:' option"))
        #expect(error("http://127.0.0.1:8000#\(Self.auth51Path)&scheme=Bearer x").contains("unknown 'rs:' option"))
    }

    /// The command line refuses a bad `rs:` before running anything, and its help names the form.
    @Test(.enabled(if: VerifyCommandTests.baton != nil)) func theCommandLineTakesTheRsForm() throws {
        let away = try VerifyCommandTests.run(["run", "--iut", "rs:http://rs.example.com#\(Self.auth51Path)", "--reports", "/nonexistent"])
        #expect(away.status != 0)
        #expect(away.stderr.contains("'rs:' needs a loopback http URL"), "\(away.stderr)")
        let typo = try VerifyCommandTests.run(["run", "--iut", "rs:http://127.0.0.1:1#\(Self.auth51Path)&nmae=x", "--reports", "/nonexistent"])
        #expect(typo.stderr.contains("unknown 'rs:' option 'nmae=x'"), "\(typo.stderr)")
        let help = try VerifyCommandTests.run(["run", "--help"])
        #expect(help.stdout.contains("rs:http://127.0.0.1:PORT#<config.json>"))
    }

    // MARK: HTTP

    /// The request as sent: the method, the path, `Authorization: <scheme> <token>`, the scenario's
    /// `DPoP` header, no body for GET; the answers: 2xx accepts, refusals map, the rest are errors.
    @Test func answersBecomeAcceptancesRefusalsOrErrors() async throws {
        let seen = Mutex<[(String, String, String?, String?, Int)]>([])
        let handler: LoopbackHTTPServer.Handler = { request in
            seen.withLock { $0.append((request.method, request.path, request.header("Authorization"), request.header("DPoP"), request.body.count)) }
            switch request.path {
            case "/accept": return Self.json(200, ["ok": true, "subject": "researcher"])
            case "/created": return LoopbackHTTPServer.Response(status: 204, body: Data())
            case "/expired": return Self.json(401, ["error": "Token expired"])
            case "/scope":
                return Self.json(403, ["detail": "Token lacks the required scope(s) for this operation \u{2014} not authorized (read:data)"])
            case "/htu": return Self.json(401, ["detail": "DPoP htu mismatch"])
            case "/bad-request": return Self.json(400, ["detail": "Malformed DPoP proof"])
            case "/unmapped": return Self.json(403, ["detail": "Value binding violated: action_hash mismatch"])
            case "/www":
                return Self.json(401, [:], headers: [("WWW-Authenticate", #"DPoP error="invalid_token", error_description="DPoP htm mismatch""#)])
            case "/list": return Self.json(400, ["detail": [["msg": "field required"]]])
            case "/crash": return LoopbackHTTPServer.Response(status: 500, body: Data("Internal Server Error".utf8), contentType: "text/plain")
            case "/jwks-down": return Self.json(502, ["error": "Empty/invalid JWKS"])
            case "/html": return LoopbackHTTPServer.Response(status: 401, body: Data("<html>denied".utf8), contentType: "text/html")
            case "/binary": return LoopbackHTTPServer.Response(status: 403, body: Data([0xFF, 0x00, 0xFE]), contentType: "application/octet-stream")
            default: return Self.json(404, ["detail": "Not Found"])
            }
        }
        try await Self.withServer(handler) { url in
            let target = ResourceServerTarget(baseURL: url, configuration: try Self.auth51(), timeout: 3)
            func verify(_ path: String, token: String? = "a.b.c") async -> Outcome {
                await target.verify(Self.request(target, path: path, token: token))
            }

            #expect(await verify("/accept").verdict == .accept)
            #expect(await verify("/created").verdict == .accept)
            let sent = try #require(seen.withLock { $0.first })
            #expect(sent.0 == "GET")
            #expect(sent.1 == "/accept")
            #expect(sent.2 == "Bearer a.b.c", "the configured scheme")
            #expect(sent.3 == "proof", "the scenario's DPoP header is passed on")
            #expect(sent.4 == 0, "no body on GET")

            let expired = await verify("/expired")
            #expect(expired.verdict == .reject)
            #expect(expired.code == "ajwt_token_expired")
            #expect(expired.message == "HTTP 401: Token expired", "the server's message is kept")
            #expect(await verify("/scope").code == "ajwt_scope_insufficient")
            #expect(await verify("/htu").code == "ajwt_pop_url_mismatch")
            #expect(await verify("/bad-request").code == "ajwt_pop_invalid")
            #expect(await verify("/www").code == "ajwt_pop_method_mismatch", "the WWW-Authenticate header when the body says nothing")
            let unmapped = await verify("/unmapped")
            #expect(unmapped.verdict == .reject)
            #expect(unmapped.code == nil)
            #expect(unmapped.message?.contains("no refusal rule of auth51-verifier matches") == true)
            let list = await verify("/list")
            #expect(list.verdict == .reject)
            #expect(list.message?.contains("field required") == true, "a non-string message is kept as JSON")

            for path in ["/crash", "/jwks-down", "/html", "/binary", "/nowhere"] {
                let o = await verify(path)
                #expect(o.verdict == .error, "\(path): \(o.summary)")
                #expect(o.message?.contains("GET \(target.url(of: path))") == true, "\(path): \(o.message ?? "")")
            }
            #expect(await verify("/crash").message?.contains("HTTP 500: Internal Server Error") == true)

            // No token: no Authorization header at all.
            _ = await verify("/expired", token: nil)
            #expect(seen.withLock { $0.last?.2 } == nil)
            // The RFC 9449 scheme, and a body for POST.
            var dpop = try Self.auth51()
            dpop.authorizationScheme = "DPoP"
            let rfc = ResourceServerTarget(baseURL: url, configuration: dpop, timeout: 3)
            var post = Self.request(rfc, path: "/accept")
            post.resource?.method = "POST"
            #expect(await rfc.verify(post).verdict == .accept)
            let last = try #require(seen.withLock { $0.last })
            #expect(last.0 == "POST")
            #expect(last.2 == "DPoP a.b.c")
            #expect(last.4 == 2, "POST carries {}")
        }
    }

    @Test func offLoopbackNoResourceOrNobodyListeningAreNotSent() async throws {
        let closed = try LoopbackHTTPServer(port: 0) { _ in .init(status: 200, body: Data()) }
        let port = closed.port
        closed.stop()
        let target = ResourceServerTarget(
            baseURL: try #require(URL(string: "http://127.0.0.1:\(port)")), configuration: try Self.auth51(), timeout: 2)
        let dead = await target.verify(Self.request(target, path: "/protected"))
        #expect(dead.verdict == .error)
        #expect(dead.message?.hasPrefix("GET http://127.0.0.1:\(port)/protected: ") == true, "\(dead.message ?? "")")
        var away = Self.request(target, path: "/protected")
        away.resource?.url = "http://rs.example.com/protected"
        let o = await target.verify(away)
        #expect(o.verdict == .error)
        #expect(o.message?.contains("not a loopback http URL") == true)
        var bare = Self.request(target, path: "/protected")
        bare.resource = nil
        #expect(await target.verify(bare).unsupportedReason != nil)
    }

    /// A server that never answers: the call is an implementation error after the timeout.
    @Test func aHangingServerTimesOut() async throws {
        let hang: LoopbackHTTPServer.Handler = { _ in
            Thread.sleep(forTimeInterval: 4)
            return Self.json(200, [:])
        }
        try await Self.withServer(hang) { url in
            let target = ResourceServerTarget(baseURL: url, configuration: try Self.auth51(), timeout: 1)
            let start = Date()
            let o = await target.verify(Self.request(target, path: "/protected"))
            #expect(o.verdict == .error)
            #expect(Date().timeIntervalSince(start) < 3.5, "the timeout, not the server, ends the call")
        }
    }

    // MARK: End to end

    /// A small resource server in the manner of auth51's reference app: it fetches nothing, but checks
    /// the token against the keys `baton serve-sts --profile agentic-jwt` publishes, the issuer, the
    /// endpoint's scope, and the DPoP proof's method, URL (the endpoint's real one) and `ath`.
    static func strictServer(keys: JWKSet, base: @escaping @Sendable () -> String) -> LoopbackHTTPServer.Handler {
        let scopes = ["/protected": "read:data", "/tool": "mcp:tool:demo:read_repo"]
        return { request in
            guard let auth = request.header("Authorization"), auth.hasPrefix("Bearer ") else { return json(401, ["error": "Missing bearer token"]) }
            let token = String(auth.dropFirst("Bearer ".count))
            guard let jws = try? JWSVerifier(keys: keys, allowedAlgorithms: [.rs256]).verify(token) else {
                return json(401, ["error": "Invalid token: Signature verification failed"])
            }
            guard jws.claims["iss"]?.stringValue == ReferenceIdentityProviderServer.issuer else {
                return json(401, ["error": "Invalid token: Invalid issuer"])
            }
            guard let needed = scopes[request.path] else { return json(404, ["detail": "Not Found"]) }
            let granted = jws.claims["scope"]?.stringValue?.split(separator: " ").map(String.init) ?? []
            guard granted.contains(needed) else { return json(403, ["detail": "Token lacks the required scope(s) for this operation"]) }
            guard let proof = request.header("DPoP").flatMap({ try? JWS.parse($0) }) else { return json(401, ["detail": "Missing DPoP proof"]) }
            guard proof.claims["htm"]?.stringValue == request.method else { return json(401, ["detail": "DPoP htm mismatch"]) }
            guard proof.claims["htu"]?.stringValue == base() + request.path else { return json(401, ["detail": "DPoP htu mismatch"]) }
            guard proof.claims["ath"]?.stringValue == DPoPProof.accessTokenHash(of: token) else {
                return json(401, ["detail": "DPoP ath does not match the access token"])
            }
            return json(200, ["ok": true, "subject": jws.claims["sub"] ?? .null])
        }
    }

    @Test func theAgenticJWTSuiteReachesARealServerInItsOwnVocabulary() async throws {
        // The published keys, fetched over HTTP as a resource server would.
        let keyServer = ReferenceIdentityProviderServer()
        let published = try LoopbackHTTPServer(port: 0) { keyServer.handle($0) }
        keyServer.start(baseURL: "http://127.0.0.1:\(published.port)")
        published.start()
        defer { published.stop() }
        let (data, status, _) = await LoopbackHTTPClient.send(
            URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(published.port)/.well-known/jwks.json"))), timeout: 3)
        #expect(status == 200)
        let keys = try JWKSet(json: JSONParser.parseObject(Array(try #require(data))))
        #expect(keys.keys.map(\.keyID) == ["idp-1", "idp-es256"])
        let (meta, _, _) = await LoopbackHTTPClient.send(
            URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(published.port)/.well-known/oauth-authorization-server"))), timeout: 3)
        let metadata = try JSONParser.parseObject(Array(try #require(meta)))
        #expect(metadata["issuer"]?.stringValue == "https://idp.acme.com")
        #expect(metadata["jwks_uri"]?.stringValue == "http://127.0.0.1:\(published.port)/.well-known/jwks.json")

        let base = Mutex("")
        let server = try LoopbackHTTPServer(port: 0, handler: Self.strictServer(keys: keys, base: { base.withLock { $0 } }))
        base.withLock { $0 = "http://127.0.0.1:\(server.port)" }
        server.start()
        defer { server.stop() }
        let target = ResourceServerTarget(
            baseURL: try #require(URL(string: "http://127.0.0.1:\(server.port)")), configuration: try Self.auth51(), timeout: 5)
        let runner = ScenarioRunner(implementation: target)
        let dir = PackagePaths.scenarios.appendingPathComponent("agentic-jwt/happy").path
        let happy = try #require(
            ScenarioLoader.load(paths: [dir], relativeTo: PackagePaths.scenarios.path).scenarios.first {
                $0.id == "agentic-jwt/happy/research-then-write"
            })
        let r = await runner.run(happy)
        #expect(r.status == .passed, "\(r.message)\n\(r.trace.joined(separator: "\n"))")

        // A proof for another URL is refused by the server, and read back as the scenario's code.
        let catalog = try loadScenarioText(
            """
            id: agentic-jwt/test/proof-for-another-url
            title: a DPoP proof made for another URL
            profile: agentic-jwt
            agents: [researcher]
            intent_provider:
              workflows:
                report:
                  - {step: research, agent: researcher, action: research.search, scopes: [research:read]}
            steps:
              - intent: {as: t1, agent: researcher, workflow: report, step: research}
              - call: {token: t1, by: researcher, endpoint: research.search, scope: research:read, proof_url: "http://127.0.0.1:1/elsewhere"}
            expect: {reject: ajwt_pop_url_mismatch}
            """)
        let wrongURL = try #require(catalog.scenarios.first)
        let w = await runner.run(wrongURL)
        #expect(w.status == .passed, "\(w.message)\n\(w.trace.joined(separator: "\n"))")
    }
}
