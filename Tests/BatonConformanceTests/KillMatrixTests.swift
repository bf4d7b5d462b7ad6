import AIP
import AIPJWT
import AgenticJWT
import BatonHarness
import BatonModel
import BatonReports
import BatonTargets
import BatonTestSupport
import Testing
import TokenExchange
import ZeroID

@testable import BatonProfiles

/// Every flaw of the flawed-verifier gallery must be caught by at least one shipped scenario,
/// and the unflawed reference by none.
@Suite struct KillMatrixTests {
    /// The shipped catalog's matrix, computed once for the suite.
    static let matrixTask = Task {
        await KillMatrix.compute(ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path))
    }
    static var matrix: KillMatrix { get async { await matrixTask.value } }

    @Test func everyFlawIsCaught() async {
        let matrix = await Self.matrix
        #expect(matrix.rows.count == ReferenceImplementation.gallery.count)
        #expect(matrix.survivors.isEmpty, "flaws no scenario catches: \(matrix.survivors)")
        #expect(KillMatrixReport.render(matrix).contains("skip-depth"))
    }

    /// Every flaw is caught by a scenario that pins the step the flaw removes, so the suite tells a
    /// verifier without that check apart from one that refuses later for another reason.
    @Test func everyFlawIsCaughtAtTheStepItRemoves() async {
        let matrix = await Self.matrix
        #expect(matrix.unpinned.isEmpty, "caught only at other steps: \(matrix.unpinned)")
    }

    /// The catalog pins the refusing step of at least 60 attack scenarios.
    @Test func attackScenariosPinTheirStep() {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        let pinned = catalog.scenarios.filter { $0.isAttack && $0.finalExpectation?.step != nil }
        #expect(pinned.count >= 60, "\(pinned.count) attack scenarios pin a step")
    }

    /// Without the V4 walk, a forged widening is still refused, with the same code, by V6's Datalog:
    /// only the pinned step tells the flaw apart.
    @Test func aPinnedStepCatchesAFlawThatRefusesLater() async throws {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        let scenario = try #require(catalog.scenarios.first { $0.id == "attenuation/forged-widening" })
        let r = await ScenarioRunner(implementation: ReferenceImplementation.flawed(VerifierFlaw.skipAttenuationWalk)).run(scenario)
        #expect(r.status == .failed)
        #expect(r.judgement == .wrongStep)
        #expect(r.outcome?.code == "aip_scope_insufficient")
        #expect(r.outcome?.step == "V6")
        var unpinned = scenario
        unpinned.expect?.step = nil
        #expect(
            await ScenarioRunner(implementation: ReferenceImplementation.flawed(VerifierFlaw.skipAttenuationWalk)).run(unpinned).status == .passed)
    }

    /// Each compact flaw has its row, and a compact scenario catches it (the compact verifier
    /// only runs `aip-compact` scenarios, so nothing else could).
    @Test(arguments: CompactFlaw.allCases)
    func everyCompactFlawIsCaughtByACompactScenario(_ flaw: CompactFlaw) async throws {
        let matrix = await Self.matrix
        let row = try #require(matrix.rows.first { $0.flaw == flaw.rawValue })
        #expect(!row.killedBy.isEmpty, "\(flaw.rawValue) survives")
        // Removing a defence must let some attack through, not merely change an error code.
        #expect(row.killedBy.contains { $0.judgement == Judgement.acceptedAttack.rawValue }, "\(row.killedBy.map { "\($0.id) \($0.judgement)" })")
        #expect(row.summary == flaw.summary)
        #expect(KillMatrixReport.render(matrix).contains("| `\(flaw.rawValue)` | \(flaw.summary) | \(flaw.removedStep) | \(row.killedBy.count) |"))
    }

    /// The non-canonical Datalog, wildcard and smuggling scenarios (issue 14): each is met by the
    /// reference and fails against the verifier without the defence it tests: the attack accepted,
    /// or, where a later check still refuses it, refused at the wrong step or with the wrong code
    /// (without V2, the look-alike issuer is refused at V4, as the delegator of block 1).
    @Test(arguments: [
        ("canonical/scope-as-equality", VerifierFlaw.lenientCanonicalForm), ("canonical/scope-by-ends-with", .lenientCanonicalForm),
        ("canonical/scope-in-check-all", .lenientCanonicalForm), ("canonical/scope-as-set", .skipAttenuationWalk),
        ("canonical/scope-variable-renamed", .skipAttenuationWalk), ("canonical/scope-split-across-checks", .lenientCanonicalForm),
        ("canonical/expiry-strict-less-than", .lenientCanonicalForm), ("canonical/expiry-reversed-operands", .lenientCanonicalForm),
        ("canonical/expiry-in-check-all", .lenientCanonicalForm), ("canonical/budget-as-check", .lenientCanonicalForm),
        ("canonical/budget-as-string", .lenientCanonicalForm), ("canonical/principal-derived-by-rule", .lenientCanonicalForm),
        ("canonical/max-depth-derived-by-rule", .lenientCanonicalForm),
        ("wildcard/simple-literal-star-forged-narrowing", .skipAttenuationWalk), ("wildcard/simple-literal-star-to-prefix", .skipAttenuationWalk),
        ("wildcard/literal-star-under-prefix-grants-nothing-else", .skipScopeCheck), ("wildcard/shorter-prefix-widens", .skipAttenuationWalk),
        ("wildcard/exact-name-made-a-prefix", .skipAttenuationWalk),
        ("smuggling/context-hides-widened-tool-check", .skipAttenuationWalk), ("smuggling/context-hides-later-expiry", .skipBlockExpiry),
        ("smuggling/principal-with-a-quote", .skipPrincipal), ("smuggling/context-closes-its-string", .skipScopeCheck),
        ("smuggling/zero-width-hop-in-the-middle", .lenientCanonicalForm), ("smuggling/bidi-override-hop-in-the-middle", .lenientCanonicalForm),
        ("smuggling/look-alike-delegator", .skipDelegatorContinuity), ("smuggling/homoglyph-issuer", .skipRootBinding),
    ])
    func aNewAttackFailsWithoutItsDefence(_ id: String, _ flaw: VerifierFlaw) async throws {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        let scenario = try #require(catalog.scenarios.first { $0.id == id })
        #expect(await ScenarioRunner(implementation: ReferenceImplementation()).run(scenario).status == .passed)
        let r = await ScenarioRunner(implementation: ReferenceImplementation.flawed(flaw)).run(scenario)
        #expect(r.status == .failed)
        #expect([.acceptedAttack, .wrongStep, .wrongCode].contains(r.judgement), "\(id) against \(flaw.rawValue): \(r.message)")
    }

    @Test func galleryNamesAreUnique() {
        let names = ReferenceImplementation.gallery.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(
            names.count == VerifierFlaw.allCases.count + ExchangedTokenFlaw.allCases.count + CompactFlaw.allCases.count + JWTChainFlaw.allCases.count
                + IntentVerifierFlaw.allCases.count + ZeroIDFlaw.allCases.count + WorkflowFlaw.allCases.count)
    }

    @Test func flawedVariantsAreVerifierOnly() {
        let flawed = ReferenceImplementation.flawed(VerifierFlaw.skipDepth)
        #expect(flawed.descriptor.name == "flawed:skip-depth")
        #expect(flawed.descriptor.roles == [.verifier])
        #expect(flawed.descriptor.profiles == [.aipChained])
        let jwt = ReferenceImplementation.flawed(named: "jwt-accept-alg-none")
        #expect(jwt?.descriptor.roles == [.verifier])
        #expect(jwt?.descriptor.profiles == [.tokenExchange])
        for flaw in CompactFlaw.allCases {
            let compact = ReferenceImplementation.flawed(named: flaw.rawValue)
            #expect(compact?.descriptor.name == "flawed:\(flaw.rawValue)")
            #expect(compact?.descriptor.roles == [.verifier])
            #expect(compact?.descriptor.profiles == [.aipCompact])
            #expect((compact as? CompactReference)?.flaws == [flaw])
        }
        #expect(ReferenceImplementation.flawed(named: "no-such-flaw") == nil)
        #expect(ReferenceImplementation().descriptor.roles == [.issuer, .verifier, .sts, .gateway])
    }

    /// A JWT flaw really weakens the verifier: the alg-none scenario that the reference
    /// passes is an accepted attack against the flawed variant.
    @Test func jwtFlawIsAnAcceptedAttack() async throws {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        let scenario = try #require(catalog.scenarios.first { $0.id == "token-exchange/jose/alg-none" })
        #expect(await ScenarioRunner(implementation: ReferenceImplementation()).run(scenario).status == .passed)
        let flawed = try #require(ReferenceImplementation.flawed(named: "jwt-accept-alg-none"))
        let r = await ScenarioRunner(implementation: flawed).run(scenario)
        #expect(r.judgement == .acceptedAttack)
    }

    /// The same for compact flaws, on the scenarios written for them: each is met by the
    /// reference and an accepted attack against the flaw it targets.
    @Test(arguments: [
        ("compact/kid-names-mallory", CompactFlaw.trustKid), ("compact/unknown-crit", .ignoreCrit),
        ("compact/stale-revocation-status", .skipRevocation), ("compact/alg-none", .acceptAlgNone),
    ])
    func compactFlawIsAnAcceptedAttack(_ id: String, _ flaw: CompactFlaw) async throws {
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        let scenario = try #require(catalog.scenarios.first { $0.id == id })
        #expect(await ScenarioRunner(implementation: ReferenceImplementation()).run(scenario).status == .passed)
        let r = await ScenarioRunner(implementation: ReferenceImplementation.flawed(flaw)).run(scenario)
        #expect(r.judgement == .acceptedAttack, "\(id) against \(flaw.rawValue): \(r.message)")
    }
}
