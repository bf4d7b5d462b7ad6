import AIP
import BatonCrypto
import BatonModel
import BatonTestSupport
import Biscuit
import Foundation
import Testing

@testable import BatonHarness
@testable import BatonProfiles
@testable import BatonTargets

/// Python interpreters and testees for the testee tests.
enum TesteePython {
    /// Any Python 3: enough for the misbehaving testee.
    static let plain = PythonInterpreter.anyPython3

    /// The package's venv Python, when it can `import biscuit_auth`.
    static let withBiscuit: String? = PythonInterpreter.venv.flatMap { PythonInterpreter.canImport("biscuit_auth", with: $0) ? $0 : nil }

    /// Why the tests that need ``withBiscuit`` did not run.
    static let noBiscuit = Comment(rawValue: PythonInterpreter.absentMessage(needs: "biscuit-python", notChecked: "the minimal testee"))

    static let misbehaving = PackagePaths.root.appendingPathComponent("Tests/BatonConformanceTests/Testees/misbehaving_testee.py").path
    static let minimal = PackagePaths.interop.appendingPathComponent("minimal_testee.py").path
}

/// Serialized: the misbehaviour checks bound how long a call takes, and Python testees started in
/// parallel on a two-core machine would measure the machine rather than Baton's deadlines.
@Suite(.serialized) struct TesteeProcessTests {
    static let root = Ed25519.PrivateKey.derived(from: "testee-tests:root")
    static let now: Int64 = 1_900_000_000

    /// A misbehaving testee; with `once`, it misbehaves only on the first verify (then behaves, after a restart).
    func testee(_ mode: String, once: Bool = false, timeout: Duration = .seconds(1)) throws -> TesteeProcess {
        let python = try #require(TesteePython.plain, "no python3 found")
        var command = [python, TesteePython.misbehaving, mode]
        if once { command.append(FileManager.default.temporaryDirectory.appendingPathComponent("baton-once-\(UUID().uuidString)").path) }
        return TesteeProcess(command: command, timeout: timeout)
    }

    static func verifyRequest(_ token: String?, scope: String? = "tool:search", at now: Int64 = now) -> VerifyRequest {
        VerifyRequest(
            profile: .aipChained, token: token, rootKey: root.publicKey, audience: nil, requiredScope: scope,
            now: now, requireSignedDelegation: false, identities: nil, revocation: nil)
    }

    /// Runs `body`, returning its result and the seconds it took.
    func timed<T>(_ body: () async -> T) async -> (T, Double) {
        let start = ContinuousClock.now
        let value = await body()
        let d = ContinuousClock.now - start
        return (value, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    /// Checks that a misbehaving verify is an error naming `expected`, within `limit` seconds,
    /// and (for `once` testees) that the following call succeeds after a restart.
    func expectMisbehaviour(_ mode: String, mentions expected: [String], limit: Double = 5, recovers: Bool = true) async throws {
        let t = try testee(mode, once: true)
        defer { t.close() }
        #expect(t.descriptor.name == "misbehaving-\(mode)")
        let (outcome, seconds) = await timed { await t.verify(Self.verifyRequest("token")) }
        #expect(outcome.verdict == .error, "\(mode): \(outcome)")
        for text in expected { #expect(outcome.message?.contains(text) == true, "\(mode): message lacks '\(text)': \(outcome.message ?? "")") }
        #expect(seconds < limit, "\(mode) took \(seconds)s")
        guard recovers else { return }
        let next = await t.verify(Self.verifyRequest("token"))
        #expect(next.verdict == .accept, "\(mode): the call after the failure: \(next)")
        #expect(t.launches == 2, "\(mode): expected one restart, got \(t.launches) launches")
    }

    // MARK: - handshake and mapping

    @Test(.enabled(if: TesteePython.plain != nil)) func handshakeDescriptorIsParsed() async throws {
        let t = try testee("ok")
        defer { t.close() }
        let d = t.descriptor
        #expect(d.name == "misbehaving-ok")
        #expect(d.version == "0.0.1")
        #expect(d.profiles == [.aipChained])
        #expect(d.roles == [.issuer, .verifier])  // the unknown role "auditor" is dropped
        #expect(d.options == [.clock])
        #expect(t.startupFailure == nil)
        let outcome = await t.verify(Self.verifyRequest("token"))
        #expect(outcome.verdict == .accept)
        #expect(outcome.details == ["V1 passed: stub"])
        #expect(await t.verify(Self.verifyRequest(nil)).verdict == .accept)
        #expect(t.launches == 1)
    }

    @Test(.enabled(if: TesteePython.plain != nil)) func refusalsMapToRejectedIssueResults() async throws {
        let t = try testee("ok")
        defer { t.close() }
        let request = MintRequest(
            profile: .aipChained, issuer: "aip:web:acme.com/orchestrator", issuerKey: Self.root,
            scopes: ["tool:search"], principal: nil, budgetCents: nil, maxDepth: 2, ttlSeconds: 60, now: Self.now, nextKey: nil)
        #expect(await t.mint(request) == .refused(.rejected("aip_token_malformed", message: "mint refused")))
    }

    @Test(.enabled(if: TesteePython.plain != nil)) func unsupportedIsAnErrorThatTheRunnerSkips() async throws {
        let t = try testee("unsupported")
        defer { t.close() }
        let outcome = await t.verify(Self.verifyRequest("token"))
        #expect(outcome.verdict == .error)
        #expect(outcome.message == "unsupported: revocation is not implemented")
        #expect(outcome.unsupportedReason == "unsupported: revocation is not implemented")
        #expect(Outcome.failed("implementation error: unsupported: x").unsupportedReason == "unsupported: x")
        #expect(Outcome.failed("testee crashed").unsupportedReason == nil)

        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        let s = try #require(catalog.scenarios.first { $0.id == "happy/two-hop-chain" })
        let r = await ScenarioRunner(implementation: t).run(s)
        // The issuer it cannot be is stood in for by the reference (so the verifier would still be
        // judged); the verify it cannot do skips the scenario.
        #expect(r.trace.contains { $0.contains("cannot make t0 (unsupported: mint is not implemented); Baton's reference makes it") })
        #expect(r.status == .skipped, "\(r.status): \(r.message)")
        #expect(r.message.contains("unsupported: revocation is not implemented"))
    }

    // MARK: - misbehaviour

    @Test(.enabled(if: TesteePython.plain != nil)) func crashIsRecordedWithStatusAndStderrThenRestarted() async throws {
        try await expectMisbehaviour("crash-on-verify", mentions: ["exited with status 3", "about to crash: simulated fault in verify"])
    }

    @Test(.enabled(if: TesteePython.plain != nil)) func deathBySignalIsNamed() async throws {
        try await expectMisbehaviour("signal-on-verify", mentions: ["exited with signal 11 (SIGSEGV)"])
    }

    @Test(.enabled(if: TesteePython.plain != nil)) func closedStdoutIsRecordedThenRestarted() async throws {
        try await expectMisbehaviour("close-stdout", mentions: ["stdout closed"])
    }

    @Test(.enabled(if: TesteePython.plain != nil)) func hangIsATimeoutThenRestarted() async throws {
        try await expectMisbehaviour("hang-on-verify", mentions: ["timeout after 1s", "hanging"])
    }

    @Test(.enabled(if: TesteePython.plain != nil)) func garbageIsQuoted() async throws {
        try await expectMisbehaviour("garbage", mentions: ["garbage", "not JSON", "<html>this is not json</html>"])
    }

    @Test(.enabled(if: TesteePython.plain != nil)) func nonObjectIsGarbage() async throws {
        try await expectMisbehaviour("non-object", mentions: ["garbage", "not a JSON object", "[1, 2, 3]"])
    }

    @Test(.enabled(if: TesteePython.plain != nil)) func wrongIdIsAProtocolError() async throws {
        try await expectMisbehaviour("wrong-id", mentions: ["protocol error", "expected"])
    }

    @Test(.enabled(if: TesteePython.plain != nil)) func hugeLineIsAProtocolError() async throws {
        try await expectMisbehaviour("huge-line", mentions: ["protocol error", "1 MiB"])
    }

    @Test(.enabled(if: TesteePython.plain != nil)) func missingNewlineIsATimeout() async throws {
        try await expectMisbehaviour("no-newline", mentions: ["timeout after 1s"])
    }

    @Test(.enabled(if: TesteePython.plain != nil)) func endlessLineIsCutAtOneMebibyte() async throws {
        // Stops at the limit rather than buffering forever, well before the timeout.
        let t = try testee("endless-line", timeout: .seconds(30))
        defer { t.close() }
        let (outcome, seconds) = await timed { await t.verify(Self.verifyRequest("token")) }
        #expect(outcome.verdict == .error)
        #expect(outcome.message?.contains("1 MiB") == true, "\(outcome.message ?? "")")
        #expect(seconds < 10)
    }

    @Test(.enabled(if: TesteePython.plain != nil)) func badHandshakeGivesAFallbackDescriptorAndErrors() async throws {
        let t = try testee("bad-handshake")
        defer { t.close() }
        let d = t.descriptor
        #expect(d.name == t.command.joined(separator: " "))
        #expect(d.roles.isEmpty && d.profiles.isEmpty)
        #expect(t.startupFailure?.code == "testee_handshake_rejected")
        let outcome = await t.verify(Self.verifyRequest("token"))
        #expect(outcome.verdict == .error)
        #expect(outcome.message?.contains("handshake") == true, "\(outcome.message ?? "")")
        guard
            case let .refused(o) = await t.mint(
                .init(
                    profile: .aipChained, issuer: "x", issuerKey: .derived(from: "x"), scopes: [], principal: nil, budgetCents: nil,
                    maxDepth: 1, ttlSeconds: 1, now: 0, nextKey: nil))
        else {
            Issue.record("mint should be refused")
            return
        }
        #expect(o.verdict == .error)
        #expect(t.launches == 1, "a testee whose first handshake failed is not started again")
    }

    @Test(.enabled(if: TesteePython.plain != nil)) func exitAtStartIsRecordedWithStderr() async throws {
        let t = try testee("exit-immediately")
        defer { t.close() }
        #expect(t.descriptor.roles.isEmpty)
        let failure = try #require(t.startupFailure)
        #expect(failure.code == "testee_exited", "\(failure)")
        #expect(failure.stderr.contains { $0.contains("fatal: cannot start (simulated)") }, "\(failure)")
        let outcome = await t.verify(Self.verifyRequest("token"))
        #expect(outcome.verdict == .error)
        #expect(outcome.message?.contains("exited with status 2") == true, "\(outcome.message ?? "")")
    }

    @Test func missingExecutableIsALaunchFailure() async {
        let t = TesteeProcess(command: ["/nonexistent/baton-testee"], timeout: .seconds(1))
        #expect(t.startupFailure == .launchFailed("executable not found: /nonexistent/baton-testee"))
        #expect(await t.verify(Self.verifyRequest("token")).verdict == .error)
        #expect(t.descriptor.name == "/nonexistent/baton-testee")
    }

    @Test(.enabled(if: TesteePython.plain != nil)) func closeShutsDownAndTheNextCallRestarts() async throws {
        let t = try testee("ok")
        #expect(await t.verify(Self.verifyRequest("token")).verdict == .accept)
        let (_, seconds) = await timed { t.close() }
        #expect(seconds < 2)
        #expect(await t.verify(Self.verifyRequest("token")).verdict == .accept)
        #expect(t.launches == 2)
        t.close()
    }

    @Test(.enabled(if: TesteePython.plain != nil)) func commandLinesAreSplitOrRunByTheShell() async throws {
        let python = try #require(TesteePython.plain)
        let t = TesteeProcess(commandLine: "'\(python)' \(TesteePython.misbehaving) ok", timeout: .seconds(2))
        #expect(t.command == [python, TesteePython.misbehaving, "ok"])
        #expect(t.descriptor.name == "misbehaving-ok")
        t.close()
        let shell = TesteeProcess(commandLine: "exec '\(python)' \(TesteePython.misbehaving) ok 2>/dev/null", timeout: .seconds(2))
        #expect(shell.command.prefix(2) == ["/bin/sh", "-c"])
        #expect(await shell.verify(Self.verifyRequest("token")).verdict == .accept)
        shell.close()
    }

    // MARK: - the documented example testee

    static func mint(scopes: [String] = ["tool:search"]) throws -> String {
        try ChainedIssuer().createAuthority(
            .init(
                issuer: "aip:web:acme.com/orchestrator", issuerKey: root, scopes: scopes, maxDepth: 2, ttlSeconds: 3600, now: now)
        ).base64()
    }

    @Test(.enabled(if: TesteePython.withBiscuit != nil || PythonInterpreter.interopRequired, TesteePython.noBiscuit))
    func minimalTesteeVerifiesARealTokenAndRejectsATamperedOne() async throws {
        let python = try #require(TesteePython.withBiscuit, TesteePython.noBiscuit)
        let t = TesteeProcess(command: [python, TesteePython.minimal], timeout: .seconds(10))
        defer { t.close() }
        #expect(
            t.descriptor
                == ImplementationDescriptor(
                    name: "minimal-biscuit-python", version: "0.1.0", profiles: [.aipChained],
                    roles: [.verifier], options: [.clock]))
        let token = try Self.mint()
        #expect(await t.verify(Self.verifyRequest(token)) == .accepted)

        var bytes = try BiscuitToken.decodeBase64(token)
        bytes[bytes.count / 2] ^= 0x01
        let tampered = Base64URL.encode(bytes)
        let rejected = await t.verify(Self.verifyRequest(tampered))
        #expect(rejected.verdict == .reject)
        #expect(["aip_signature_invalid", "aip_token_malformed"].contains(rejected.code ?? ""), "\(rejected)")

        #expect(await t.verify(Self.verifyRequest(token, scope: "tool:delete")).code == "aip_scope_insufficient")
        #expect(await t.verify(Self.verifyRequest(token, at: Self.now + 7200)).code == "aip_token_expired")
        #expect(await t.verify(Self.verifyRequest(nil)).code == "aip_token_missing")
        #expect(await t.verify(Self.verifyRequest("not a token")).code == "aip_token_malformed")
        var otherRoot = Self.verifyRequest(token)
        otherRoot.rootKey = Ed25519.PrivateKey.derived(from: "someone else").publicKey
        #expect(await t.verify(otherRoot).code == "aip_signature_invalid")
    }

    @Test(.enabled(if: TesteePython.withBiscuit != nil || PythonInterpreter.interopRequired, TesteePython.noBiscuit))
    func minimalTesteePassesALegitimateScenario() async throws {
        let python = try #require(TesteePython.withBiscuit, TesteePython.noBiscuit)
        let t = TesteeProcess(command: [python, TesteePython.minimal], timeout: .seconds(10))
        defer { t.close() }
        let catalog = ScenarioLoader.load(paths: [PackagePaths.scenarios.path], relativeTo: PackagePaths.scenarios.path)
        let s = try #require(catalog.scenarios.first { $0.id == "happy/two-hop-chain" })
        let r = await ScenarioRunner(implementation: t).run(s)
        #expect(r.status == .passed, "\(r.message)\n\(r.trace.joined(separator: "\n"))")
    }
}

@Suite struct TesteeFramingTests {
    @Test func shellWordsSplitSimpleLinesOnly() {
        #expect(ShellWords.split(#"python3 'a b' "c \"d\"" e\ f"#) == ["python3", "a b", #"c "d""#, "e f"])
        #expect(ShellWords.split("run --x=1") == ["run", "--x=1"])
        #expect(ShellWords.split("a | b") == nil)
        #expect(ShellWords.split("FOO=1 run") == nil)
        #expect(ShellWords.split("echo $HOME") == nil)
        #expect(ShellWords.split("'unterminated") == nil)
    }

    @Test func lineReaderSplitsAcrossChunksAndBoundsUnfinishedLines() {
        var r = LineReader(limit: 8)
        r.append(Array("{\"a\"".utf8))
        #expect(r.next() == nil)
        r.append(Array(":1}\r\n\nnext\n".utf8))
        #expect(r.next() == .line(Array("{\"a\":1}".utf8)))
        #expect(r.next() == .line([]))
        #expect(r.next() == .line(Array("next".utf8)))
        #expect(r.next() == nil)
        r.append(Array("123456789".utf8))  // 9 bytes, no newline: over the limit already
        #expect(r.next() == .overflow)

        var exact = LineReader(limit: 4)
        exact.append(Array("1234\n12345\n".utf8))
        #expect(exact.next() == .line(Array("1234".utf8)))
        #expect(exact.next() == .overflow)
    }

    @Test func stderrTailKeepsTheLastLinesInBoundedMemory() {
        var tail = StderrTail(maxLines: 2, maxLineLength: 5)
        tail.append(Array("one\ntwo\nthree\nfour-and-more\npart".utf8))
        #expect(tail.snapshot == ["four- …", "part"])
    }

    @Test func failureCodesAreStable() {
        #expect(TesteeFailure.timeout(after: "1s", stderr: []).code == "testee_timeout")
        #expect(TesteeFailure.wrongId(expected: 1, got: 2).requiresRestart)
        #expect(!TesteeFailure.malformedAnswer("x").requiresRestart)
        #expect(TesteeFailure.exited(status: "status 1", stderr: ["a", "b"]).description.hasSuffix("stderr (last 2 lines):\n  a\n  b"))
        #expect(TesteeConnection.describe(.milliseconds(1500)) == "1.5s")
        #expect(TesteeConnection.describe(.seconds(10)) == "10s")
    }
}
