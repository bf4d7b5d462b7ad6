import BatonProfiles
import BatonRuntime
import BatonTargets
import BatonTestSupport
import BatonTestSupportTesting
import Foundation
import JOSE
import Testing
import TokenExchange
import ZeroID

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// highflame 0.10.0 (ZeroID's Python SDK) as an independent client of Baton's ZeroID service over HTTP
/// (`Interop/highflame_client.py` against the reference served on loopback, as `baton serve-sts --profile
/// zeroid` serves it): the SDK registers its agents and an OAuth client through the admin API, issues
/// the root by client_credentials, builds actor assertions with `build_actor_assertion` (and
/// `delegate_to`), and Baton's service exchanges them; the assertions that must fail are refused with
/// ZeroID's code and description; the lineage reads into the SDK's own `DelegationChain`.
@Suite(.serialized) struct HighflameClientTests {
    struct Case {
        var object: JSONObject
        var ok: Bool { object["ok"] == .bool(true) }
        var token: String? { object["access_token"]?.stringValue }
        var code: String? { object["code"]?.stringValue }
        var description: String { object["description"]?.stringValue ?? "" }
    }

    @Test func highflameBuildsTheAssertionsBatonsServiceExchanges() async throws {
        let python = try Interop.require(
            PythonInterpreter.highflameVenv.flatMap { PythonInterpreter.canImport("highflame.zeroid", with: $0) ? $0 : nil },
            needs: "highflame 0.10.0 (bash scripts/highflame.sh venv)", notChecked: "highflame was NOT run as a client of Baton's ZeroID service")
        let zeroid = ReferenceZeroIDServer()
        let server = try LoopbackHTTPServer(port: 0) { zeroid.handle($0) }
        let base = "http://127.0.0.1:\(server.port)"
        try zeroid.start(baseURL: base)
        server.start()
        defer { server.stop() }

        let script = PackagePaths.interop.appendingPathComponent("highflame_client.py").path
        let run = try ProcessRunner.run(python, [script, base], timeout: .seconds(60))
        #expect(run.succeeded, "\(run.stderrText)")
        var cases: [String: Case] = [:]
        for line in run.stdoutText.split(separator: "\n") {
            guard let o = try? JSONParser.parseObject(Array(line.utf8)), let name = o["case"]?.stringValue else {
                Issue.record("not a case: \(line)")
                continue
            }
            cases[name] = Case(object: o)
        }
        let setup = try #require(cases["setup"])
        #expect(setup.ok, "\(setup.object.canonicalString)")
        let root = try #require(setup.token)

        // Baton's verifier of ZeroID tokens accepts what the exchanges issued, with the chain they built.
        var request = URLRequest(url: try #require(URL(string: base + "/.well-known/jwks.json")))
        request.timeoutInterval = 5
        let (data, _, _) = await LoopbackHTTPClient.send(request, timeout: 5)
        let keys = try JWKSet(jsonText: String(decoding: try #require(data), as: UTF8.self))
        let verifier = ZeroIDTokenVerifier(issuer: base, keys: keys)
        let now = Int64(Date().timeIntervalSince1970)
        let rootClaims = try JWS.parse(root).claims
        let uris = try #require(setup.object["uris"]?.objectValue)
        for (name, depth, agent) in [("delegate", 1, "researcher"), ("delegate_to", 2, "writer")] {
            let c = try #require(cases[name])
            #expect(c.ok, "\(name): \(c.object.canonicalString)")
            let token = try #require(c.token)
            let report = verifier.verify(token, requiredScope: "docs:write", now: now)
            guard case let .success(v) = report.result else {
                Issue.record("\(name): \(report.details)")
                continue
            }
            #expect(v.depth == Int64(depth))
            #expect(v.subject == uris[agent]?.stringValue, "legacy profile: sub is the actor")
            #expect(v.actors.count == depth + 1 && v.actors.last == uris["orchestrator"]?.stringValue, "\(v.actors)")
            #expect(v.claims.object["mission_id"] == rootClaims["jti"], "the mission is the root's")
        }

        // ZeroID's code and description for each assertion that must fail.
        let refusals: [(String, String)] = [
            ("replayed", "has already been used"), ("foreign-key", "actor_token validation failed"),
            ("token-url-audience", "actor_token validation failed"), ("broken-signature", "actor_token validation failed"),
            ("not-a-jwt", "actor_token is malformed"), ("unregistered", "unknown actor identity"),
        ]
        for (name, description) in refusals {
            let c = try #require(cases[name], "\(name) did not run")
            #expect(!c.ok && c.code == "invalid_grant" && c.object["status"] == .int(400), "\(name): \(c.object.canonicalString)")
            #expect(c.description.contains(description), "\(name): \(c.description)")
        }

        // The lineage, as highflame's DelegationChain read it: root first, each edge the child of the one before.
        let lineage = try #require(cases["lineage"])
        #expect(lineage.ok, "\(lineage.object.canonicalString)")
        let edges = (lineage.object["edges"]?.arrayValue ?? []).compactMap(\.objectValue)
        #expect(edges.count == 3)
        #expect(edges.first?["jti"] == rootClaims["jti"] && edges.first?["parent_jti"] == "")
        for (parent, child) in zip(edges, edges.dropFirst()) {
            #expect(child["parent_jti"] == parent["jti"] && child["from"] == parent["to"], "\(parent) → \(child)")
        }
        let missions = Set(edges.compactMap { $0["mission_id"]?.stringValue })
        #expect(missions == Set([rootClaims["jti"]?.stringValue ?? "?"]), "\(missions)")
        #expect(edges.map { $0["depth"] } == [.int(0), .int(1), .int(2)])
        #expect(edges.last?["attenuated"] == .array(["research:read"]), "the writer's hop dropped research:read")
        let nodes = try #require(lineage.object["nodes"]?.objectValue)
        let identities = Set(edges.compactMap { $0["to"]?.stringValue })
        #expect(identities.isSubset(of: Set(nodes.keys)), "every edge's identity is a node")
        #expect(lineage.object["revoked"] == .bool(false))
    }
}
