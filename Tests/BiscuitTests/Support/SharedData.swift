import Foundation

/// Locates `../shared/` (the Biscuit conformance samples and AIP vectors) beside
/// the package, or wherever `BATON_SHARED` points.
enum SharedData {
    static let root: URL = {
        if let env = ProcessInfo.processInfo.environment["BATON_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        // Tests/BiscuitTests/Support/SharedData.swift -> package root -> ../shared
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared")
    }()

    static var samplesDirectory: URL { root.appendingPathComponent("biscuit-samples") }
    static var vectorsDirectory: URL { root.appendingPathComponent("vectors") }

    static var samplesAvailable: Bool {
        FileManager.default.fileExists(atPath: samplesDirectory.appendingPathComponent("samples.json").path)
    }

    static var vectorsAvailable: Bool {
        FileManager.default.fileExists(atPath: vectorsDirectory.appendingPathComponent("aip_vector.json").path)
    }

    /// Printed once, loudly, when the shared data is missing.
    static func missingMessage(_ what: String) -> String {
        let msg =
            "SKIPPED: \(what) not found under \(root.path) — set BATON_SHARED or place shared/ beside the package. These conformance checks did NOT run."
        FileHandle.standardError.write(Data(("\n*** " + msg + " ***\n").utf8))
        return msg
    }

    static func json(_ url: URL) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    }
}
