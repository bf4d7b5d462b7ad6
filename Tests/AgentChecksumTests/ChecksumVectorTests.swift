import AgentChecksum
import Foundation
import Testing

/// Baton's checksums against the committed vectors of auth51-checksum 0.4.0
/// (`Fixtures/checksum-vectors.json`), so that they are checked without Python too.
/// ``ChecksumInteropTests`` regenerates them from the library and reports a stale fixture.
@Suite struct ChecksumVectorTests {
    @Test func fixtureIsPresentAndVaried() throws {
        let vectors = ChecksumVectors.committed
        try #require(vectors.count >= 15, "Fixtures/checksum-vectors.json is missing or unreadable: \(ChecksumVectors.regenerate)")
        #expect(Set(vectors.map(\.name)).count == vectors.count)
        #expect(
            vectors.allSatisfy { Set($0.checksums.keys) == ["v1", "v2", "v3", "v4", "v5"] && Set($0.preimages.keys) == ["v1", "v2", "v3", "v4"] })
        // Non-BMP and combining characters, excluded tools and a tool with source code are covered.
        #expect(vectors.contains { $0.definition.prompt.unicodeScalars.contains { $0.value > 0xFFFF } })
        #expect(vectors.contains { $0.definition.prompt.unicodeScalars.contains { $0.value == 0x301 } })
        #expect(vectors.contains { $0.definition.tools.contains(where: \.isSubAgent) && $0.definition.tools.contains { $0.origin == .mcp } })
        #expect(vectors.contains { AgentChecksum.computeV5(of: $0.definition) == nil })
    }

    @Test(arguments: ChecksumVectors.committed) func committedVector(_ vector: ChecksumVector) {
        ChecksumVectors.check(vector)
    }
}
