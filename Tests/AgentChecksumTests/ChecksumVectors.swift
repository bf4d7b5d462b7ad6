import AgentChecksum
import BatonTestSupport
import Foundation
import JOSE
import Testing

/// One vector of `Interop/checksum_vectors.py`: an agent definition in auth51-checksum's dict form,
/// the library's checksum under every version and the text it hashed for v1 to v4.
struct ChecksumVector: Sendable, CustomTestStringConvertible {
    var name: String
    var definition: AgentDefinition
    var checksums: [String: String]
    var preimages: [String: String]

    var testDescription: String { name }
}

/// Reads and checks the vectors, from the committed fixture or from the script's output.
enum ChecksumVectors {
    static let fixture = PackagePaths.fixtures.appendingPathComponent("checksum-vectors.json")
    static let script = PackagePaths.interop.appendingPathComponent("checksum_vectors.py")
    static let regenerate = "regenerate it with `.venv/bin/python Interop/checksum_vectors.py > Fixtures/checksum-vectors.json`"

    static func parse(_ bytes: [UInt8]) throws -> [ChecksumVector] {
        let document = try JSONParser.parseObject(bytes)
        return try (document["vectors"]?.arrayValue ?? []).map { item in
            let vector = try #require(item.objectValue)
            func strings(_ key: String) throws -> [String: String] {
                let object = try #require(vector[key]?.objectValue)
                return try Dictionary(uniqueKeysWithValues: object.entries.map { ($0.key, try #require($0.value.stringValue)) })
            }
            return ChecksumVector(
                name: try #require(vector["name"]?.stringValue),
                definition: try AgentDefinition(components: try #require(vector["definition"]?.objectValue)),
                checksums: try strings("checksums"), preimages: try strings("preimages"))
        }
    }

    /// The committed vectors, read once.
    static let committed: [ChecksumVector] = {
        guard let data = try? Data(contentsOf: fixture), let vectors = try? parse(Array(data)) else { return [] }
        return vectors
    }()

    /// Records an issue for every byte Baton's checksums differ from the library's on `vector`.
    static func check(_ vector: ChecksumVector, sourceLocation: SourceLocation = #_sourceLocation) {
        for version in AgentChecksum.Version.allCases {
            let preimage = AgentChecksum.preimage(version, of: vector.definition)
            #expect(
                preimage.unicodeScalars.elementsEqual((vector.preimages[version.rawValue] ?? "").unicodeScalars),
                "\(vector.name) \(version) preimage:\nBaton:   \(preimage)\nlibrary: \(vector.preimages[version.rawValue] ?? "-")",
                sourceLocation: sourceLocation)
            #expect(
                AgentChecksum.compute(version, of: vector.definition) == vector.checksums[version.rawValue], "\(vector.name) \(version)",
                sourceLocation: sourceLocation)
        }
        let withSource = vector.definition.tools.contains { !$0.isSubAgent && $0.origin == .process && !($0.sourceCode ?? "").isEmpty }
        if withSource {
            #expect(AgentChecksum.computeV5(of: vector.definition) == nil, "\(vector.name) v5 is not reproducible", sourceLocation: sourceLocation)
        } else {
            #expect(AgentChecksum.computeV5(of: vector.definition) == vector.checksums["v5"], "\(vector.name) v5", sourceLocation: sourceLocation)
        }
        for (version, checksum) in vector.checksums where version != "v5" || !withSource {
            #expect(
                AgentChecksum.matches(registered: checksum, definition: vector.definition), "\(vector.name) \(version)",
                sourceLocation: sourceLocation)
        }
    }
}
