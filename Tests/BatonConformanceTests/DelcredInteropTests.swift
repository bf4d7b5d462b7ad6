import BatonCrypto
import BatonHarness
import BatonModel
import BatonProfiles
import BatonTargets
import BatonTestSupport
import BatonTestSupportTesting
import Foundation
import Testing

/// delcred 0.2.0 through `Interop/delcred_adapter.py`: the token-exchange scenarios give exactly its
/// known-failure list, and the adapter's answers reach Baton as the protocol says.
@Suite(.serialized) struct DelcredInteropTests {
    static func adapter() throws -> TesteeProcess {
        let python = try Interop.require(
            PythonInterpreter.delcredVenv.flatMap { PythonInterpreter.canImport("delcred", with: $0) ? $0 : nil },
            needs: "delcred 0.2.0 (bash scripts/delcred.sh venv)", notChecked: "delcred was NOT judged on the token-exchange scenarios")
        return TesteeProcess(command: [python, PackagePaths.interop.appendingPathComponent("delcred_adapter.py").path], timeout: .seconds(20))
    }

    @Test func handshakeDeclaresATokenServiceAndVerifierWithAClock() async throws {
        let delcred = try Self.adapter()
        defer { delcred.close() }
        #expect(await delcred.start() == nil)
        let d = delcred.descriptor
        #expect(d.name == "delcred" && d.version == "0.2.0")
        #expect(d.profiles == [TokenProfile("token-exchange")])
        #expect(Set(d.roles) == [.sts, .verifier])
        #expect(d.options.contains(.clock))
    }

    @Test func theSetUpAnswerNamesItsOwnLayoutAndIssuer() async throws {
        let delcred = try Self.adapter()
        defer { delcred.close() }
        let setup = TokenServiceSetup(
            session: "t", issuer: "https://sts.acme.com", layout: "agent-subject", algorithm: "EdDSA",
            signingKey: HexBytes(Array(repeating: 7, count: 32)),
            tokenLifetime: 900, maxAssertionLifetime: 300, maxDepth: 4, agents: [], now: 1_900_000_000)
        guard case let .ready(info) = await delcred.setUpTokenService(setup) else { Issue.record("set-up failed"); return }
        #expect(info.issuer == "delcred")
        #expect(info.layout == "rfc8693")
        var es256 = setup
        es256.algorithm = "ES256"
        guard case let .failed(outcome) = await delcred.setUpTokenService(es256) else { Issue.record("ES256 was accepted"); return }
        #expect(outcome.unsupportedReason?.contains("EdDSA") == true)
    }

    @Test func theTokenExchangeScenariosGiveItsKnownFailures() async throws {
        let delcred = try Self.adapter()
        defer { delcred.close() }
        var catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        catalog.scenarios = catalog.scenarios.filter { $0.profile == TokenProfile("token-exchange") }
        let listed = try String(contentsOf: PackagePaths.fixtures.appendingPathComponent("known-failures/delcred.txt"), encoding: .utf8)
        let report = await SuiteRun(runner: ScenarioRunner(implementation: delcred), knownFailures: KnownFailures(text: listed)).run(
            catalog, profiles: delcred.descriptor.profiles)
        let s = report.summary
        #expect(s.succeeded, "\(report.results.filter { !$0.status.isAcceptable }.map { "\($0.scenarioId): \($0.message)" })")
        #expect(s.passed == 33 && s.expectedFailures == 8 && s.skipped == 20 && s.total == 61, "\(s)")
        // Skips are delcred's limits, each with its reason, never Baton's set-up failing.
        for r in report.results where r.status == .skipped {
            #expect(r.message.contains("unsupported:"), "\(r.scenarioId): \(r.message)")
        }
    }
}
