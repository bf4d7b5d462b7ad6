import BatonModel
import BatonReports
import BatonTestSupport
import Foundation
import Testing

/// The live progress line: a pure function of the run's state and the time; drawn only on a terminal,
/// and never into a report.
@Suite struct ProgressLineTests {
    static func result(_ id: String, _ status: CaseResult.Status, _ judgement: Judgement? = nil) -> CaseResult {
        CaseResult(scenarioId: id, title: id, file: "\(id).yaml", implementation: "x", status: status, judgement: judgement, message: "")
    }

    @Test func theLineCountsWhatTheRunDid() {
        var state = ProgressLine.State(total: 120)
        #expect(ProgressLine.render(state, now: 0, width: 200) == "[  0/120] 0 passed · 0 failed · 0 accepted attacks")
        state.record(Self.result("a", .passed, .met))
        state.record(Self.result("b", .failed, .acceptedAttack))
        state.record(Self.result("c", .expectedFailure, .acceptedAttack))
        state.record(Self.result("d", .expectedFailure, .wrongCode))
        state.record(Self.result("e", .skipped))
        state.record(Self.result("f", .error))
        state.record(Self.result("g", .unexpectedPass, .met))
        state.current = "compact/alg-none"
        #expect(
            ProgressLine.render(state, now: 10, width: 200)
                == "[  7/120] 1 passed · 3 failed · 2 known · 1 skipped · 2 accepted attacks · compact/alg-none")
        state.record(Self.result("h", .passed, .met))
        #expect(state.current == nil, "a finished case is no longer current")
    }

    @Test func aSlowRequestShowsHowLongItHasWaited() {
        var state = ProgressLine.State(total: 3)
        state.current = "workflows/external/writer-drafts-the-review"
        state.requestSentAt = 100
        let quick = ProgressLine.render(state, now: 100.9, width: 200)
        #expect(!quick.contains("request"), "under a second is not shown: \(quick)")
        #expect(ProgressLine.render(state, now: 112.47, width: 200).hasSuffix("workflows/external/writer-drafts-the-review (request 12.4 s)"))
        state.requestSentAt = nil
        #expect(!ProgressLine.render(state, now: 112.47, width: 200).contains("request"))
    }

    @Test func theLineNeverWrapsAndHasNoControlCharacters() {
        var state = ProgressLine.State(total: 429)
        state.current = String(repeating: "long-scenario-name/", count: 10)
        state.requestSentAt = 0
        for width in [0, 1, 2, 10, 40, 80, 300] {
            let line = ProgressLine.render(state, now: 3, width: width)
            #expect(line.count <= max(width - 1, 0), "\(width): \(line)")
            #expect(!line.unicodeScalars.contains { $0.properties.generalCategory == .control })
        }
        #expect(ProgressLine.render(state, now: 3, width: 40) == "[  0/429] 0 passed · 0 failed · 0 acce…")
        let cut = ProgressLine.render(state, now: 3, width: 100)
        #expect(cut.count == 99 && cut.hasPrefix("[  0/429] 0 passed · 0 failed · 0 accepted attacks · …"), "\(cut)")
        #expect(cut.hasSuffix("-name/long-scenario-name/ (request 3.0 s)"), "the id gives way to the time waited: \(cut)")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try VerifyCommandTests.run(arguments)
    }

    @Test(.enabled(if: VerifyCommandTests.baton != nil)) func withoutATerminalTheOutputIsUnchanged() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-progress-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let compact = PackagePaths.scenarios.appendingPathComponent("compact").path
        let run = try Self.run(["run", compact, "--reports", dir.path])
        #expect(run.status == 0)
        #expect(!run.stderr.contains("\r") && !run.stderr.contains("\u{1B}"), "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 36)
        #expect(lines.dropLast().allSatisfy { $0.hasPrefix("PASS  compact/") })
        #expect(lines.last == "baton: 35 passed, 0 failed, 0 skipped")
    }

    /// Under a pseudo-terminal (`script`): the live line is drawn on standard error, shows a slow
    /// testee's request, and the reports are those of a run without it.
    @Test(.enabled(if: VerifyCommandTests.baton != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func onATerminalALiveLineIsDrawn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-progress-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let baton = try #require(VerifyCommandTests.baton).path
        let compact = PackagePaths.scenarios.appendingPathComponent("compact").path
        func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        func underTerminal(_ arguments: [String], status: Int32 = 0) throws -> String {
            let line = ([baton] + arguments).map(quoted).joined(separator: " ")
            let run = try ProcessRunner.run("/usr/bin/script", ["-qfec", "TERM=xterm \(line)", "/dev/null"])
            #expect(run.status == status, "\(run.stdoutText)\(run.stderrText)")
            return run.stdoutText
        }
        let tty = try underTerminal(["run", compact, "--reports", dir.appendingPathComponent("tty").path])
        #expect(tty.contains("\r\u{1B}[2K[35/35] 35 passed · 0 failed · 0 accepted attacks"), "\(tty.suffix(400))")
        #expect(tty.contains("0 accepted attacks · compact/alg-none"), "the current scenario is shown")
        #expect(tty.contains("PASS  compact/alg-none"), "result lines are still printed")
        #expect(tty.hasSuffix("\r\u{1B}[2Kbaton: 35 passed, 0 failed, 0 skipped\r\n"), "the line is cleared before the summary: \(tty.suffix(200))")
        _ = try Self.run(["run", compact, "--reports", dir.appendingPathComponent("pipe").path])
        for name in ["baton-reference.json", "baton-reference.md", "baton-reference.junit.xml"] {
            #expect(
                try Data(contentsOf: dir.appendingPathComponent("tty/\(name)")) == Data(contentsOf: dir.appendingPathComponent("pipe/\(name)")),
                "\(name)")
        }
        let quiet = try underTerminal(["run", compact, "--reports", dir.appendingPathComponent("quiet").path, "--quiet"])
        #expect(!quiet.contains("\u{1B}"), "--quiet draws no line: \(quiet)")

        let slow = "cmd:\(TesteePython.plain ?? "python3") \(TesteePython.misbehaving) slow-verify"
        // The testee accepts a missing token after 1.5 s: the time shows while it waits, then the verdict.
        let integrity = PackagePaths.scenarios.appendingPathComponent("integrity").path
        let waited = try underTerminal(
            ["run", integrity, "--filter", "integrity/missing-token", "--iut", slow, "--reports", dir.appendingPathComponent("slow").path], status: 1)
        #expect(waited.contains("missing-token (request 1."), "a slow request's time is shown: \(waited)")
        #expect(waited.contains("[1/1] 0 passed · 1 failed · 1 accepted attack\r\u{1B}[2Kbaton: 0 passed, 1 failed"), "\(waited)")
    }
}
