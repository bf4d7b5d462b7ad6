import BatonTestSupport
import Foundation
import Testing

/// Every report records what the run was: the scenario files' digest changes when a file does,
/// and the implementation and seed are named.
@Suite struct RunManifestTests {
    func manifest(_ dir: URL, reports: URL) throws -> [String: Any] {
        let run = try VerifyCommandTests.run(["run", dir.path, "--reports", reports.path, "--quiet", "--seed", "manifest-test"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let data = try Data(contentsOf: reports.appendingPathComponent("baton-reference.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let report = try #require(json["report"] as? [String: Any])
        return try #require(report["manifest"] as? [String: Any])
    }

    @Test(.enabled(if: VerifyCommandTests.baton != nil)) func theDigestFollowsTheScenarioFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-manifest-\(UUID().uuidString)")
        let scenarios = dir.appendingPathComponent("scenarios"), reports = dir.appendingPathComponent("reports")
        try FileManager.default.createDirectory(at: scenarios, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = PackagePaths.scenarios.appendingPathComponent("agentic-jwt/happy/research-then-write.yaml")
        let file = scenarios.appendingPathComponent("one.yaml")
        try FileManager.default.copyItem(at: source, to: file)
        let first = try manifest(scenarios, reports: reports)
        #expect(first["scenario_files"] as? Int == 1)
        #expect(first["seed"] as? String == "manifest-test")
        #expect(first["implementation"] as? String == "baton-reference")
        let again = try manifest(scenarios, reports: reports)
        #expect(again["scenarios_sha256"] as? String == first["scenarios_sha256"] as? String)
        try (String(contentsOf: file, encoding: .utf8) + "# edited\n").write(to: file, atomically: true, encoding: .utf8)
        let edited = try manifest(scenarios, reports: reports)
        #expect(edited["scenarios_sha256"] as? String != first["scenarios_sha256"] as? String)
    }
}
