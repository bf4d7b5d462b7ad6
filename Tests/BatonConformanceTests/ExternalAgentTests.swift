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

    @Test func thePythonReferenceAgentPlaysTheWriterAndTheResearcher() async throws {
        let python = try Interop.require(
            PythonInterpreter.venv.flatMap { PythonInterpreter.canImport("aip_a2a", with: $0) ? $0 : nil },
            needs: "agent-identity-protocol", notChecked: "the external-agent scenarios were NOT run against Interop/reference_agent.py")
        let writer = TesteeProcess(command: [python, PackagePaths.interop.appendingPathComponent("reference_agent.py").path], timeout: .seconds(30))
        defer { writer.close() }
        #expect(await writer.start() == nil)
        #expect(writer.descriptor.roles == [.agent])
        for scenario in try Self.externalScenarios() {
            let r = await ScenarioRunner(implementation: writer).run(scenario)
            #expect(r.status == .passed, "\(Self.details(r))")
            // The writer really was the implementation, not Baton's simulated agent.
            #expect(r.trace.contains { $0.contains("(external: reference-agent)") }, "\(Self.details(r))")
        }
    }

    /// An agent that accepts every task and asks for what its script says for the agent it plays
    /// (`calls` script the writer).
    struct ScriptedAgent: ImplementationUnderTest {
        var script: [String: [AgentTaskAction]]
        var unsupported = false

        init(calls: [AgentToolCall], unsupported: Bool = false) {
            self.init(script: ["writer": calls.map(AgentTaskAction.call)], unsupported: unsupported)
        }

        init(script: [String: [AgentTaskAction]], unsupported: Bool = false) {
            self.script = script
            self.unsupported = unsupported
        }

        var descriptor: ImplementationDescriptor {
            ImplementationDescriptor(
                name: "scripted-agent", version: "0", profiles: [TokenProfile("aip-chained")], roles: [.agent], options: [.clock])
        }
        func mint(_ request: MintRequest) -> IssueResult { .refused(.unsupported("not an issuer")) }
        func delegate(_ request: DelegateRequest) -> IssueResult { .refused(.unsupported("not an issuer")) }
        func verify(_ request: VerifyRequest) -> Outcome { .unsupported("not a verifier") }
        func agentTask(_ request: AgentTaskRequest) async -> AgentTaskResult {
            if unsupported { return .failed(.unsupported("no agents here")) }
            return AgentTaskResult(outcome: .accepted, actions: script[request.agent] ?? [])
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

    @Test func anExternalPlanStatesOnlyWhatTheAgentCanAskForWithTheReceivedToken() throws {
        let header = "id: workflows/test\ntitle: test\nprofile: aip-chained\n"
        let steps = "steps:\n  - mint: {as: t0, by: orchestrator, scopes: [tool:docs.write], budget_cents: 100, ttl: 3600}\n"
        func plan(_ action: String) -> String {
            "behaviours:\n  researcher:\n    external: true\n    plan:\n      - \(action)\n"
        }
        // Delegations, forwards of the received token and calls with it are what an agent_task answer can ask for.
        for allowed in [
            #"delegate: {as: t1, to: writer, scopes: [tool:docs.write], purpose: "draft", task: "draft"}"#,
            #"forward: {to: writer, task: "draft"}"#, #"call: {tool: docs.write}"#,
        ] {
            #expect(throws: Never.self) { try ScenarioLoader.parse(header + plan(allowed) + steps, file: "test.yaml") }
        }
        // Anything that presents another token, claims another caller or goes around the gateway is not.
        for refused in [
            #"call: {tool: docs.write, token: t0}"#, #"call: {tool: docs.write, as_caller: writer}"#,
            #"call: {tool: docs.write, bypass_gateway: true}"#, #"forward: {to: writer, token: t0, task: "draft"}"#,
        ] {
            #expect(throws: ScenarioError.self, "\(refused)") { try ScenarioLoader.parse(header + plan(refused) + steps, file: "test.yaml") }
        }
    }

    // MARK: An external researcher that delegates

    static func delegatingDraft() throws -> Scenario {
        try #require(try externalScenarios().first { $0.id == "workflows/external/researcher-delegates-the-draft" })
    }

    static let search = AgentTaskAction.call(AgentToolCall(tool: "research.search", arguments: ["query": "survey agent delegation"]))
    static let handDraft = AgentTaskAction.delegate(
        AgentDelegationAsk(
            to: "writer", scopes: ["tool:docs.write"], budgetCents: 50, purpose: "draft the summary", task: "Draft: survey agent delegation"))

    @Test func anExternalResearcherDelegatesThroughBatonsIssuer() async throws {
        let r = await ScenarioRunner(implementation: ScriptedAgent(script: ["researcher": [Self.search, Self.handDraft]])).run(
            try Self.delegatingDraft())
        #expect(r.status == .passed, "\(Self.details(r))")
        #expect(r.trace.contains { $0.contains("researcher (external: scripted-agent)") }, "\(Self.details(r))")
        // Baton's simulated writer verified the delegated token before it drafted.
        #expect(r.trace.contains { $0.contains("writer verifies t2") }, "\(Self.details(r))")
    }

    @Test func anExternalDelegationToAnotherPeerThanStatedIsUnexpected() async throws {
        var elsewhere = Self.handDraft
        if case var .delegate(d) = elsewhere {
            d.to = "orchestrator"
            elsewhere = .delegate(d)
        }
        let r = await ScenarioRunner(implementation: ScriptedAgent(script: ["researcher": [Self.search, elsewhere]])).run(
            try Self.delegatingDraft())
        #expect(r.status == .failed, "\(Self.details(r))")
        #expect(r.trace.contains { $0.contains("unexpected action") }, "\(Self.details(r))")
        #expect(r.trace.contains { $0.contains("never ran") }, "\(Self.details(r))")
    }

    @Test func anExternalDelegationWithAForeignTokenIsRefusedByThePeer() async throws {
        // A token of its own that is no delegation to the writer at all (the root token's bytes, tampered): the
        // simulated writer verifies it and refuses, so the delegation the plan expects to succeed fails.
        var forged = Self.handDraft
        if case var .delegate(d) = forged {
            d.token = "En0KEw-not-a-token"
            forged = .delegate(d)
        }
        let r = await ScenarioRunner(implementation: ScriptedAgent(script: ["researcher": [Self.search, forged]])).run(
            try Self.delegatingDraft())
        #expect(r.status == .failed, "\(Self.details(r))")
        #expect(r.trace.contains { $0.contains("researcher delegates to writer") && $0.contains("got reject") }, "\(Self.details(r))")
    }

    @Test func aResearcherThatActsOnAForwardedTokenIsCaught() async throws {
        let scenario = try #require(try Self.externalScenarios().first { $0.id == "workflows/external/researcher-refuses-a-forwarded-token" })
        let r = await ScenarioRunner(implementation: ScriptedAgent(script: ["researcher": [Self.search, Self.handDraft]])).run(scenario)
        #expect(r.status == .failed, "\(Self.details(r))")
        #expect(r.judgement == .acceptedAttack, "\(Self.details(r))")
    }
}
