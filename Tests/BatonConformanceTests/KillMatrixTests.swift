import AIP
import BatonConformance
import Testing

/// Every flaw of the flawed-verifier gallery must be caught by at least one shipped scenario,
/// and the unflawed reference by none.
@Suite struct KillMatrixTests {
    @Test func everyFlawIsCaught() {
        let catalog = ScenarioLoader.load(paths: [Paths.scenarios], relativeTo: Paths.scenarios)
        let matrix = KillMatrix.compute(catalog)
        #expect(matrix.rows.count == ReferenceImplementation.gallery.count)
        #expect(matrix.survivors.isEmpty, "flaws no scenario catches: \(matrix.survivors)")
        #expect(matrix.markdown().contains("skip-depth"))
    }

    @Test func flawedVariantsAreVerifierOnly() {
        let flawed = ReferenceImplementation.flawed(VerifierFlaw.skipDepth)
        #expect(flawed.descriptor.name == "flawed:skip-depth")
        #expect(flawed.descriptor.roles == [.verifier])
        let jwt = ReferenceImplementation.flawed(named: "jwt-accept-alg-none")
        #expect(jwt?.descriptor.roles == [.verifier])
        #expect(jwt?.descriptor.profiles == ["token-exchange"])
        #expect(ReferenceImplementation.flawed(named: "no-such-flaw") == nil)
    }

    /// A JWT flaw really weakens the verifier: the alg-none scenario that the reference
    /// passes is an accepted attack against the flawed variant.
    @Test func jwtFlawIsAnAcceptedAttack() throws {
        let catalog = ScenarioLoader.load(paths: [Paths.scenarios], relativeTo: Paths.scenarios)
        let scenario = try #require(catalog.scenarios.first { $0.id == "token-exchange/jose/alg-none" })
        #expect(ScenarioRunner(implementation: ReferenceImplementation()).run(scenario).status == .passed)
        let flawed = try #require(ReferenceImplementation.flawed(named: "jwt-accept-alg-none"))
        let r = ScenarioRunner(implementation: flawed).run(scenario)
        #expect(r.judgement == .acceptedAttack)
    }
}
