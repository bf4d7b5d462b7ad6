import BatonHarness
import BatonModel
import BatonProfiles
import BatonRuntime
import BatonTargets
import BatonTestSupport
import Foundation
import Testing
import TokenExchange

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The OAuth path end to end: the reference token service served on loopback (as `baton serve-sts`
/// does), the token-exchange suite driven through `TokenEndpointTarget` as real HTTP requests.
@Suite(.serialized) struct TokenEndpointTargetTests {
    static func withServer(_ sts: ReferenceTokenEndpointServer = .init(), _ body: (URL) async throws -> Void) async throws {
        let server = try LoopbackHTTPServer(port: 0) { sts.handle($0) }
        try sts.start(baseURL: "http://127.0.0.1:\(server.port)")
        server.start()
        defer { server.stop() }
        try await body(try #require(URL(string: "http://127.0.0.1:\(server.port)")))
    }

    static var catalog: ScenarioLoader.Catalog {
        let dir = PackagePaths.scenarios.appendingPathComponent("token-exchange").path
        return ScenarioLoader.load(paths: [dir], relativeTo: PackagePaths.scenarios.path)
    }

    @Test func serveSTSPassesEveryTokenExchangeScenarioItCanRun() async throws {
        let catalog = Self.catalog
        #expect(catalog.scenarios.count >= 50)
        try await Self.withServer { url in
            let runner = ScenarioRunner(implementation: TokenEndpointTarget(baseURL: url, timeout: 5))
            var passed = 0, skipped = 0
            for s in catalog.scenarios {
                let r = await runner.run(s)
                #expect(r.status == .passed || r.status == .skipped, "\(s.id): \(r.message)")
                if r.status == .passed { passed += 1 }
                if r.status == .skipped {
                    skipped += 1
                    #expect(r.message.contains("clock") || r.message.contains("no verifier role"), "\(s.id) skipped: \(r.message)")
                }
            }
            #expect(passed >= 34)
            #expect(passed + skipped == catalog.scenarios.count)
        }
    }

    /// Without the Baton extensions the target registers agents by RFC 7591 and logs in with client
    /// credentials; what registration cannot express is skipped, never blamed on the service.
    @Test func plainRFC7591RegistrationRunsTheLegitimateChains() async throws {
        let catalog = Self.catalog
        try await Self.withServer(ReferenceTokenEndpointServer(batonExtensions: false)) { url in
            let runner = ScenarioRunner(implementation: TokenEndpointTarget(baseURL: url, timeout: 5))
            let chain = try #require(catalog.scenarios.first { $0.id == "token-exchange/service/scope-beyond-allowance" })
            let r = await runner.run(chain)
            #expect(r.status == .passed, "\(r.message)")
            let depth = try #require(catalog.scenarios.first { $0.id == "token-exchange/service/depth-over-service-limit" })
            let skipped = await runner.run(depth)
            #expect(skipped.status == .skipped)
            #expect(skipped.message.contains("unsupported: RFC 7591 registration cannot express a service-wide max_depth"))
        }
    }

    @Test func deadOrNonJSONEndpointsAreImplementationErrors() async throws {
        let scenario = try #require(Self.catalog.scenarios.first { $0.id == "token-exchange/happy/two-hop-rfc8693-eddsa" })
        // Garbage: every route answers 200 with a body that is not JSON.
        let garbage = try LoopbackHTTPServer(port: 0) { _ in .init(status: 200, body: Data("<html>hello".utf8), contentType: "text/html") }
        garbage.start()
        defer { garbage.stop() }
        let url = try #require(URL(string: "http://127.0.0.1:\(garbage.port)"))
        let r = await ScenarioRunner(implementation: TokenEndpointTarget(baseURL: url, timeout: 2)).run(scenario)
        #expect(r.status == .error)
        #expect(r.message.contains("not a JSON object"), "\(r.message)")
        // Dead: nothing listens on the port any more.
        let closed = try LoopbackHTTPServer(port: 0) { _ in .init(status: 500, body: Data()) }
        let port = closed.port
        closed.stop()
        let dead = TokenEndpointTarget(baseURL: try #require(URL(string: "http://127.0.0.1:\(port)")), timeout: 2)
        let d = await ScenarioRunner(implementation: dead).run(scenario)
        #expect(d.status == .error)
        #expect(d.message.contains("/.well-known/oauth-authorization-server"), "\(d.message)")
        // A token endpoint answering garbage mid-run: the exchange is an implementation error, not a crash.
        let call = try JSONDecoder().decode(
            ExchangeCall.self, from: Data(#"{"session":"s","client":"x","parameters":[["grant_type","x"]],"now":0}"#.utf8))
        guard case let .refused(o) = await dead.exchange(call) else { Issue.record("expected a refusal"); return }
        #expect(o.verdict == .error)
    }

    @Test func theTokenEndpointAnswersOAuthErrorsAndSurvivesGarbage() async throws {
        try await Self.withServer { url in
            func post(_ path: String, _ body: String) async -> (Int, String) {
                var request = URLRequest(url: url.appendingPathComponent(path))
                request.httpMethod = "POST"
                request.httpBody = Data(body.utf8)
                let (data, status, _) = await LoopbackHTTPClient.send(request, timeout: 5)
                return (status, String(decoding: data ?? Data(), as: UTF8.self))
            }
            let (s1, b1) = await post("oauth2/token", "grant_type=password")
            #expect(s1 == 400)
            #expect(b1.contains("unsupported_grant_type"))
            let (s2, b2) = await post("token", #"{"grant_type": 5}"#)
            #expect(s2 == 400)
            #expect(b2.contains("invalid_request"))
            let (s3, b3) = await post("oauth2/token", "client_id=nobody&client_secret=x&grant_type=client_credentials")
            #expect(s3 == 401)
            #expect(b3.contains("invalid_client"))
            let (s4, _) = await post("register", "[[[[")
            #expect(s4 == 400)
            let (s5, _) = await post("baton/setup", "{}")
            #expect(s5 == 400)
        }
    }
}
