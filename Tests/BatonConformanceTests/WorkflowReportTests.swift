import BatonHarness
import BatonModel
import BatonProfiles
import BatonReports
import BatonTestSupport
import Foundation
import Testing

/// The reports of workflow scenarios: the HTML draws the agents' lanes, the Markdown lists what
/// was refused.
@Suite struct WorkflowReportTests {
    static let hostile = "<script>alert(1)</script>"

    static func entry(
        _ kind: String, _ agent: String, _ target: String, line: Int, expect: BatonModel.Expectation = .accept,
        outcome: BatonModel.Outcome = .accepted,
        charged: Int64? = nil, left: Int64? = nil, description: String? = nil
    ) -> WorkflowEntry {
        WorkflowEntry(
            kind: kind, agent: agent, target: target, line: line, time: 1_780_272_000, description: description ?? "\(agent) \(kind) \(target)",
            expectation: expect, outcome: outcome, judgement: expect.judge(outcome), chargedCents: charged, remainingCents: left)
    }

    /// Four agents (one with a hostile name), collapsed calls that drain the budget, an expected
    /// refusal, an accepted attack and a refusal with the wrong code.
    static func sample() -> RunReport {
        let budget = BatonModel.Expectation(verdict: .reject, code: "aip_budget_exceeded", step: "LEDGER")
        let scope = BatonModel.Expectation(verdict: .reject, code: "aip_scope_insufficient", step: "V6")
        var workflow = [
            entry("delegate", "orchestrator", "researcher", line: 12),
            entry("delegate", "researcher", "writer", line: 14),
        ]
        for left in [130, 110, 90] as [Int64] { workflow.append(entry("call", "writer", "docs.write", line: 16, charged: 20, left: left)) }
        for _ in 0..<2 {
            workflow.append(
                entry("call", "writer", "docs.write", line: 16, expect: budget, outcome: .rejected("aip_budget_exceeded", step: "LEDGER")))
        }
        workflow += [
            entry("call", "researcher", "email.send", line: 18, expect: scope, outcome: .rejected("aip_scope_insufficient", step: "V6")),
            entry("call", "writer", "email.send", line: 19, expect: scope),
            entry(
                "delegate", "researcher", hostile, line: 20, expect: .reject("aip_depth_exceeded"),
                outcome: .rejected("aip_token_expired", step: "V4"),
                description: "researcher delegates to <img src=x onerror=alert(2)>"),
        ]
        var result = CaseResult(
            scenarioId: "workflows/sample", title: "a sample workflow", file: "w.yaml", implementation: "demo", status: .failed,
            judgement: .acceptedAttack, message: "step 7 failed")
        result.workflow = workflow
        let plain = CaseResult(scenarioId: "a/pass", title: "ok", file: "a.yaml", implementation: "demo", status: .passed, message: "fine")
        return RunReport(toolVersion: "t", implementation: "demo", profiles: [.aipChained], results: [plain, result])
    }

    @Test func htmlDrawsOneLanePerAgentAndTheTools() throws {
        let html = HTMLReport.render(Self.sample())
        for agent in ["orchestrator", "researcher", "writer"] { #expect(html.contains(">\(agent)</text>"), "lane of \(agent)") }
        #expect(html.contains("<text class=\"lname tools\""))
        #expect(html.contains(">tools</text>"))
        #expect(html.components(separatedBy: "<text class=\"lname").count - 1 == 5, "four agents and the tools")
        #expect(html.components(separatedBy: "<div class=\"lanes\">").count - 1 == 1, "only the workflow case draws lanes")
    }

    @Test func htmlMarksRefusalsWithCodeAndStep() throws {
        let html = HTMLReport.render(Self.sample())
        #expect(html.contains("class=\"wf-refused\""))
        #expect(html.contains("email.send ✗ aip_scope_insufficient at V6"))
        // Thirty identical calls draw one mark: the accepted ones, then the refused ones.
        #expect(html.contains(">docs.write ×3 ✓</tspan>"))
        #expect(html.contains(">×2 ✗ aip_budget_exceeded at LEDGER</tspan>"))
        #expect(html.contains(">−20¢ each, 90¢ left</tspan>"), "the budget left after the last accepted call")
        #expect(html.contains("#3–7 · L16"))
    }

    @Test func htmlFlagsActionsThatMissedTheirExpectation() throws {
        let html = HTMLReport.render(Self.sample())
        #expect(html.components(separatedBy: "<rect class=\"wf-fail\"").count - 1 == 2, "the accepted attack and the wrong code")
        #expect(html.contains(">FAIL: accepted_attack</tspan>"))
        #expect(html.contains(">FAIL: wrong_code</tspan>"))
        #expect(html.contains(">expected reject with aip_scope_insufficient at V6</tspan>"))
        #expect(!html.contains("FAIL: met"))
        #expect(html.contains("<line class=\"call fail\""), "the accepted attack's arrow is drawn as a failure")
        #expect(html.contains("<tspan class=\"fail-text\" x=\"") && html.contains(">email.send ✓</tspan>"))
    }

    @Test func htmlEscapesHostileNamesAndDescriptions() {
        let html = HTMLReport.render(Self.sample())
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<img"))
        #expect(html.contains(">&lt;script&gt;alert(1)&lt;/script&gt;</text>"), "the hostile agent has an escaped lane")
        #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
    }

    @Test func markdownListsRefusals() {
        let md = MarkdownReport.render(Self.sample())
        #expect(md.contains("## Workflow refusals"))
        #expect(md.contains("| `workflows/sample` | 16 | writer → docs.write | tool call ×2 | `aip_budget_exceeded` | LEDGER | yes |"))
        #expect(md.contains("| `workflows/sample` | 18 | researcher → email.send | tool call | `aip_scope_insufficient` | V6 | yes |"))
        #expect(
            md.contains(
                "| 19 | writer → email.send | tool call | not refused: accept | — | **no**: expected reject with aip_scope_insufficient at V6"))
        #expect(md.contains("| delegation | `aip_token_expired` | V4 | **no**: expected reject with aip_depth_exceeded (wrong_code) |"))
        #expect(md.range(of: "## Workflow refusals")!.lowerBound < md.range(of: "## By topic")!.lowerBound)
        // Runs without workflows keep their sections as they were.
        #expect(!MarkdownReport.render(ReportTests.sample()).contains("Workflow"))
        #expect(!HTMLReport.render(ReportTests.sample()).contains("<div class=\"lanes\">"))
    }

    @Test func rendersAreByteIdentical() {
        #expect(HTMLReport.render(Self.sample()) == HTMLReport.render(Self.sample()))
        #expect(MarkdownReport.render(Self.sample()) == MarkdownReport.render(Self.sample()))
    }

    /// The real workflows against the reference: the budget drain's thirty calls collapse into one
    /// mark, and two runs draw the same bytes.
    @Test func realWorkflowsDrawTheirLanes() async throws {
        let report = try await Self.workflowRun()
        let drain = try #require(report.results.first { $0.scenarioId == "workflows/compromised/budget-drain" })
        #expect(drain.workflow?.count == 32)
        let html = HTMLReport.render(report)
        #expect(html.contains(">files.read ×25 ✓</tspan>"))
        #expect(html.contains(">×5 ✗ aip_budget_exceeded at LEDGER</tspan>"))
        let again = HTMLReport.render(try await Self.workflowRun())
        #expect(Self.lanes(html) == Self.lanes(again), "a second run draws the same lanes, byte for byte")
        #expect(Self.lanes(html).count == report.results.filter { $0.workflow?.isEmpty == false }.count)
        let md = MarkdownReport.render(report)
        #expect(
            md.contains("| `workflows/compromised/budget-drain` | 19 | writer → files.read | tool call ×5 | `aip_budget_exceeded` | LEDGER | yes |"))
    }

    /// The lanes drawn in a page (audit hashes differ from run to run, the lanes must not).
    static func lanes(_ html: String) -> [String] {
        html.components(separatedBy: "<div class=\"lanes\">").dropFirst().map { $0.components(separatedBy: "</svg></div>")[0] }
    }

    static func workflowRun() async throws -> RunReport {
        let catalog = ScenarioLoader.load(
            paths: [PackagePaths.scenarios.appendingPathComponent("workflows").path], relativeTo: PackagePaths.scenarios.path)
        return await SuiteRun(runner: ScenarioRunner(implementation: ReferenceImplementation())).run(catalog, profiles: [])
    }
}
