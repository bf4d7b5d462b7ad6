import BatonTestSupport
import Foundation

/// The Biscuit conformance samples and AIP vectors in ``PackagePaths/shared`` (`../shared/` beside
/// the package, or wherever `BATON_SHARED` points).
enum SharedData {
    static let root = PackagePaths.shared.url

    static var samplesDirectory: URL { root.appendingPathComponent("biscuit-samples") }
    static var vectorsDirectory: URL { root.appendingPathComponent("vectors") }

    static var samplesAvailable: Bool { PackagePaths.shared.isAvailable("biscuit-samples/samples.json") }

    static var vectorsAvailable: Bool { PackagePaths.shared.isAvailable("vectors/aip_vector.json") }

    static func json(_ url: URL) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }
}
