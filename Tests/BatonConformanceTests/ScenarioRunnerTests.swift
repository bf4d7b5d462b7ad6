import BatonConformance
import BatonReports
import Testing

@Suite struct ScenarioRunnerTests {
    static let catalog = ScenarioLoader.load(paths: [Paths.scenarios], relativeTo: Paths.scenarios)

    @Test func referencePassesEveryShippedScenario() {
        let runner = ScenarioRunner(implementation: ReferenceImplementation())
        for s in Self.catalog.scenarios {
            let r = runner.run(s)
            #expect(r.status == .passed, "\(s.id): \(r.message)\n\(r.trace.joined(separator: "\n"))")
        }
    }

    @Test func acceptEverythingVerifierIsCaughtByEveryVerifierAttack() {
        let runner = ScenarioRunner(implementation: StubVerifier(answer: .accepted))
        var caught = 0
        for s in Self.catalog.scenarios where s.isAttack && s.tags.contains("verifier") {
            let r = runner.run(s)
            #expect(r.status == .failed && r.judgement == .acceptedAttack, "\(s.id): \(r.status) \(r.message)")
            caught += 1
        }
        #expect(caught >= 25)
    }

    @Test func rejectEverythingVerifierFailsLegitimateChains() {
        let runner = ScenarioRunner(implementation: StubVerifier(answer: .rejected("aip_signature_invalid")))
        for s in Self.catalog.scenarios where s.tags.contains("legitimate") {
            let r = runner.run(s)
            #expect(r.status == .failed && r.judgement == .rejectedLegitimate, "\(s.id): \(r.message)")
        }
    }

    @Test func wrongCodeIsReportedApartFromAcceptedAttacks() throws {
        let s = try #require(Self.catalog.scenarios.first { $0.id == "attenuation/forged-widening" })
        let r = ScenarioRunner(implementation: StubVerifier(answer: .rejected("aip_token_malformed"))).run(s)
        #expect(r.status == .failed)
        #expect(r.judgement == .wrongCode)
    }

    @Test func issuerScenariosAreSkippedForVerifierOnlyImplementations() throws {
        let s = try #require(Self.catalog.scenarios.first { $0.id == "budget/issuer-refuses-raise" })
        let r = ScenarioRunner(implementation: StubVerifier(answer: .accepted)).run(s)
        #expect(r.status == .skipped)
        #expect(r.message.contains("issuer"))
    }

    @Test func crashingImplementationIsAnErrorOutcomeNotACrash() throws {
        let s = try #require(Self.catalog.scenarios.first { $0.id == "happy/two-hop-chain" })
        let r = ScenarioRunner(implementation: StubVerifier(answer: .failed("process exited with signal 11"))).run(s)
        #expect(r.status == .failed)
        #expect(r.judgement == .implementationError)
    }

    @Test func runsAreByteIdentical() throws {
        func render() throws -> String {
            var report = SuiteRun(runner: ScenarioRunner(implementation: ReferenceImplementation())).run(Self.catalog, profiles: ["aip-chained"])
            report.results = report.results.map { var r = $0; r.durationMicros = 0; return r }
            return try JSONReport.render(report) + JUnitReport.render(report) + MarkdownReport.render(report)
        }
        #expect(try render() == render())
    }

    @Test func knownFailuresTurnFailuresIntoExpectedAndFlagStaleEntries() throws {
        let known = KnownFailures(text: "# comment\nattenuation/forged-widening  # accepts widening\nhappy/two-hop-chain # stale\n")
        let run = SuiteRun(runner: ScenarioRunner(implementation: StubVerifier(answer: .accepted)), knownFailures: known)
        var catalog = Self.catalog
        catalog.scenarios = catalog.scenarios.filter { ["attenuation/forged-widening", "happy/two-hop-chain"].contains($0.id) }
        let report = run.run(catalog, profiles: ["aip-chained"])
        let byId = Dictionary(uniqueKeysWithValues: report.results.map { ($0.scenarioId, $0) })
        #expect(byId["attenuation/forged-widening"]?.status == .expectedFailure)
        #expect(byId["happy/two-hop-chain"]?.status == .unexpectedPass)
        #expect(!report.summary.succeeded, "a stale known-failure entry fails the run")
        let updated = known.updated(with: report.results)
        #expect(updated.contains("attenuation/forged-widening"))
        #expect(!updated.contains("happy/two-hop-chain"))
        #expect(KnownFailures(text: updated.render(header: "h")) == updated)
    }
}

@Suite struct AuditAssertionTests {
    @Test func aWrongAuditAssertionFailsTheScenario() throws {
        let catalog = try loadScenarioText("""
            id: t/audit
            title: audit assertion
            steps:
              - mint: {as: t0, by: orchestrator, scopes: [a], principal: "user:alice"}
              - delegate: {as: t1, from: t0, by: orchestrator, to: researcher, scopes: [a], context: "c"}
              - send: {token: t1, from: orchestrator, to: researcher, scope: a}
              - audit: {decision: accept, principal: "user:bob", hops: 1}
            """)
        let scenario = try #require(catalog.scenarios.first, "\(catalog.errors)")
        let r = ScenarioRunner(implementation: ReferenceImplementation()).run(scenario)
        #expect(r.status == .failed)
        #expect(r.message.contains("principal is user:alice, expected user:bob"), "\(r.message)")
        #expect(r.audit.count == 1)
        #expect(r.audit.first?.chain.count == 1)
    }
}

@Suite struct DeclaredOptionsTests {
    @Test func scenariosNeedingUndeclaredOptionsAreSkippedWithTheReason() throws {
        let catalog = ScenarioLoader.load(paths: [Paths.scenarios], relativeTo: Paths.scenarios)
        let runner = ScenarioRunner(implementation: StubVerifier(answer: .accepted, options: []))
        let replay = try #require(catalog.scenarios.first { $0.id == "expiry/replay-after-expiry" })
        let r = runner.run(replay)
        #expect(r.status == .skipped)
        #expect(r.message.contains("'clock' option"))
        let revoked = try #require(catalog.scenarios.first { $0.id == "revocation/revoked-block" })
        #expect(runner.run(revoked).message.contains("'revocation' option"))
    }
}
