import BatonHarness
import BatonModel
import BatonProfiles
import BatonRuntime
import BatonTestSupport
import Foundation
import Testing

@testable import BatonTargets

/// The `gateway` role over HTTP: a gateway under test takes the workflow's calls as real MCP and A2A
/// requests and is judged on what reaches Baton's upstream behind it.
@Suite(.serialized) struct GatewayHTTPTests {
    static let catalog = ScenarioLoader.load(
        paths: [PackagePaths.scenarios.appendingPathComponent("workflows/gateway").path], relativeTo: PackagePaths.scenarios.path)

    /// Baton's reference gateway server (deciding with `gateway`) on a free port, in front of a gateway
    /// target's upstream.
    static func withGateway(_ gateway: any ImplementationUnderTest, _ body: (GatewayTarget) async throws -> Void) async throws {
        var target = try GatewayTarget(baseURL: URL(string: "http://127.0.0.1:1")!, upstreamPort: 0, name: "reference-gateway-over-http", timeout: 20)
        let server = ReferenceGatewayServer(gateway: gateway, upstream: URL(string: "http://127.0.0.1:\(target.upstreamPort)")!)
        let http = try LoopbackHTTPServer(port: 0) { server.handle($0) }
        http.start()
        defer { http.stop() }
        target.baseURL = URL(string: "http://127.0.0.1:\(http.port)")!
        try await body(target)
    }

    @Test func theReferenceGatewayOverHTTPPassesEveryGatewayScenario() async throws {
        #expect(Self.catalog.scenarios.count >= 5)
        try await Self.withGateway(ReferenceImplementation()) { target in
            for s in Self.catalog.scenarios {
                let r = await ScenarioRunner(implementation: target).run(s)
                #expect(r.status == .passed, "\(s.id): \(r.message)\n\(r.trace.joined(separator: "\n"))")
                #expect(r.trace.contains { $0.contains("the gateway [reference-gateway-over-http]") }, "\(s.id)")
            }
        }
    }

    @Test func aGatewayThatBelievesTheClaimedCallerIsCaughtOverHTTP() async throws {
        let tap = try #require(Self.catalog.scenarios.first { $0.id == "workflows/gateway/tap-claiming-the-holder" })
        let flawed = try #require(ReferenceImplementation.flawed(named: "workflow-gateway-trusts-claimed-caller"))
        try await Self.withGateway(flawed) { target in
            let r = await ScenarioRunner(implementation: target).run(tap)
            #expect(r.status == .failed, "\(r.message)")
            #expect(r.judgement == .acceptedAttack, "\(r.message)")
        }
    }

    static func arrival(caller: String?) -> GatewayUpstream.Arrival {
        GatewayUpstream.Arrival(
            path: "/mcp", headers: caller.map { [(name: GatewayHTTP.assertedCaller, value: $0)] } ?? [], body: Data())
    }

    static func answer(_ status: Int, _ body: String = "{}", error: String? = nil) -> LoopbackHTTPClient.Answer {
        LoopbackHTTPClient.Answer(body: Data(body.utf8), status: status, headers: [:], error: error)
    }

    /// The decision is what reached the upstream, not what the gateway says.
    @Test func aGatewayIsJudgedOnWhatReachedTheUpstream() {
        // Forwarded and said so: accepted, its assertion headers are its record.
        let forwarded = GatewayTarget.decision(answer: Self.answer(200), arrival: Self.arrival(caller: "aip:web:acme.com/writer"))
        #expect(forwarded.outcome.verdict == .accept)
        #expect(forwarded.record?.caller == "aip:web:acme.com/writer")
        // Said it refused, but forwarded: it forwarded.
        let lying = GatewayTarget.decision(
            answer: Self.answer(403, #"{"error":{"code":"gateway_identity_mismatch"}}"#), arrival: Self.arrival(caller: nil))
        #expect(lying.outcome.verdict == .accept)
        #expect((lying.outcome.message ?? "").contains("but forwarded the call"))
        // Said 200 but nothing arrived: an implementation error, not a refusal.
        #expect(GatewayTarget.decision(answer: Self.answer(200), arrival: nil).outcome.verdict == .error)
        // Refused with a code and step.
        let refused = GatewayTarget.decision(
            answer: Self.answer(403, #"{"error":{"code":"gateway_identity_mismatch","message":"no","data":{"step":"GW"}}}"#), arrival: nil)
        #expect(refused.outcome == .rejected("gateway_identity_mismatch", step: "GW", message: "HTTP 403: no"))
        // Refused without a code, or not answering: errors.
        #expect(GatewayTarget.decision(answer: Self.answer(502, "bad gateway"), arrival: nil).outcome.verdict == .error)
        #expect(GatewayTarget.decision(answer: Self.answer(0, error: "connection refused"), arrival: nil).outcome.verdict == .error)
    }

    /// What the reference gateway server cannot read is refused with a clear code, never forwarded.
    @Test func theReferenceGatewayServerRefusesWhatItCannotRead() async throws {
        let server = ReferenceGatewayServer(upstream: URL(string: "http://127.0.0.1:9")!)
        func code(_ r: LoopbackHTTPServer.Response) -> String? {
            ((try? JSONSerialization.jsonObject(with: r.body)) as? [String: Any]).flatMap { ($0["error"] as? [String: Any])?["code"] as? String }
        }
        let body = Data(#"{"jsonrpc":"2.0","id":"1","method":"tools/call","params":{"name":"docs.write"}}"#.utf8)
        let anonymous = await server.answer(LoopbackHTTPServer.Request(method: "POST", path: "/mcp", body: body))
        #expect(anonymous.status == 401)
        #expect(code(anonymous) == ReferenceGatewayServer.unauthenticatedCode)
        let identified = [(name: GatewayHTTP.transportIdentity, value: "aip:web:acme.com/writer")]
        let noControl = await server.answer(LoopbackHTTPServer.Request(method: "POST", path: "/mcp", body: body, headers: identified))
        #expect(noControl.status == 400)
        #expect(String(decoding: noControl.body, as: UTF8.self).contains(GatewayHTTP.control))
        let wrongMethod = await server.answer(LoopbackHTTPServer.Request(method: "GET", path: "/mcp", body: Data(), headers: identified))
        #expect(wrongMethod.status == 405)
    }
}
