import BatonCrypto
import BatonHarness
import BatonModel
import BatonProfiles
import BatonRuntime
import BatonTargets
import BatonTestSupport
import Foundation
import JOSE
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The ZeroID deployment over HTTP end to end: the reference ZeroID service served on loopback (as
/// `baton serve-sts --profile zeroid` does), the zeroid scenarios driven through `ZeroIDTarget` as
/// ZeroID's own HTTP requests; and the target's answers to servers that misbehave.
@Suite(.serialized) struct ZeroIDTargetTests {
    static func withServer(_ body: (URL) async throws -> Void) async throws {
        let zeroid = ReferenceZeroIDServer()
        let server = try LoopbackHTTPServer(port: 0) { zeroid.handle($0) }
        try zeroid.start(baseURL: "http://127.0.0.1:\(server.port)")
        server.start()
        defer { server.stop() }
        try await body(try #require(URL(string: "http://127.0.0.1:\(server.port)")))
    }

    static var catalog: ScenarioLoader.Catalog {
        let dir = PackagePaths.scenarios.appendingPathComponent("zeroid").path
        return ScenarioLoader.load(paths: [dir], relativeTo: PackagePaths.scenarios.path)
    }

    /// Every zeroid scenario passes over HTTP, or is skipped for a reason that is not the service's:
    /// it moves Baton's clock (the server keeps real time) or judges a verifier (the service is not one).
    static func runAll(_ target: ZeroIDTarget) async -> (passed: [String], skipped: [String: String], failed: [String: String]) {
        let runner = ScenarioRunner(implementation: target)
        var passed: [String] = [], skipped: [String: String] = [:], failed: [String: String] = [:]
        for s in catalog.scenarios {
            let r = await runner.run(s)
            switch r.status {
            case .passed: passed.append(s.id)
            case .skipped: skipped[s.id] = r.message
            default: failed[s.id] = "\(r.status): \(r.message)"
            }
        }
        return (passed, skipped, failed)
    }

    @Test func serveSTSZeroIDPassesTheZeroIDScenariosOverHTTP() async throws {
        #expect(Self.catalog.scenarios.count >= 60)
        try await Self.withServer { url in
            let (passed, skipped, failed) = await Self.runAll(ZeroIDTarget(baseURL: url, timeout: 5))
            #expect(failed.isEmpty, "\(failed.sorted { $0.key < $1.key })")
            for (id, why) in skipped {
                #expect(why.contains("moves the clock") || why.contains("no verifier role"), "\(id) skipped: \(why)")
            }
            #expect(passed.count >= 53, "passed \(passed.count), skipped \(skipped.keys.sorted())")
            #expect(passed.count + skipped.count == Self.catalog.scenarios.count)
        }
    }

    @Test func jsonBodiesWorkToo() async throws {
        let ids = ["zeroid/happy/two-hop-legacy", "zeroid/policy/depth-over-the-actor-policy"]
        let scenarios = Self.catalog.scenarios.filter { ids.contains($0.id) }
        try await Self.withServer { url in
            let runner = ScenarioRunner(implementation: ZeroIDTarget(baseURL: url, timeout: 5, jsonBodies: true))
            for s in scenarios {
                let r = await runner.run(s)
                #expect(r.status == .passed, "\(s.id): \(r.message)")
            }
        }
    }

    /// The service answers with ZeroID's bodies: OAuth errors at the token endpoint, its non-OAuth 400
    /// for a repeated parameter or another content type, `{"active":false}`, `{"revoked":true}`.
    @Test func theServiceAnswersWithZeroIDsBodies() async throws {
        try await Self.withServer { url in
            func post(_ path: String, _ body: String, type: String = "application/x-www-form-urlencoded") async -> (Int, String) {
                var request = URLRequest(url: url.appendingPathComponent(path))
                request.httpMethod = "POST"
                request.setValue(type, forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(body.utf8)
                let (data, status, _) = await LoopbackHTTPClient.send(request, timeout: 5)
                return (status, String(decoding: data ?? Data(), as: UTF8.self))
            }
            let (s1, b1) = await post("oauth2/token", "grant_type=password")
            #expect(s1 == 400)
            #expect(b1.contains("unsupported_grant_type"), "\(b1)")
            let (s2, b2) = await post("oauth2/token", "grant_type=a&grant_type=b")
            #expect(s2 == 400)
            #expect(b2.contains("duplicate OAuth parameter: grant_type"), "\(b2)")
            let (s3, b3) = await post("oauth2/token", "grant_type=x", type: "text/plain")
            #expect(s3 == 400)
            #expect(b3.contains("Content-Type must be application/json"), "\(b3)")
            let (s4, b4) = await post("oauth2/token/introspect", #"{"token":"garbage"}"#, type: "application/json")
            #expect(s4 == 200)
            #expect(b4 == #"{"active":false}"#)
            let (s5, b5) = await post("oauth2/token/revoke", #"{"token":"garbage"}"#, type: "application/json")
            #expect(s5 == 200)
            #expect(b5 == #"{"revoked":true}"#)
            let (s6, _) = await post("baton/zeroid/setup", "[[[[", type: "application/json")
            #expect(s6 == 400)
            let (s7, b7) = await post("oauth2/token", #"{"grant_type":5}"#, type: "application/json")
            #expect(s7 == 400)
            #expect(b7.contains("must be a string"))
            let (s8, b8) = await post("oauth2/token", "grant_type=client_credentials&client_id=nobody")
            #expect(s8 == 401)
            #expect(b8.contains("invalid_client"))
        }
    }

    // MARK: Bad answers

    static func target(answering handler: @escaping @Sendable (LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response) throws -> (
        ZeroIDTarget, LoopbackHTTPServer
    ) {
        let server = try LoopbackHTTPServer(port: 0, handler: handler)
        server.start()
        return (ZeroIDTarget(baseURL: try #require(URL(string: "http://127.0.0.1:\(server.port)")), timeout: 2), server)
    }

    static let metadataPath = "/.well-known/oauth-authorization-server"

    static func metadata(_ port: UInt16, setup: Bool = true) -> LoopbackHTTPServer.Response {
        var o: JSONObject = ["issuer": "https://zeroid.example", "token_endpoint": .string("http://127.0.0.1:\(port)/oauth2/token")]
        if setup { o["baton_setup_endpoint"] = .string("http://127.0.0.1:\(port)/baton/zeroid/setup") }
        return .init(status: 200, body: Data(o.canonicalString.utf8))
    }

    static var scenario: Scenario {
        get throws { try #require(catalog.scenarios.first { $0.id == "zeroid/happy/two-hop-legacy" }) }
    }

    @Test func garbageDeadAndFailingServersAreImplementationErrors() async throws {
        let scenario = try Self.scenario
        // Garbage: every route answers 200 with HTML.
        let (garbage, g) = try Self.target { _ in .init(status: 200, body: Data("<html>hello".utf8), contentType: "text/html") }
        defer { g.stop() }
        let r = await ScenarioRunner(implementation: garbage).run(scenario)
        #expect(r.status == .error)
        #expect(r.message.contains("not JSON") && r.message.contains(Self.metadataPath), "\(r.message)")
        // Dead: nothing listens any more.
        let closed = try LoopbackHTTPServer(port: 0) { _ in .init(status: 500, body: Data()) }
        let port = closed.port
        closed.stop()
        let dead = ZeroIDTarget(baseURL: try #require(URL(string: "http://127.0.0.1:\(port)")), timeout: 2)
        let d = await ScenarioRunner(implementation: dead).run(scenario)
        #expect(d.status == .error)
        #expect(d.message.contains(Self.metadataPath), "\(d.message)")
        // The set-up route fails with a 500.
        let box = PortBox()
        let (failing, f) = try Self.target { request in
            request.path == Self.metadataPath ? Self.metadata(box.port) : .init(status: 500, body: Data(#"{"error":"server_error"}"#.utf8))
        }
        defer { f.stop() }
        box.port = UInt16(failing.baseURL.port ?? 0)
        let fr = await ScenarioRunner(implementation: failing).run(scenario)
        #expect(fr.status == .error)
        #expect(fr.message.contains("set-up") && fr.message.contains("500"), "\(fr.message)")
    }

    /// A real ZeroID (no Baton set-up route) cannot be given the scenario's identities: skipped, with the reason.
    @Test func aServiceWithoutTheSetUpRouteIsUnsupported() async throws {
        let box = PortBox()
        let (plain, p) = try Self.target { request in
            request.path == Self.metadataPath ? Self.metadata(box.port, setup: false) : .init(status: 404, body: Data("{}".utf8))
        }
        defer { p.stop() }
        box.port = UInt16(plain.baseURL.port ?? 0)
        let r = await ScenarioRunner(implementation: plain).run(try Self.scenario)
        #expect(r.status == .skipped)
        #expect(r.message.contains("no baton_setup_endpoint"), "\(r.message)")
    }

    /// Token-endpoint answers after a good set-up: each bad one becomes an outcome naming the request.
    @Test func badTokenAnswersBecomeOutcomes() async throws {
        let answers: [(Int, String, Outcome.Verdict, String)] = [
            (500, #"{"error":"server_error","error_description":"boom"}"#, .error, "HTTP 500"),
            (502, "upstream down", .error, "not JSON"),
            (
                400, #"{"error":"policy_violation","error_description":"credential policy violation: delegation depth 2 exceeds policy maximum 1"}"#,
                .reject, "policy_violation"
            ),
            (400, #"{"error":{"code":400,"message":"duplicate OAuth parameter: scope","status":"BAD_REQUEST"}}"#, .reject, "invalid_request"),
            (422, #"{"title":"Unprocessable Entity","status":422,"detail":"validation failed"}"#, .reject, "invalid_request"),
            (200, #"{"token_type":"Bearer"}"#, .error, "access_token"),
            (200, "[1,2,3]", .error, "access_token"),
            (400, "{}", .error, "without a ZeroID error"),
        ]
        for (status, body, verdict, needle) in answers {
            let box = PortBox()
            let (target, server) = try Self.target { request in
                switch request.path {
                case Self.metadataPath: return Self.metadata(box.port)
                case "/baton/zeroid/setup":
                    let info = TokenServiceInfo(issuer: "https://zeroid.example", jwks: #"{"keys":[]}"#, identities: [:])
                    return .init(status: 200, body: (try? JSONEncoder().encode(info)) ?? Data())
                default: return .init(status: status, body: Data(body.utf8))
                }
            }
            defer { server.stop() }
            box.port = UInt16(target.baseURL.port ?? 0)
            let setup = TokenServiceSetup(
                session: "s", issuer: "https://zeroid.example", layout: "legacy", algorithm: "ES256", signingKey: HexBytes([1]), tokenLifetime: 3600,
                maxAssertionLifetime: 0, maxDepth: 0, agents: [], now: 0)
            guard case .ready = await target.setUpTokenService(setup) else {
                Issue.record("set-up failed")
                continue
            }
            let call = ExchangeCall(session: "s", client: "", parameters: [["grant_type", "x"]], now: 0)
            guard case let .refused(o) = await target.exchange(call) else {
                Issue.record("expected a refusal for \(status) \(body)")
                continue
            }
            #expect(o.verdict == verdict, "\(status) \(body): \(o.summary)")
            #expect(o.summary.contains(needle) || o.code == needle, "\(status) \(body): \(o.summary)")
            if verdict == .error { #expect(o.summary.contains("/oauth2/token"), "\(o.summary)") }
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let (slow, s) = try Self.target { _ in
            Thread.sleep(forTimeInterval: 4)
            return .init(status: 200, body: Data("{}".utf8))
        }
        defer { s.stop() }
        let start = Date()
        guard case let .failure(f) = await slow.discover() else {
            Issue.record("expected a failure")
            return
        }
        #expect(Date().timeIntervalSince(start) < 4)
        #expect(f.message.contains(Self.metadataPath), "\(f.message)")
    }
}

/// The port a test server learns after it starts.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: UInt16 = 0
    var port: UInt16 {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
