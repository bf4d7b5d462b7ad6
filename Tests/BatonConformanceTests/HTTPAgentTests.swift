import AIP
import BatonHarness
import BatonModel
import BatonProfiles
import BatonRuntime
import BatonTargets
import BatonTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The HTTP path end to end: the reference agents served on loopback, the suite
/// sent to them as real HTTP requests.
@Suite(.serialized) struct HTTPAgentTests {
    static func withServer(verifier: any ImplementationUnderTest, _ body: (URL) async throws -> Void) async throws {
        let agents = ReferenceAgentServer(verifier: verifier)
        let server = try LoopbackHTTPServer(port: 0) { agents.handle($0) }
        server.start()
        defer { server.stop() }
        try await body(try #require(URL(string: "http://127.0.0.1:\(server.port)")))
    }

    @Test func referenceAgentsOverHTTPPassEveryScenarioTheyCanRun() async throws {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        try await Self.withServer(verifier: ReferenceImplementation()) { url in
            let runner = ScenarioRunner(implementation: HTTPAgentTarget(baseURL: url, timeout: 5))
            var passed = 0
            for s in catalog.scenarios {
                let r = await runner.run(s)
                #expect(r.status == .passed || r.status == .skipped, "\(s.id): \(r.message)")
                if r.status == .passed { passed += 1 }
            }
            #expect(passed >= 30)
        }
    }

    @Test func aFlawedAgentIsCaughtOverHTTP() async throws {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        let scenario = try #require(catalog.scenarios.first { $0.id == "audience/wrong-receiver" })
        try await Self.withServer(verifier: ReferenceImplementation.flawed(VerifierFlaw.skipAudience)) { url in
            let r = await ScenarioRunner(implementation: HTTPAgentTarget(baseURL: url, timeout: 5)).run(scenario)
            #expect(r.status == .failed)
            #expect(r.judgement == .acceptedAttack)
        }
    }

    static func externalScenarios() throws -> [Scenario] {
        let dir = PackagePaths.scenarios.appendingPathComponent("workflows/external").path
        let catalog = ScenarioLoader.load(paths: [dir], relativeTo: PackagePaths.scenarios.path)
        #expect(catalog.errors.isEmpty, "\(catalog.errors)")
        return catalog.scenarios
    }

    /// An external agent over A2A HTTP acts itself: it calls tools on the MCP endpoint and sends its
    /// delegations to its peers on the A2A endpoint Baton opened for it, and is judged on what arrived.
    @Test func externalAgentsOverHTTPWorkThroughTheEndpointsBatonOpensForThem() async throws {
        let scenarios = try Self.externalScenarios()
        #expect(scenarios.count >= 5)
        try await Self.withServer(verifier: ReferenceImplementation()) { url in
            let runner = ScenarioRunner(implementation: HTTPAgentTarget(baseURL: url, timeout: 20))
            for scenario in scenarios {
                let r = await runner.run(scenario)
                #expect(r.status == .passed, "\(scenario.id): \(r.message)\n\(r.trace.joined(separator: "\n"))")
                #expect(r.trace.contains { $0.contains("(external: http-agent)") }, "\(scenario.id)")
                if scenario.id.hasSuffix("researcher-delegates-the-draft") {
                    #expect(r.trace.contains { $0.contains("calls research.search itself over MCP") })
                    #expect(r.trace.contains { $0.contains("delegates to writer with a token of its own issuer over A2A") })
                }
            }
        }
    }

    @Test func anHTTPAgentThatSkipsTheAudienceCheckIsCaughtByTheExternalRefusals() async throws {
        let refusals = try Self.externalScenarios().filter { $0.id.contains("refuses-a-forwarded-token") }
        #expect(refusals.count == 2)
        try await Self.withServer(verifier: ReferenceImplementation.flawed(VerifierFlaw.skipAudience)) { url in
            for scenario in refusals {
                let r = await ScenarioRunner(implementation: HTTPAgentTarget(baseURL: url, timeout: 20)).run(scenario)
                #expect(r.status == .failed, "\(scenario.id)")
                #expect(r.judgement == .acceptedAttack, "\(scenario.id): \(r.message)")
            }
        }
    }

    @Test func malformedHTTPIsAnsweredNotFatal() async throws {
        try await Self.withServer(verifier: ReferenceImplementation()) { url in
            var request = URLRequest(url: url.appendingPathComponent("agents/writer"))
            request.httpMethod = "POST"
            request.httpBody = Data("not json".utf8)
            let (data, status, error) = await LoopbackHTTPClient.send(request, timeout: 5)
            #expect(error == nil)
            #expect(status == 400)
            #expect(String(decoding: data ?? Data(), as: UTF8.self).contains("parse error"))
            let (_, missing, _) = await LoopbackHTTPClient.send(URLRequest(url: url.appendingPathComponent("nowhere")), timeout: 5)
            #expect(missing == 404)
        }
    }
}
