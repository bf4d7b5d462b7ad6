import AIP
import BatonHarness
import BatonModel
import BatonProfiles
import BatonReports
import BatonTargets
import BatonTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct ReportTests {
    static func sample() -> RunReport {
        RunReport(
            toolVersion: "t", implementation: "demo & <co>", profiles: [.aipChained],
            results: [
                CaseResult(scenarioId: "a/pass", title: "ok", file: "a.yaml", implementation: "demo", status: .passed, message: "fine"),
                CaseResult(
                    scenarioId: "a/vuln", title: "attack", file: "b.yaml", implementation: "demo", status: .failed,
                    expectation: .reject("aip_scope_insufficient"), outcome: .accepted, judgement: .acceptedAttack,
                    message: "step 4: expected \"reject\" <got> accept\u{1}", trace: ["line & more"]),
                CaseResult(scenarioId: "b/skip", title: "s", file: "c.yaml", implementation: "demo", status: .skipped, message: "no issuer role"),
            ])
    }

    @Test func junitIsWellFormedXMLWithTheRightCounts() throws {
        let xml = JUnitReport.render(Self.sample())
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(xml.contains(#"tests="3" failures="1" errors="0" skipped="1""#))
        #expect(xml.contains("<failure type=\"accepted_attack\""))
    }

    @Test func markdownPutsAcceptedAttacksFirst() {
        let md = MarkdownReport.render(Self.sample())
        #expect(md.contains("**VULNERABLE** — 1 accepted attack — does not conform to its known-failure list; 1 of 3 passed, 1 not covered"))
        #expect(md.contains("| `a/vuln` | **accepted an attack** | **new** |"))
        #expect(md.contains("| 1 | no issuer role | `b/skip` |"))
        // By topic: the skip is a column of its own, never a pass.
        #expect(md.contains("| a | 1 | 1 | 0 | 0 | 0 | 2 |"))
        #expect(md.contains("| b | 0 | 0 | 0 | 0 | 1 | 1 |"))
        #expect(md.range(of: "## Findings")!.lowerBound < md.range(of: "## Not covered")!.lowerBound)
        #expect(md.range(of: "## Not covered")!.lowerBound < md.range(of: "## By topic")!.lowerBound)
    }

    /// An implementation whose accepted attacks are all in its known-failure list passes CI, but
    /// its reports never read PASS: the headline names the attacks and says they are known.
    @Test func knownAcceptedAttacksNeverReadPass() {
        var report = Self.sample()
        report.results[1].status = .expectedFailure
        let findings = Findings(report)
        #expect(report.summary.succeeded)
        #expect(findings.verdict == "VULNERABLE")
        #expect(findings.headline.hasPrefix("1 accepted attack (known) — conforms to its known-failure list"))
        let md = MarkdownReport.render(report)
        #expect(!md.contains("**PASS**"))
        #expect(md.contains("| `a/vuln` | **accepted an attack** | known |"))
        let html = HTMLReport.render(report)
        #expect(html.contains("<span class=\"verdict VULNERABLE\">VULNERABLE</span>"))
        #expect(!html.contains(">PASS<"))
    }

    /// Known wrong codes without accepted attacks: nonconformant, not a pass.
    @Test func knownWrongCodesAreNonconformant() {
        var report = Self.sample()
        report.results[1].status = .expectedFailure
        report.results[1].judgement = .wrongCode
        report.results[1].outcome = .rejected("aip_token_malformed")
        #expect(Findings(report).verdict == "NONCONFORMANT")
        report.results.remove(at: 1)
        #expect(Findings(report).verdict == "PASS")
        #expect(Findings(report).headline == "no findings; 1 of 2 passed, 1 not covered")
    }

    @Test func jsonRoundTrips() throws {
        let json = try JSONReport.render(Self.sample())
        struct Doc: Decodable { let format: String; let report: RunReport }
        let doc = try JSONDecoder().decode(Doc.self, from: Data(json.utf8))
        #expect(doc.format == "baton-report/1")
        #expect(doc.report == Self.sample())
    }
}

@Suite struct SecurityReportTests {
    @Test func sarifListsAcceptedAttacksAsErrors() throws {
        let sarif = try SARIFReport.render(ReportTests.sample())
        let doc = try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any]
        let runs = doc?["runs"] as? [[String: Any]]
        let results = runs?.first?["results"] as? [[String: Any]]
        #expect(results?.count == 1)
        #expect(results?.first?["level"] as? String == "error")
        #expect(results?.first?["ruleId"] as? String == "a/vuln")
    }

    @Test func tapHasOnePointPerScenario() {
        let tap = TAPReport.render(ReportTests.sample())
        #expect(tap.hasPrefix("TAP version 13\n1..3\n"))
        #expect(tap.contains("ok 1 a/pass"))
        #expect(tap.contains("not ok 2 a/vuln"))
        #expect(tap.contains("ok 3 b/skip - s # SKIP no issuer role"))
    }
}

@Suite struct DifferentialReportTests {
    @Test func disagreementsAreListedSideBySide() async {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        let reference = await SuiteRun(runner: ScenarioRunner(implementation: ReferenceImplementation())).run(catalog, profiles: [])
        let flawed = await SuiteRun(runner: ScenarioRunner(implementation: ReferenceImplementation.flawed(VerifierFlaw.skipDepth))).run(
            catalog, profiles: [])
        let diff = DifferentialReport([reference, flawed])
        #expect(diff.implementations == ["baton-reference", "flawed:skip-depth"])
        #expect(diff.rows.map(\.scenarioId) == ["depth/forged-extra-hop"])
        #expect(diff.rows.first?.cells == ["reject aip_depth_exceeded", "accept"])
        #expect(diff.markdown().contains("| `depth/forged-extra-hop` | reject aip_depth_exceeded | accept |"))
        #expect(DifferentialReport([reference, reference]).rows.isEmpty)
        // The full table keeps every scenario; only the disagreement is marked.
        #expect(diff.table.count == reference.results.count)
        #expect(diff.table.filter(\.disagrees).map(\.scenarioId) == ["depth/forged-extra-hop"])
        let row = diff.table.first { $0.scenarioId == "depth/forged-extra-hop" }
        #expect(row?.cells == ["reject aip_depth_exceeded", "accept ✗"])
        let table = diff.tableMarkdown(title: "T")
        #expect(table.hasPrefix("# T\n"))
        #expect(table.contains("| `depth/forged-extra-hop` | \(row?.expected ?? "?") | reject aip_depth_exceeded | accept ✗ | ≠ |"))
        #expect(
            DifferentialReport.skipReason("step 3 (line 12): the implementation answered unsupported: x")
                == "the implementation answered unsupported: x")
    }
}
