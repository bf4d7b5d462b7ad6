import AgentChecksum
import BatonTestSupport
import BatonTestSupportTesting
import Foundation
import Testing

/// Baton's checksums against auth51-checksum 0.4.0 itself: `Interop/checksum_vectors.py` computes
/// every version with the library for varied agent definitions, and Baton must give the same
/// bytes. In CI (`BATON_REQUIRE_INTEROP`) a missing library is a failure, not a skip.
@Suite struct ChecksumInteropTests {
    static func runScript() throws -> Data {
        let python = try Interop.require(
            PythonInterpreter.venv.flatMap { PythonInterpreter.canImport("auth51_checksum", with: $0) ? $0 : nil },
            needs: "auth51-checksum", notChecked: "agent checksums were NOT checked against auth51-checksum")
        let output = try ProcessRunner.run(python, [ChecksumVectors.script.path], timeout: .seconds(60))
        try #require(output.succeeded, "Interop/checksum_vectors.py failed: \(output.stderrText)")
        return output.stdout
    }

    @Test func batonAgreesWithTheLibrary() throws {
        let vectors = try ChecksumVectors.parse(Array(Self.runScript()))
        try #require(vectors.count >= 15)
        for vector in vectors { ChecksumVectors.check(vector) }
    }

    /// The committed fixture is what the library computes today.
    @Test func committedVectorsAreCurrent() throws {
        let fresh = try Self.runScript()
        let committed = try? Data(contentsOf: ChecksumVectors.fixture)
        #expect(committed == fresh, "Fixtures/checksum-vectors.json is stale: \(ChecksumVectors.regenerate)")
    }
}
