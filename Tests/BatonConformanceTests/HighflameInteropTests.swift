import BatonHarness
import BatonModel
import BatonProfiles
import BatonTargets
import BatonTestSupport
import BatonTestSupportTesting
import Foundation
import Testing

/// highflame 0.10.0 (ZeroID's Python SDK) through `Interop/highflame_adapter.py`: a verifier of ZeroID tokens whose
/// zeroid scenarios give exactly its known-failure list, and whose accepted tokens come back with what it read.
@Suite(.serialized) struct HighflameInteropTests {
    static func adapter() throws -> TesteeProcess {
        let python = try Interop.require(
            PythonInterpreter.highflameVenv.flatMap { PythonInterpreter.canImport("highflame.zeroid", with: $0) ? $0 : nil },
            needs: "highflame 0.10.0 (bash scripts/highflame.sh venv)", notChecked: "highflame was NOT judged on the zeroid scenarios")
        return TesteeProcess(command: [python, PackagePaths.interop.appendingPathComponent("highflame_adapter.py").path], timeout: .seconds(20))
    }

    @Test func handshakeDeclaresAZeroIDVerifierWithAClock() async throws {
        let highflame = try Self.adapter()
        defer { highflame.close() }
        #expect(await highflame.start() == nil)
        let d = highflame.descriptor
        #expect(d.name == "highflame" && d.version == "0.10.0")
        #expect(d.profiles == [TokenProfile("zeroid")])
        #expect(d.roles == [.verifier])
        #expect(d.options.contains(.clock))
    }

    @Test func theZeroIDScenariosGiveItsKnownFailures() async throws {
        let highflame = try Self.adapter()
        defer { highflame.close() }
        var catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        catalog.scenarios = catalog.scenarios.filter { $0.profile == TokenProfile("zeroid") }
        let listed = try String(contentsOf: PackagePaths.fixtures.appendingPathComponent("known-failures/highflame.txt"), encoding: .utf8)
        let known = KnownFailures(text: listed)
        let report = await SuiteRun(runner: ScenarioRunner(implementation: highflame), knownFailures: known).run(
            catalog, profiles: highflame.descriptor.profiles)
        let s = report.summary
        #expect(s.succeeded, "\(report.results.filter { !$0.status.isAcceptable }.map { "\($0.scenarioId): \($0.message)" })")
        let entries = listed.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        #expect(s.expectedFailures == entries.count, "\(s)")
        #expect(s.passed == 19 && s.expectedFailures == 5 && s.skipped == 43 && s.total == 67, "\(s)")
        // What highflame read from each token it accepted is in the report (actor, prior actors, profile, depth).
        let traces = report.results.map { $0.trace.joined(separator: "\n") }
        #expect(traces.filter { $0.contains("highflame read: ") }.count >= 10)
        let rfc8693 =
            "profile=rfc8693 principal_type='workload' current_actor=spiffe://zeroid.dev/acme/prod/agent/writer "
            + "prior_actors=['spiffe://zeroid.dev/acme/prod/agent/researcher']"
        #expect(traces.contains { $0.contains(rfc8693) })
    }
    /// `Interop/highflame_defects.py` reproduces every entry of the known-failure list with highflame alone.
    @Test func theDefectsScriptReproducesEveryKnownFailure() throws {
        let python = try Interop.require(
            PythonInterpreter.highflameVenv.flatMap { PythonInterpreter.canImport("highflame.zeroid", with: $0) ? $0 : nil },
            needs: "highflame 0.10.0 (bash scripts/highflame.sh venv)", notChecked: "highflame's defects were NOT reproduced")
        let run = try ProcessRunner.run(python, [PackagePaths.interop.appendingPathComponent("highflame_defects.py").path], timeout: .seconds(60))
        #expect(run.succeeded, "\(run.stdoutText)\(run.stderrText)")
        let listed = try String(contentsOf: PackagePaths.fixtures.appendingPathComponent("known-failures/highflame.txt"), encoding: .utf8)
        let ids = listed.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(!ids.isEmpty)
        for id in ids { #expect(run.stdoutText.contains("reproduced: \(id):"), "\(id) is not reproduced by the script") }
        #expect(run.stdoutText.components(separatedBy: "control ok:").count == 3, "\(run.stdoutText)")
    }
}
