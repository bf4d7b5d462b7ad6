import BatonTestSupport
import Foundation
import Testing

/// `baton diff` on real runs: the reference against itself, against a flawed variant of itself (one
/// defence removed), and against a run of another seed and selection.
@Suite(.serialized) struct DiffCommandTests {
    /// A fresh directory, removed by the caller.
    static func temporary() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs `baton run Scenarios/compact` with `arguments` into `dir`; returns the JSON report's path.
    static func run(_ dir: URL, _ arguments: [String] = [], report: String = "baton-reference.json") throws -> String {
        let scenarios = PackagePaths.scenarios.appendingPathComponent("compact").path
        let run = try VerifyCommandTests.run(["run", scenarios, "--reports", dir.path, "--quiet"] + arguments)
        #expect(run.status == 0 || run.status == 1, "\(run.stdout)\(run.stderr)")
        let path = dir.appendingPathComponent(report).path
        #expect(FileManager.default.fileExists(atPath: path), "\(run.stderr)")
        return path
    }

    @Test(.enabled(if: VerifyCommandTests.baton != nil)) func theReferenceAgainstItselfIsNoChange() throws {
        let dir = try Self.temporary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try Self.run(dir.appendingPathComponent("a"))
        let b = try Self.run(dir.appendingPathComponent("b"))
        let diff = try VerifyCommandTests.run(["diff", a, b])
        #expect(diff.status == 0, "\(diff.stdout)\(diff.stderr)")
        #expect(diff.stdout.hasSuffix("No change.\n"), "\(diff.stdout)")
        #expect(!diff.stdout.contains("Manifest:"))
        #expect(diff.stdout.contains("baton-reference 0.1.0 (35 passed, 0 failed, 0 skipped) → baton-reference 0.1.0 (35 passed"), "\(diff.stdout)")
    }

    @Test(.enabled(if: VerifyCommandTests.baton != nil)) func aFlawedVariantIsARegressionAndItsRemovalAFix() throws {
        let dir = try Self.temporary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let reference = try Self.run(dir.appendingPathComponent("reference"))
        let flawed = try Self.run(
            dir.appendingPathComponent("flawed"), ["--iut", "flawed:compact-trust-kid"], report: "flawed-compact-trust-kid.json")

        let refused = try VerifyCommandTests.run(["diff", reference, flawed])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("different implementations"), "\(refused.stderr)")
        #expect(refused.stderr.contains("baton-reference") && refused.stderr.contains("of flawed:compact-trust-kid"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)

        let worse = try VerifyCommandTests.run(["diff", reference, flawed, "--force"])
        #expect(worse.status == 1, "a newly accepted attack is a regression: \(worse.stdout)\(worse.stderr)")
        #expect(
            worse.stdout.contains(
                "Newly accepted attacks (1) — regression:\n  compact/kid-names-mallory: passed (reject with aip_signature_invalid at V1) → failed: accepted attack (accept)"
            ), "\(worse.stdout)")
        #expect(!worse.stdout.contains("New failures"), "an accepted attack is listed once, first")
        #expect(worse.stdout.contains("Now skipped (3):\n  compact/issuer-refuses-empty-scope: passed"), "the variant is a verifier only")
        #expect(worse.stdout.contains("  implementation: baton-reference → flawed:compact-trust-kid"), "\(worse.stdout)")
        #expect(worse.stdout.hasSuffix("1 regression(s).\n"))

        let better = try VerifyCommandTests.run(["diff", flawed, reference, "--force", "--format", "markdown"])
        #expect(better.status == 0, "a fix is no regression: \(better.stdout)\(better.stderr)")
        #expect(
            better.stdout.contains(
                "## Fixed (1)\n\n| scenario | before | after |\n| --- | --- | --- |\n| `compact/kid-names-mallory` | failed: accepted attack (accept) | passed (reject with aip_signature_invalid at V1) |"
            ), "\(better.stdout)")
        #expect(better.stdout.contains("**No regression.**"))
        #expect(!better.stdout.contains("Newly accepted attacks"))
    }

    @Test(.enabled(if: VerifyCommandTests.baton != nil)) func addedScenariosAndManifestChangesAreListed() throws {
        let dir = try Self.temporary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let few = try Self.run(dir.appendingPathComponent("few"), ["--filter", "alg-none"])
        let all = try Self.run(dir.appendingPathComponent("all"), ["--seed", "another"])
        let out = dir.appendingPathComponent("diff.md").path
        let diff = try VerifyCommandTests.run(["diff", few, all, "--format", "markdown", "--output", out])
        #expect(diff.status == 0, "new scenarios are no regression: \(diff.stderr)")
        #expect(diff.stdout.isEmpty)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("## Scenarios added (33)"), "\(text)")
        #expect(text.contains("| `compact/embedded-jwk` | — | passed (reject with aip_signature_invalid at V1) |"), "\(text)")
        #expect(text.contains("| seed | baton | another |"))
        #expect(text.contains("| filters | filter alg-none | none |"))
        #expect(!text.contains("| scenarios_sha256"), "same scenario files")
    }

    @Test(.enabled(if: VerifyCommandTests.baton != nil)) func whatIsNotAReportIsRefusedByName() throws {
        let dir = try Self.temporary()
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = try Self.run(dir)
        let other = dir.appendingPathComponent("other.json")
        try Data(#"{"format": "something-else/2"}"#.utf8).write(to: other)
        let wrong = try VerifyCommandTests.run(["diff", report, other.path])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("\(other.path): not a Baton JSON report (format 'something-else/2'"), "\(wrong.stderr)")
        let truncated = dir.appendingPathComponent("truncated.json")
        let text = try String(contentsOfFile: report, encoding: .utf8)
        try Data(text.replacingOccurrences(of: #""scenarioId""#, with: #""scenario""#).utf8).write(to: truncated)
        let broken = try VerifyCommandTests.run(["diff", truncated.path, report])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("missing 'scenarioId' at report.results[0]"), "\(broken.stderr)")
    }
}
