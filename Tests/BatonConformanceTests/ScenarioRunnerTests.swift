import BatonHarness
import BatonModel
import BatonProfiles
import BatonReports
import BatonTargets
import BatonTestSupport
import Testing

@Suite struct ScenarioRunnerTests {
    static let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)

    @Test func referencePassesEveryShippedScenario() async {
        let runner = ScenarioRunner(implementation: ReferenceImplementation())
        for s in Self.catalog.scenarios {
            let r = await runner.run(s)
            #expect(r.status == .passed, "\(s.id): \(r.message)\n\(r.trace.joined(separator: "\n"))")
        }
    }

    @Test func acceptEverythingVerifierIsCaughtByEveryVerifierAttack() async {
        let runner = ScenarioRunner(implementation: StubVerifier(answer: .accepted))
        var caught = 0
        for s in Self.catalog.scenarios where s.isAttack && s.tags.contains("verifier") {
            let r = await runner.run(s)
            #expect(r.status == .failed && r.judgement == .acceptedAttack, "\(s.id): \(r.status) \(r.message)")
            caught += 1
        }
        #expect(caught >= 25)
    }

    @Test func rejectEverythingVerifierFailsLegitimateChains() async {
        let runner = ScenarioRunner(implementation: StubVerifier(answer: .rejected("aip_signature_invalid")))
        for s in Self.catalog.scenarios where s.tags.contains("legitimate") {
            let r = await runner.run(s)
            #expect(r.status == .failed && r.judgement == .rejectedLegitimate, "\(s.id): \(r.message)")
        }
    }

    @Test func wrongCodeIsReportedApartFromAcceptedAttacks() async throws {
        let s = try #require(Self.catalog.scenarios.first { $0.id == "attenuation/forged-widening" })
        let r = await ScenarioRunner(implementation: StubVerifier(answer: .rejected("aip_token_malformed"))).run(s)
        #expect(r.status == .failed)
        #expect(r.judgement == .wrongCode)
    }

    /// A pinned step judges implementations that report steps; the others are judged on the code
    /// alone, and the trace says so.
    @Test func aPinnedStepIsJudgedWhenTheImplementationReportsOne() async throws {
        let s = try #require(Self.catalog.scenarios.first { $0.id == "attenuation/forged-widening" })
        #expect(s.finalExpectation?.step == "V4")
        let late = await ScenarioRunner(implementation: StubVerifier(answer: .rejected("aip_scope_insufficient", step: "V6"))).run(s)
        #expect(late.status == .failed)
        #expect(late.judgement == .wrongStep)
        #expect(late.message.contains("expected reject with aip_scope_insufficient at V4, got reject with aip_scope_insufficient at V6"))
        let right = await ScenarioRunner(implementation: StubVerifier(answer: .rejected("aip_scope_insufficient", step: "V4"))).run(s)
        #expect(right.status == .passed)
        let silent = await ScenarioRunner(implementation: StubVerifier(answer: .rejected("aip_scope_insufficient"))).run(s)
        #expect(silent.status == .passed)
        #expect(silent.trace.contains { $0.contains("no step reported: judged on the code alone, not on V4") })
    }

    @Test func issuerScenariosAreSkippedForVerifierOnlyImplementations() async throws {
        let s = try #require(Self.catalog.scenarios.first { $0.id == "budget/issuer-refuses-raise" })
        let r = await ScenarioRunner(implementation: StubVerifier(answer: .accepted)).run(s)
        #expect(r.status == .skipped)
        #expect(r.message.contains("issuer"))
    }

    @Test func crashingImplementationIsAnErrorOutcomeNotACrash() async throws {
        let s = try #require(Self.catalog.scenarios.first { $0.id == "happy/two-hop-chain" })
        let r = await ScenarioRunner(implementation: StubVerifier(answer: .failed("process exited with signal 11"))).run(s)
        #expect(r.status == .failed)
        #expect(r.judgement == .implementationError)
    }

    @Test func runsAreByteIdentical() async throws {
        func render() async throws -> String {
            var report = await SuiteRun(runner: ScenarioRunner(implementation: ReferenceImplementation())).run(Self.catalog, profiles: [.aipChained])
            report.results = report.results.map {
                var r = $0; r.durationMicros = 0; return r
            }
            return try JSONReport.render(report) + JUnitReport.render(report) + MarkdownReport.render(report)
        }
        let first = try await render()
        let second = try await render()
        #expect(first == second)
    }

    @Test func knownFailuresTurnFailuresIntoExpectedAndFlagStaleEntries() async throws {
        let known = KnownFailures(text: "# comment\nattenuation/forged-widening  # accepts widening\nhappy/two-hop-chain # stale\n")
        let run = SuiteRun(runner: ScenarioRunner(implementation: StubVerifier(answer: .accepted)), knownFailures: known)
        var catalog = Self.catalog
        catalog.scenarios = catalog.scenarios.filter { ["attenuation/forged-widening", "happy/two-hop-chain"].contains($0.id) }
        let report = await run.run(catalog, profiles: [.aipChained])
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
    @Test func aWrongAuditAssertionFailsTheScenario() async throws {
        let catalog = try loadScenarioText(
            """
            id: t/audit
            title: audit assertion
            steps:
              - mint: {as: t0, by: orchestrator, scopes: [a], principal: "user:alice"}
              - delegate: {as: t1, from: t0, by: orchestrator, to: researcher, scopes: [a], context: "c"}
              - send: {token: t1, from: orchestrator, to: researcher, scope: a}
              - audit: {decision: accept, principal: "user:bob", hops: 1}
            """)
        let scenario = try #require(catalog.scenarios.first, "\(catalog.errors)")
        let r = await ScenarioRunner(implementation: ReferenceImplementation()).run(scenario)
        #expect(r.status == .failed)
        #expect(r.judgement == .auditMismatch)
        #expect(r.message.contains("principal is user:alice, expected user:bob"), "\(r.message)")
        #expect(r.audit.count == 1)
        #expect(r.audit.first?.chain.count == 1)
    }
}

/// Calls that carry forged tokens are marked with the hops the attacker made, for the reports.
@Suite struct ForgedCallTests {
    static func run(
        _ forge: String, send: String = "t2", from: String = "researcher", to: String = "writer",
        expect: String = "{reject: aip_signature_invalid}"
    ) async throws -> CaseResult {
        let catalog = try loadScenarioText(
            """
            id: t/forged
            title: forged call
            tags: [attack, verifier]
            agents: [orchestrator, researcher, writer, mallory]
            steps:
              - mint: {as: t0, by: orchestrator, scopes: [a, b], principal: "user:alice"}
              - delegate: {as: t1, from: t0, by: orchestrator, to: researcher, scopes: [a], context: "c"}
              - delegate: {as: t2, from: t1, by: researcher, to: writer, scopes: [a], context: "d"}
              - \(forge)
              - send: {token: \(send), from: \(from), to: \(to), scope: a}
            expect: \(expect)
            """)
        let scenario = try #require(catalog.scenarios.first, "\(catalog.errors)")
        return await ScenarioRunner(implementation: ReferenceImplementation()).run(scenario)
    }

    @Test func anAppendedBlockIsTheOnlyForgedHop() async throws {
        let r = try await Self.run(
            "forge: {as: t3, from: t2, attack: append, delegator: writer, delegate: mallory, scopes: [a], signed_by: mallory}",
            send: "t3", from: "writer", to: "mallory")
        let call = try #require(r.forgedCalls.first)
        #expect(r.forgedCalls.count == 1)
        #expect(call.token == "t3" && call.record == 0)
        #expect(call.honestHops == 2)
        #expect(r.audit.first?.chain.count == 3)
        #expect(!call.isForged(hop: 1) && call.isForged(hop: 2))
        #expect(call.attack.hasPrefix("made from t2 by append: "), "reports name the attack as the scenario wrote it")
    }

    @Test func aRewrittenMiddleBlockTaintsItsHopAndEveryLaterOne() async throws {
        let r = try await Self.run(
            #"forge: {as: t3, from: t2, attack: rewrite_block, block: 1, signer: mallory, datalog: 'delegator("aip:web:acme.com/orchestrator"); delegate("aip:web:acme.com/researcher"); context("c");'}"#,
            send: "t3")
        let call = try #require(r.forgedCalls.first, "\(r.message) \(r.trace)")
        #expect(call.honestHops == 0)
        #expect(call.isForged(hop: 0) && call.isForged(hop: 1))
    }

    @Test func honestCallsAreNotMarked() async throws {
        let r = try await Self.run("forge: {as: t3, from: t2, attack: flip_token_bit, offset: 200, bit: 3}", send: "t2", expect: "accept")
        #expect(r.status == .passed, "\(r.message)")
        #expect(r.forgedCalls.isEmpty)
        #expect(r.audit.count == 1)
    }

    @Test func theHTMLReportDrawsTheForgedHop() async throws {
        let r = try await Self.run(
            "forge: {as: t3, from: t2, attack: append, delegator: writer, delegate: mallory, scopes: [a], signed_by: mallory}",
            send: "t3", from: "writer", to: "mallory")
        let html = HTMLReport.render(
            RunReport(
                tool: "baton", toolVersion: "0", implementation: "x", implementationVersion: nil,
                profiles: [.aipChained], results: [r], interrupted: false))
        #expect(html.components(separatedBy: "class=\"arrow forged\"").count - 1 == 1, "exactly the appended hop is drawn forged")
        #expect(html.contains("⚠ forged token <code>t3</code>"))
    }
}

@Suite struct DeclaredOptionsTests {
    @Test func scenariosNeedingUndeclaredOptionsAreSkippedWithTheReason() async throws {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        let runner = ScenarioRunner(implementation: StubVerifier(answer: .accepted, options: []))
        let replay = try #require(catalog.scenarios.first { $0.id == "expiry/replay-after-expiry" })
        let r = await runner.run(replay)
        #expect(r.status == .skipped)
        #expect(r.message.contains("'clock' option"))
        // Revocation (V7) is mandatory: an implementation that cannot be given a status fails, it is not skipped.
        let revoked = try #require(catalog.scenarios.first { $0.id == "revocation/revoked-block" })
        let v7 = await runner.run(revoked)
        #expect(v7.status == .failed)
        #expect(v7.judgement == .unsupportedMandatoryCheck)
        #expect(v7.message.contains("'revocation' option"))
        // Signed delegations are Baton's extension: skipped, with the risk left open.
        let signed = try #require(catalog.scenarios.first { $0.id == "happy/signed-delegations" })
        let extensionRun = await runner.run(signed)
        #expect(extensionRun.status == .skipped)
        #expect(extensionRun.message.contains("any holder can re-target a captured token"))
    }
}
