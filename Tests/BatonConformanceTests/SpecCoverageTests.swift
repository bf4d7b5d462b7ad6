import AIP
import BatonHarness
import BatonModel
import BatonProfiles
import BatonReports
import BatonTestSupport
import Foundation
import Testing

@Suite struct SpecCatalogueTests {
    static func catalogue() throws -> SpecCatalogue { try SpecCatalogue.standard.get() }

    @Test func theShippedCatalogueLoads() throws {
        let catalogue = try Self.catalogue()
        let ids = catalogue.documents.map(\.id)
        for id in [
            "aip-core", "aip-tokens", "aip-delegation", "aip-verification", "aip-bindings-a2a", "aip-bindings-mcp", "aip-jwt-chain", "rfc8693",
            "zeroid", "agentic-jwt",
        ] {
            #expect(ids.contains(id), "document \(id)")
        }
        #expect(catalogue.clause(SpecClauseID("aip-verification/V4-scope")!)?.level == .must)
        #expect(catalogue.clause(SpecClauseID("rfc8693/2.1-actor_token")!)?.level == .may)
        // Every profile a clause names is one Baton has; every document says what it was read from.
        let profiles = Set(ProfileRegistry.standard.map(\.profile))
        for clause in catalogue.clauses {
            #expect(!clause.profiles.isEmpty && clause.profiles.allSatisfy(profiles.contains), "\(clause.id)")
            #expect(!clause.title.isEmpty && !clause.section.isEmpty, "\(clause.id)")
        }
        for document in catalogue.documents { #expect(!document.version.isEmpty && !document.source.isEmpty, "\(document.id)") }
    }

    @Test func everyScenarioNamesClausesThatResolve() throws {
        let catalogue = try Self.catalogue()
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        #expect(catalog.errors.isEmpty, "\(catalog.errors.map(\.description))")
        #expect(catalog.scenarios.count >= 400)
        for scenario in catalog.scenarios {
            #expect(!scenario.spec.isEmpty, "\(scenario.id) names no clause")
            for id in scenario.spec {
                let clause = catalogue.clause(id)
                #expect(clause != nil, "\(scenario.id): \(id)")
                #expect(clause?.profiles.contains(scenario.profile) == true, "\(scenario.id): \(id) does not apply to \(scenario.profile)")
            }
            // Every attack names its OWASP category and its CWE, and only attacks do.
            let attack = scenario.tags.contains("attack") || scenario.isAttack
            #expect((scenario.owasp != nil) == attack && (scenario.cwe != nil) == attack, "\(scenario.id)")
        }
    }

    @Test func theReadmeStatesTheCurrentFigure() throws {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        let tests = catalog.scenarios.map { SpecCoverage.Test(scenario: $0.id, profile: $0.profile, clauses: $0.spec) }
        let t = SpecCoverage(catalogue: try Self.catalogue(), tests: tests).tally
        let readme = try String(contentsOf: PackagePaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let figure = "\(t.covered) of \(t.total) clauses are tested (MUST \(t.figure(.must)), SHOULD \(t.figure(.should)), MAY\n\(t.figure(.may)))"
        #expect(readme.contains(figure), "README: \(figure)")
    }

    static let fixtureA = """
        document: doc-a
        title: A
        version: "1"
        source: here
        profiles: [aip-chained, aip-compact]
        clauses:
          - {id: one, title: first, level: MUST, section: "§1"}
          - {id: two, title: second, level: SHOULD, section: "§2"}
          - {id: three, title: third, level: MUST, section: "§3", profiles: [aip-compact]}
        """
    static let fixtureB = """
        document: doc-b
        title: B
        version: "2"
        source: there
        profiles: [aip-compact]
        clauses:
          - {id: x, title: ex, level: MAY, section: "§9"}
        """

    @Test func coverageFiguresOfASmallFixture() throws {
        let catalogue = try SpecCatalogue(documents: [
            SpecCatalogue.parse(Self.fixtureB, file: "b.yaml"), SpecCatalogue.parse(Self.fixtureA, file: "a.yaml"),
        ])
        #expect(catalogue.documents.map(\.id) == ["doc-a", "doc-b"])
        let tests = [
            SpecCoverage.Test(scenario: "s2", profile: .aipChained, clauses: [SpecClauseID("doc-a/one")!]),
            SpecCoverage.Test(scenario: "s1", profile: .aipChained, clauses: [SpecClauseID("doc-a/one")!, SpecClauseID("doc-a/two")!]),
            SpecCoverage.Test(scenario: "s3", profile: .aipCompact, clauses: [SpecClauseID("doc-a/three")!]),
        ]
        let all = SpecCoverage(catalogue: catalogue, tests: tests)
        #expect(all.tally.covered == 3 && all.tally.total == 4)
        #expect(all.tally.figure(.must) == "2/2" && all.tally.figure(.should) == "1/1" && all.tally.figure(.may) == "0/1")
        #expect(all.rows.first?.scenarios == ["s1", "s2"])
        #expect(all.untested.map(\.id.description) == ["doc-b/x"])
        // Per profile: only the clauses that apply to it, tested only by its own scenarios.
        let chained = SpecCoverage(catalogue: catalogue, tests: tests, profile: .aipChained)
        #expect(chained.rows.map(\.clause.id.description) == ["doc-a/one", "doc-a/two"])
        #expect(chained.tally.covered == 2 && chained.tally.total == 2)
        let compact = SpecCoverage(catalogue: catalogue, tests: tests, profile: .aipCompact)
        #expect(compact.rows.map(\.clause.id.description) == ["doc-a/one", "doc-a/two", "doc-a/three", "doc-b/x"])
        #expect(compact.tally.covered == 1 && compact.tally.figure(.must) == "1/2")
        #expect(CoverageReport.figure(compact.tally) == "1/4 (MUST 1/2, SHOULD 0/1, MAY 0/1)")
        let json = try CoverageReport.json(compact, byProfile: [])
        #expect(json.contains("\"untested\" : [\n    \"doc-a/one\",\n    \"doc-a/two\",\n    \"doc-b/x\"\n  ]"))
        #expect(CoverageReport.markdown(all, byProfile: []).contains("| `doc-b/x` | MAY | §9 | ex | **untested** |"))
    }

    @Test func aBrokenCatalogueFileIsNamed() {
        #expect(throws: ScenarioError.self) {
            try SpecCatalogue.parse(Self.fixtureA.replacingOccurrences(of: "level: SHOULD", with: "level: OUGHT"), file: "a.yaml")
        }
        do {
            _ = try SpecCatalogue.parse(Self.fixtureA.replacingOccurrences(of: "level: SHOULD", with: "level: OUGHT"), file: "a.yaml")
        } catch let e as ScenarioError {
            #expect(e.file == "a.yaml" && e.line == 8 && e.message == "level is MUST, SHOULD or MAY, not 'OUGHT'")
        } catch { Issue.record("\(error)") }
        #expect(throws: ScenarioError.self) {
            try SpecCatalogue(documents: [SpecCatalogue.parse(Self.fixtureA, file: "a.yaml"), SpecCatalogue.parse(Self.fixtureA, file: "a2.yaml")])
        }
    }

    static func scenario(spec: String, extra: String = "") -> String {
        "id: t/spec\ntitle: x\nspec: \(spec)\n\(extra)steps:\n  - mint: {as: a, by: orchestrator, scopes: [a]}\n"
    }

    static func loadError(_ text: String) -> ScenarioError? {
        do {
            _ = try ScenarioLoader.parse(text, file: "t/spec.yaml")
            return nil
        } catch { return error as? ScenarioError }
    }

    @Test func anUnknownClauseFailsTheLoadNamingFileAndEntry() {
        let e = Self.loadError(Self.scenario(spec: "[aip-verification/V1, aip-verification/V99]"))
        #expect(e?.file == "t/spec.yaml" && e?.line == 3 && e?.field == "spec[1]")
        #expect(
            e?.message.hasPrefix("no clause 'V99' in aip-verification (similar: V1, V1-as-received, V1-unverified-blocks, V2") == true,
            "\(e?.message ?? "")")
        #expect(Self.loadError(Self.scenario(spec: "[aip-verificaton/V1]"))?.message.hasPrefix("no document 'aip-verificaton'") == true)
        #expect(Self.loadError(Self.scenario(spec: "[\"AIP verification §4 V1\"]"))?.message.contains("is not a clause id") == true)
        #expect(
            Self.loadError(Self.scenario(spec: "[rfc8693/4.1-act]"))?.message
                == "rfc8693/4.1-act does not apply to the aip-chained profile (it applies to token-exchange, zeroid)")
        #expect(Self.loadError(Self.scenario(spec: "[aip-verification/V1, aip-verification/V1]"))?.message == "aip-verification/V1 is named twice")
        #expect(Self.loadError(Self.scenario(spec: "[aip-verification/V1]")) == nil)
    }

    @Test func taxonomiesAreCheckedAtLoad() throws {
        let ok = try ScenarioLoader.parse(Self.scenario(spec: "[aip-verification/V1]", extra: "owasp: ASI03\ncwe: CWE-347\n"), file: "t/spec.yaml")
        #expect(ok.owasp == .asi03 && ok.cwe?.name == "Improper Verification of Cryptographic Signature")
        let risk = Self.loadError(Self.scenario(spec: "[aip-verification/V1]", extra: "owasp: ASI11\n"))
        #expect(risk?.field == "owasp" && risk?.message.contains("not a category of the OWASP Top 10 for Agentic Applications") == true)
        let cwe = Self.loadError(Self.scenario(spec: "[aip-verification/V1]", extra: "cwe: CWE-9999\n"))
        #expect(cwe?.field == "cwe" && cwe?.message.hasPrefix("'CWE-9999' is not a weakness of Baton's list") == true)
        #expect(CWE("CWE-0347") == nil && CWE("cwe-347") == nil && CWE("CWE-347")?.id == "CWE-347")
        #expect(AgenticRisk.allCases.count == 10 && AgenticRisk.asi10.description == "ASI10 Rogue Agents")
    }
}

@Suite struct TaxonomyReportTests {
    /// The depth attack, run against the verifier without its depth check: an accepted attack.
    static func acceptedAttack() async -> RunReport {
        let file = PackagePaths.scenarios.appendingPathComponent("depth/forged-extra-hop.yaml").path
        let catalog = ScenarioLoader.load(paths: [file], relativeTo: PackagePaths.scenarios.path)
        return await SuiteRun(runner: ScenarioRunner(implementation: ReferenceImplementation.flawed(VerifierFlaw.skipDepth))).run(
            catalog, profiles: [])
    }

    @Test func sarifCarriesOWASPAndCWEForAnAcceptedAttack() async throws {
        let report = await Self.acceptedAttack()
        #expect(report.results.first?.judgement == .acceptedAttack)
        let sarif = try SARIFReport.render(report)
        let run = try #require(((try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])?.first)
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        let taxa = try #require(result["taxa"] as? [[String: Any]])
        #expect(taxa.map { $0["id"] as? String } == ["ASI03", "269"])
        #expect(taxa.map { ($0["toolComponent"] as? [String: Any])?["name"] as? String } == ["OWASP Top 10 for Agentic Applications", "CWE"])
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rule = try #require((driver["rules"] as? [[String: Any]])?.first)
        let properties = try #require(rule["properties"] as? [String: Any])
        #expect(properties["owasp"] as? String == "ASI03" && properties["cwe"] as? String == "CWE-269")
        let tags = try #require(properties["tags"] as? [String])
        #expect(tags.contains("external/cwe/cwe-269") && tags.contains("external/owasp-agentic/asi03") && tags.contains("security"))
        #expect((rule["relationships"] as? [[String: Any]])?.count == 2)
        let taxonomies = try #require(run["taxonomies"] as? [[String: Any]])
        #expect(taxonomies.map { $0["name"] as? String } == ["OWASP Top 10 for Agentic Applications", "CWE"])
        let cweTaxa = try #require(taxonomies.last?["taxa"] as? [[String: Any]])
        #expect(cweTaxa.first?["id"] as? String == "269" && cweTaxa.first?["name"] as? String == "Improper Privilege Management")
    }

    @Test func markdownAndHTMLGroupFindingsByTaxonomy() async {
        let report = await Self.acceptedAttack()
        let md = MarkdownReport.render(report)
        #expect(md.contains("## Findings by security taxonomy"))
        #expect(md.contains("| ASI03 Identity and Privilege Abuse | 1 | 0 | `depth/forged-extra-hop` |"))
        #expect(md.contains("| CWE-269 Improper Privilege Management | 1 | 0 | `depth/forged-extra-hop` |"))
        #expect(md.contains("## Specification coverage"))
        #expect(md == MarkdownReport.render(report), "deterministic")
        let html = HTMLReport.render(report)
        #expect(html.contains("<h2>Findings by security taxonomy</h2>"))
        #expect(html.contains("weakness: ASI03 Identity and Privilege Abuse; CWE-269 Improper Privilege Management"))
    }
}
