import BatonHarness
import BatonModel
import BatonProfiles
import Foundation
import Testing

/// The workflow engine: agents' plans judged action by action, the tool server's ledger, unreached
/// actions, and the loader's checks.
@Suite struct WorkflowTests {
    static let header = """
        id: workflows/test
        title: test
        profile: aip-chained

        """

    static let mint =
        "  - mint: {as: t0, by: orchestrator, scopes: [tool:research.search, tool:docs.write], principal: \"user:alice@acme.com\", budget_cents: 100, ttl: 3600}\n"

    func run(_ body: String, implementation: any ImplementationUnderTest = ReferenceImplementation()) async throws -> CaseResult {
        let scenario = try ScenarioLoader.parse(Self.header + body, file: "test.yaml")
        return await ScenarioRunner(implementation: implementation).run(scenario)
    }

    @Test func everyActionIsJudgedAndTheFirstWrongOneFailsTheScenario() async throws {
        let body = """
            behaviours:
              orchestrator:
                - delegate: {as: t1, to: researcher, scopes: [tool:research.search], budget_cents: 50, purpose: "search", task: "search"}
              researcher:
                - call: {tool: research.search}
                - call: {tool: docs.write}
            steps:
            \(Self.mint)  - request: {token: t0, to: orchestrator}
            """
        let r = try await run(body)
        // docs.write is outside the researcher's slice: its call is refused, and the plan said accept.
        #expect(r.status == .failed)
        #expect(r.judgement == .rejectedLegitimate)
        #expect(r.outcome?.code == "aip_scope_insufficient")
        #expect(r.message.contains("line 9"), "\(r.message)")
    }

    @Test func ledgerChargesAlongTheChainAndRefusesPastTheCeiling() async throws {
        let body = """
            behaviours:
              orchestrator:
                - delegate: {as: t1, to: researcher, scopes: [tool:research.search], budget_cents: 50, purpose: "search", task: "search"}
              researcher:
                - call: {tool: research.search, times: 3, accepted: 2}
                  expect: {reject: aip_budget_exceeded, step: LEDGER}
            steps:
            \(Self.mint)  - request: {token: t0, to: orchestrator}
              - budget: {token: t0, left_cents: 60, spent_cents: 40}
            """
        let r = try await run(body)
        #expect(r.status == .passed, "\(r.message)\n\(r.trace.joined(separator: "\n"))")
        // Without the ledger the third call goes through.
        let flawed = try await run(body, implementation: WorkflowFlawedReference(.skipBudgetLedger))
        #expect(flawed.status == .failed && flawed.judgement == .acceptedAttack)
        #expect(flawed.expectation?.step == "LEDGER")
    }

    @Test func anActionThatNeverRunsFailsUnlessTheScenarioSaysSo() async throws {
        let plan = """
            behaviours:
              researcher:
                - call: {tool: research.search}%@
            steps:
            \(Self.mint)  - request: {token: t0, to: orchestrator}
            """
        let unstated = try await run(plan.replacingOccurrences(of: "%@", with: ""))
        #expect(unstated.status == .failed)
        #expect(unstated.message.contains("never ran") || (unstated.outcome?.message ?? "").contains("never ran"), "\(unstated.message)")
        let stated = try await run(plan.replacingOccurrences(of: "%@", with: "\n      reached: false"))
        #expect(stated.status == .passed, "\(stated.message)")
    }

    @Test func loaderRefusesBehavioursWhereTheProfileCarriesNoWorkflow() throws {
        let text = """
            id: workflows/te
            title: te
            profile: token-exchange
            behaviours:
              orchestrator:
                - call: {tool: research.search}
            steps:
              - advance_clock: 1
            """
        #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(text, file: "te.yaml") }
        let unknownTool = Self.header + "behaviours:\n  researcher:\n    - frobnicate: {}\nsteps:\n" + Self.mint
        #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(unknownTool, file: "x.yaml") }
    }
}

extension WorkflowTests {
    @Test func completionEvidenceIsVerifiedAndItsAbsenceFails() async throws {
        let body = """
            behaviours:
              orchestrator:
                - delegate: {as: t1, to: researcher, scopes: [tool:research.search], budget_cents: 50, purpose: "search", task: "search"}
              researcher:
                - call: {tool: research.search}
            steps:
            \(Self.mint)  - request: {token: t0, to: orchestrator}
              - completion: {agent: researcher, as: done}
              - verify: {token: done, audience: researcher}
            """
        let r = try await run(body)
        #expect(r.status == .passed, "\(r.message)\n\(r.trace.joined(separator: "\n"))")
        // The writer never worked, so it left no evidence.
        let none = try await run(
            body.replacingOccurrences(of: "completion: {agent: researcher, as: done}", with: "completion: {agent: writer}")
                .replacingOccurrences(of: "  - verify: {token: done, audience: researcher}", with: ""))
        #expect(none.status == .failed && (none.outcome?.message ?? "").contains("no completion evidence"), "\(none.message)")
    }
}

extension WorkflowTests {
    /// An action the scenario says never runs fails the scenario when it runs at all, even if the tool
    /// server refuses it (the defence that should have stopped it earlier is missing).
    @Test func anUnreachedActionThatRunsFailsEvenWhenRefused() async throws {
        let body = """
            behaviours:
              orchestrator:
                - delegate: {as: t1, to: researcher, scopes: [tool:research.search], budget_cents: 50, purpose: "search", task: "search"}
              researcher:
                - call: {tool: docs.write}
                  reached: false
            steps:
            \(Self.mint)  - request: {token: t0, to: orchestrator}
            """
        let r = try await run(body)
        #expect(r.status == .failed && r.judgement == .acceptedAttack, "\(r.status) \(r.message)")
    }

    @Test func toolNamesAreCheckedAtLoad() {
        let body =
            Self.header + "behaviours:\n  researcher:\n    - call: {tool: docs.wirte}\nsteps:\n" + Self.mint
            + "  - request: {token: t0, to: orchestrator}\n"
        #expect(throws: ScenarioError.self) { try ScenarioLoader.parse(body, file: "x.yaml") }
    }
}
