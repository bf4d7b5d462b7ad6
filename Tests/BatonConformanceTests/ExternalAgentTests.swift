import BatonHarness
import BatonModel
import BatonProfiles
import BatonTargets
import BatonTestSupport
import BatonTestSupportTesting
import Foundation
import Testing

/// The `agent` role: an agent marked `external: true` is played by the implementation under test
/// (`agent_task`); Baton places the calls it asks for and judges them against the agent's plan.
@Suite(.serialized) struct ExternalAgentTests {
    static func externalScenarios() throws -> [Scenario] {
        let dir = PackagePaths.scenarios.appendingPathComponent("workflows/external").path
        let catalog = ScenarioLoader.load(paths: [dir], relativeTo: PackagePaths.scenarios.path)
        #expect(catalog.errors.isEmpty, "\(catalog.errors)")
        #expect(catalog.scenarios.count >= 2)
        return catalog.scenarios
    }

    static func details(_ r: CaseResult) -> String { "\(r.scenarioId): \(r.status) \(r.message)\n" + r.trace.joined(separator: "\n") }

    @Test func externalScenariosPassWithTheSimulatedAgentWhenTheImplementationPlaysNone() async throws {
        for scenario in try Self.externalScenarios() {
            let r = await ScenarioRunner(implementation: ReferenceImplementation()).run(scenario)
            #expect(r.status == .passed, "\(Self.details(r))")
            #expect(!r.trace.contains { $0.contains("(external:") })
        }
    }

    @Test func thePythonReferenceWriterPlaysTheWriter() async throws {
        let python = try Interop.require(
            PythonInterpreter.venv.flatMap { PythonInterpreter.canImport("aip_a2a", with: $0) ? $0 : nil },
            needs: "agent-identity-protocol", notChecked: "the external-agent scenarios were NOT run against Interop/reference_writer.py")
        let writer = TesteeProcess(command: [python, PackagePaths.interop.appendingPathComponent("reference_writer.py").path], timeout: .seconds(30))
        defer { writer.close() }
        #expect(await writer.start() == nil)
        #expect(writer.descriptor.roles == [.agent])
        for scenario in try Self.externalScenarios() {
            let r = await ScenarioRunner(implementation: writer).run(scenario)
            #expect(r.status == .passed, "\(Self.details(r))")
            // The writer really was the implementation, not Baton's simulated agent.
            #expect(r.trace.contains { $0.contains("writer (external: reference-writer)") }, "\(Self.details(r))")
        }
    }

    /// A writer that accepts every task and asks for `calls`.
    struct ScriptedAgent: ImplementationUnderTest {
        var calls: [AgentToolCall]
        var unsupported = false
        var descriptor: ImplementationDescriptor {
            ImplementationDescriptor(
                name: "scripted-agent", version: "0", profiles: [TokenProfile("aip-chained")], roles: [.agent], options: [.clock])
        }
        func mint(_ request: MintRequest) -> IssueResult { .refused(.unsupported("not an issuer")) }
        func delegate(_ request: DelegateRequest) -> IssueResult { .refused(.unsupported("not an issuer")) }
        func verify(_ request: VerifyRequest) -> Outcome { .unsupported("not a verifier") }
        func agentTask(_ request: AgentTaskRequest) async -> AgentTaskResult {
            if unsupported { return .failed(.unsupported("no agents here")) }
            return AgentTaskResult(outcome: .accepted, calls: calls)
        }
    }

    static func drafting() throws -> Scenario {
        try #require(try externalScenarios().first { $0.id == "workflows/external/writer-drafts-the-review" })
    }

    static let draft = AgentToolCall(tool: "docs.write", arguments: ["title": "Delegation in agent systems"])

    @Test func anExternalAgentThatDoesWhatItsPlanStatesPasses() async throws {
        let r = await ScenarioRunner(implementation: ScriptedAgent(calls: [Self.draft])).run(try Self.drafting())
        #expect(r.status == .passed, "\(Self.details(r))")
    }

    @Test func aWriterThatTakesAnyTaskIsCaughtByTheRefusalScenarios() async throws {
        let careless = ScriptedAgent(calls: [Self.draft])
        for scenario in try Self.externalScenarios() where scenario.id.contains("refuses") {
            let r = await ScenarioRunner(implementation: careless).run(scenario)
            #expect(r.status == .failed, "\(Self.details(r))")
            #expect(r.judgement == .acceptedAttack, "\(Self.details(r))")
        }
    }

    @Test func aCallThePlanDoesNotStateFailsTheScenario() async throws {
        let extra = AgentToolCall(tool: "email.send", arguments: ["to": "mallory@evil.example"])
        let r = await ScenarioRunner(implementation: ScriptedAgent(calls: [Self.draft, extra])).run(try Self.drafting())
        #expect(r.status == .failed, "\(Self.details(r))")
        #expect(r.message.contains("unexpected action") || (r.outcome?.message ?? "").contains("unexpected action"), "\(Self.details(r))")
        // The call was placed (and refused by the tool server: email.send is outside the writer's slice).
        #expect(r.trace.contains { $0.contains("email.send") })
    }

    @Test func aCallWithOtherArgumentsThanStatedIsUnexpectedAndTheStatedOneNeverRan() async throws {
        let other = AgentToolCall(tool: "docs.write", arguments: ["title": "something else"])
        let r = await ScenarioRunner(implementation: ScriptedAgent(calls: [other])).run(try Self.drafting())
        #expect(r.status == .failed, "\(Self.details(r))")
        #expect(r.trace.contains { $0.contains("unexpected action") }, "\(Self.details(r))")
        #expect(r.trace.contains { $0.contains("never ran") }, "\(Self.details(r))")
    }

    @Test func aStatedCallTheAgentNeverAsksForFailsAsNeverRun() async throws {
        let r = await ScenarioRunner(implementation: ScriptedAgent(calls: [])).run(try Self.drafting())
        #expect(r.status == .failed, "\(Self.details(r))")
        #expect(r.trace.contains { $0.contains("never ran") }, "\(Self.details(r))")
    }

    @Test func anAgentThatAnswersUnsupportedSkipsTheScenario() async throws {
        let r = await ScenarioRunner(implementation: ScriptedAgent(calls: [], unsupported: true)).run(try Self.drafting())
        #expect(r.status == .skipped, "\(Self.details(r))")
        #expect(r.message.contains("no agents here"))
    }

    @Test func anExternalPlanStatesOnlyCallsWithTheReceivedToken() throws {
        let header = "id: workflows/test\ntitle: test\nprofile: aip-chained\n"
        let steps = "steps:\n  - mint: {as: t0, by: orchestrator, scopes: [tool:docs.write], budget_cents: 100, ttl: 3600}\n"
        let delegating = """
            behaviours:
              writer:
                external: true
                plan:
                  - delegate: {as: t1, to: editor, scopes: [tool:docs.write], purpose: "edit", task: "edit"}

            """
        #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(header + delegating + steps, file: "test.yaml") }
        let held = """
            behaviours:
              writer:
                external: true
                plan:
                  - call: {tool: docs.write, token: t0}

            """
        #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(header + held + steps, file: "test.yaml") }
    }
}
