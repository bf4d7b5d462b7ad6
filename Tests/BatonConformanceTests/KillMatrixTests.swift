import AIP
import BatonConformance
import Testing

/// Every flaw of the flawed-verifier gallery must be caught by at least one shipped scenario,
/// and the unflawed reference by none.
@Suite struct KillMatrixTests {
    @Test func everyFlawIsCaught() {
        let catalog = ScenarioLoader.load(paths: [Paths.scenarios], relativeTo: Paths.scenarios)
        let matrix = KillMatrix.compute(catalog)
        #expect(matrix.rows.count == VerifierFlaw.allCases.count)
        #expect(matrix.survivors.isEmpty, "flaws no scenario catches: \(matrix.survivors)")
        #expect(matrix.markdown().contains("skip-depth"))
    }

    @Test func flawedVariantsAreVerifierOnly() {
        let flawed = ReferenceImplementation.flawed(.skipDepth)
        #expect(flawed.descriptor.name == "flawed:skip-depth")
        #expect(flawed.descriptor.roles == [.verifier])
    }
}
