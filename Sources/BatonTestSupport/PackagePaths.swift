import Foundation

/// Where things are in the package, found from this file's own path, so that tests, benches and
/// fuzz seeds agree on it whatever the working directory.
public enum PackagePaths {
    /// The package root (the folder that holds Package.swift).
    public static let root: URL = {
        // Sources/BatonTestSupport/PackagePaths.swift -> the package root
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// `Scenarios/`: one scenario per YAML file.
    public static var scenarios: URL { root.appendingPathComponent("Scenarios") }

    /// `Interop/`: the Python peers, testee adapters and the Python bench script.
    public static var interop: URL { root.appendingPathComponent("Interop") }

    /// `Fixtures/`: agents, known-failure lists.
    public static var fixtures: URL { root.appendingPathComponent("Fixtures") }

    /// The shared conformance material (Biscuit samples, AIP vectors): `BATON_SHARED` when set,
    /// else `shared/` beside the package root.
    public static var shared: SharedDirectory {
        if let env = ProcessInfo.processInfo.environment["BATON_SHARED"], !env.isEmpty {
            return SharedDirectory(url: URL(fileURLWithPath: env))
        }
        return SharedDirectory(url: root.deletingLastPathComponent().appendingPathComponent("shared"))
    }
}
