import AIP
import BatonHarness
import BatonModel
import BatonProfiles
import BatonReports
import BatonTargets
import BatonTestSupport
import Foundation
import Testing
import TokenExchange

/// The HTML report, opened in a real headless browser (Debian's Chromium): it must
/// render the failing scenario, its chain and its audit records, and produce a screenshot.
@Suite struct HTMLReportBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static var browserRequired: Bool { ProcessInfo.processInfo.environment["BATON_REQUIRE_BROWSER"] != nil }

    @Test(.enabled(if: chromium != nil || browserRequired, "Chromium is not installed: the HTML report was NOT checked in a browser"))
    func reportRendersInHeadlessChromium() async throws {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        let report = await SuiteRun(runner: ScenarioRunner(implementation: ReferenceImplementation.flawed(VerifierFlaw.firstCheckOnly)))
            .run(catalog, profiles: [.aipChained])
        let dom = try Self.renderAndShoot(report, name: "chained")
        #expect(dom.contains("attenuation/widening-behind-time-check"))
        #expect(dom.contains("class=\"agent no\"") || dom.contains("class=\"agent ok\""), "the chain diagram is in the rendered DOM")
        #expect(dom.contains("FAIL"))
        let section = try #require(Self.section(of: "attenuation/widening-behind-time-check", in: dom))
        #expect(section.contains("class=\"arrow forged\""), "the appended block is drawn as a forged hop")
        #expect(section.contains("forged token"))
    }

    /// A token-exchange run: the chain is read from the JWT's nested `act` claims, so the diagram
    /// must name the agents of an accepted attack and mark the receiver that accepted it.
    @Test(.enabled(if: chromium != nil || browserRequired, "Chromium is not installed: the HTML report was NOT checked in a browser"))
    func jwtChainsAreDrawnInHeadlessChromium() async throws {
        let catalog = ScenarioLoader.load(
            paths: [PackagePaths.scenarios.appendingPathComponent("token-exchange").path], relativeTo: PackagePaths.scenarios.path)
        let report = await SuiteRun(runner: ScenarioRunner(implementation: ReferenceImplementation.flawed(ExchangedTokenFlaw.skipActorChain)))
            .run(catalog, profiles: [.tokenExchange])
        let attack = try #require(report.results.first { $0.scenarioId == "token-exchange/jose/act-shorter-than-depth" })
        #expect(attack.judgement == .acceptedAttack)
        let record = try #require(attack.audit.last, "the accepted attack left an audit record")
        #expect(!record.chain.isEmpty, "the audit record carries the JWT's delegation chain")

        let dom = try Self.renderAndShoot(report, name: "jwt")
        #expect(dom.contains("token-exchange/jose/act-shorter-than-depth"))
        let section = try #require(Self.section(of: "token-exchange/jose/act-shorter-than-depth", in: dom))
        #expect(section.contains("class=\"chain\""), "the section draws a chain")
        #expect(section.contains("class=\"agent ok\""), "the receiver that accepted the attack is marked")
        for hop in record.chain { #expect(section.contains(AgentName.short(hop.delegate)), "hop to \(hop.delegate) drawn") }
        #expect(dom.contains("class=\"vuln\""), "accepted attacks are flagged")
        #expect(section.contains("altered as a whole"), "a rewritten JWT is flagged as a forged token")
    }

    /// Workflows with the budget ledger removed: the page draws every agent's lane and the tools
    /// lane as SVG, marks the refusals with their code and step, and flags the calls that should
    /// have been refused.
    @Test(.enabled(if: chromium != nil || browserRequired, "Chromium is not installed: the HTML report was NOT checked in a browser"))
    func workflowLanesAreDrawnInHeadlessChromium() async throws {
        let catalog = ScenarioLoader.load(
            paths: [PackagePaths.scenarios.appendingPathComponent("workflows").path], relativeTo: PackagePaths.scenarios.path)
        let report = await SuiteRun(runner: ScenarioRunner(implementation: WorkflowFlawedReference(.skipBudgetLedger))).run(catalog, profiles: [])
        let drain = try #require(report.results.first { $0.scenarioId == "workflows/compromised/budget-drain" })
        #expect(drain.status == .failed)
        let agents = Set((drain.workflow ?? []).flatMap { $0.kind == "call" ? [$0.agent] : [$0.agent, $0.target] })
        #expect(agents.count >= 3)

        let dom = try Self.renderAndShoot(report, name: "workflow")
        let section = try #require(Self.section(of: "workflows/compromised/budget-drain", in: dom))
        #expect(section.contains("<svg"), "the lanes are inline SVG")
        for agent in agents.sorted() { #expect(section.contains(">\(agent)</text>"), "lane of \(agent)") }
        #expect(section.contains(">tools</text>"))
        #expect(section.contains("files.read ×25 ✓"), "identical calls collapse into one mark")
        #expect(section.contains("class=\"wf-fail\""), "the calls the ledger should have refused are flagged")
        #expect(section.contains("FAIL"))
        let deputy = try #require(Self.section(of: "workflows/compromised/confused-deputy", in: dom))
        #expect(deputy.contains("class=\"wf-refused\""))
        #expect(deputy.contains("✗ aip_scope_insufficient at V6"))
        #expect(!deputy.contains("class=\"wf-fail\""), "an expected refusal is not a failure")
    }

    /// Writes the report, loads it in headless Chromium, returns the rendered DOM, and checks a
    /// real screenshot was taken (kept in BATON_SCREENSHOT_DIR when set, for a person to look at).
    static func renderAndShoot(_ report: RunReport, name: String) throws -> String {
        let browser = try #require(Self.chromium, "BATON_REQUIRE_BROWSER is set but Chromium is missing")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html")
        try Data(HTMLReport.render(report).utf8).write(to: page)

        let dom = try Self.run(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.absoluteString])
        let shot = dir.appendingPathComponent("report.png")
        _ = try Self.run(
            browser,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1600",
                "--screenshot=\(shot.path)", page.absoluteString,
            ])
        let png = try Data(contentsOf: shot)
        #expect(png.count > 10_000, "a real screenshot was taken")
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4e, 0x47])
        if let keep = ProcessInfo.processInfo.environment["BATON_SCREENSHOT_DIR"] {
            try? FileManager.default.copyItem(at: shot, to: URL(fileURLWithPath: keep).appendingPathComponent("report-\(name).png"))
            try? FileManager.default.copyItem(at: page, to: URL(fileURLWithPath: keep).appendingPathComponent("report-\(name).html"))
        }
        return dom
    }

    /// The `<details>` element of one scenario in the rendered DOM.
    static func section(of scenario: String, in dom: String) -> String? {
        guard let at = dom.range(of: "<b>\(scenario)</b>") else { return nil }
        let start = dom[..<at.lowerBound].range(of: "<details", options: .backwards)?.lowerBound ?? at.lowerBound
        let end = dom[at.upperBound...].range(of: "</details>")?.upperBound ?? dom.endIndex
        return String(dom[start..<end])
    }

    static func run(_ tool: String, _ args: [String]) throws -> String {
        try ProcessRunner.run(tool, args, timeout: .seconds(300)).stdoutText
    }
}
