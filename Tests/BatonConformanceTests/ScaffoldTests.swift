import BatonTestSupport
import BatonTestSupportTesting
import Foundation
import Testing

/// `baton init adapter`: each skeleton, as written, speaks the testee protocol (every operation
/// answered, `unsupported` naming the function to write) and `baton run --iut cmd:...` drives it
/// through the whole suite with no implementation error.
@Suite(.serialized) struct ScaffoldTests {
    enum Language: String, CaseIterable { case python, typescript }

    /// The program that runs a skeleton, or nil when its interpreter is missing.
    static func interpreter(_ language: Language) -> String? {
        switch language {
        case .python: return PythonInterpreter.anyPython3
        case .typescript:
            return ["/usr/bin/node", "/usr/local/bin/node"].first { FileManager.default.isExecutableFile(atPath: $0) }
        }
    }

    static func write(_ language: Language, in dir: URL) throws -> (command: [String], directory: URL) {
        guard let program = interpreter(language) else {
            try Interop.unavailable(
                "\(language == .python ? "python3" : "node") is missing: the \(language.rawValue) adapter scaffold was not checked")
        }
        let target = dir.appendingPathComponent("adapter-\(language.rawValue)")
        let written = try VerifyCommandTests.run([
            "init", "adapter", "--lang", language.rawValue, target.path, "--name", "scaffold-\(language.rawValue)",
        ])
        #expect(written.status == 0, "\(written.stderr)")
        let file = language == .python ? "adapter.py" : "adapter.mjs"
        #expect(written.stdout == "baton run --iut 'cmd:\(language == .python ? "python3" : "node") \(target.path)/\(file)'\n")
        return ([program, target.appendingPathComponent(file).path], target)
    }

    /// Sends `requests` (one per line) to the skeleton and returns its answers, one per line.
    static func converse(_ command: [String], _ requests: [String]) throws -> (answers: [[String: Any]], status: Int32, stderr: String) {
        let run = try ProcessRunner.run(
            command[0], Array(command.dropFirst()), stdin: Data((requests.joined(separator: "\n") + "\n").utf8), timeout: .seconds(30))
        let answers = run.stdoutText.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? ["unreadable": String(line)]
        }
        return (answers, run.status, run.stderrText)
    }

    @Test(arguments: Language.allCases) func theSkeletonAnswersEveryOperation(_ language: Language) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-scaffold-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (command, target) = try Self.write(language, in: dir)
        let again = try VerifyCommandTests.run(["init", "adapter", "--lang", language.rawValue, target.path])
        #expect(again.status != 0 && again.stderr.contains("already exist(s); --force overwrites"), "\(again.stderr)")

        let operations = ["mint", "delegate", "sts_setup", "sts_login", "sts_exchange", "agent_task", "gateway_call"]
        var requests = [#"{"id": 1, "op": "handshake", "params": {"protocol": "baton-testee/1"}}"#]
        for (i, op) in operations.enumerated() { requests.append(#"{"id": \#(10 + i), "op": "\#(op)", "params": {"profile": "aip-chained"}}"#) }
        requests += [
            #"{"id": 20, "op": "verify", "params": {"profile": "token-exchange", "token": null, "now": 1767225600}}"#,
            #"{"id": 21, "op": "verify", "params": {"profile": "aip-chained", "token": "En0K", "now": 1767225600}}"#,
            "this is not JSON",
            #"{"id": 22, "op": "frobnicate", "params": {}}"#,
            #"{"id": 23, "op": "shutdown", "params": {}}"#,
        ]
        let (answers, status, stderr) = try Self.converse(command, requests)
        #expect(status == 0, "\(stderr)")
        #expect(answers.count == 12, "one answer per request; none for the unreadable line: \(answers)")
        #expect(stderr.contains("unreadable request"))
        guard answers.count == 12 else { return }
        let handshake = try #require(answers[0]["result"] as? [String: Any])
        #expect(answers[0]["id"] as? Int == 1 && answers[0]["ok"] as? Bool == true)
        #expect(handshake["name"] as? String == "scaffold-\(language.rawValue)")
        #expect((handshake["roles"] as? [String]) == ["issuer", "verifier", "sts", "agent", "gateway"])
        #expect((handshake["profiles"] as? [String])?.count == 6)
        for (i, op) in operations.enumerated() {
            let answer = answers[1 + i]
            let error = answer["error"] as? [String: Any]
            #expect(answer["id"] as? Int == 10 + i && answer["ok"] as? Bool == false)
            #expect(error?["code"] as? String == "unsupported", "\(op): \(answer)")
            #expect((error?["message"] as? String)?.contains("\(op) is not implemented yet in scaffold-\(language.rawValue)") == true, "\(answer)")
        }
        let missing = try #require(answers[8]["result"] as? [String: Any])
        #expect(missing["valid"] as? Bool == false && missing["code"] as? String == "jwt_token_missing" && missing["step"] as? String == "J0")
        #expect((answers[9]["error"] as? [String: Any])?["code"] as? String == "unsupported")
        #expect(answers[10]["id"] as? Int == 22 && (answers[10]["error"] as? [String: Any])?["code"] as? String == "unsupported")
        #expect(answers[11]["id"] as? Int == 23 && answers[11]["ok"] as? Bool == true)
    }

    /// The whole suite against each skeleton: the handshake names it, nothing is an implementation error,
    /// every skip but Baton's own (signed delegations, which it does not declare) carries the stub's
    /// reason, and what is judged is what a skeleton earns: the missing-token refusals pass; revocation,
    /// mandatory, fails; the gateway workflows, whose gateway answers `unsupported`, are skipped.
    @Test(arguments: Language.allCases) func batonRunsTheSuiteAgainstTheSkeleton(_ language: Language) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-scaffold-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (command, _) = try Self.write(language, in: dir)
        let reports = dir.appendingPathComponent("reports")
        let run = try VerifyCommandTests.run([
            "run", PackagePaths.scenarios.path, "--iut", "cmd:\(command.joined(separator: " "))", "--reports", reports.path, "--quiet",
        ])
        let name = "scaffold-\(language.rawValue)"
        #expect(run.stderr.contains("implementation \(name) 0.0.0"), "the handshake: \(run.stderr)")
        #expect(run.status == 1, "the mandatory revocation checks fail the run: \(run.stdout)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: reports.appendingPathComponent("\(name).json"))) as? [String: Any]
        let results = try #require((json?["report"] as? [String: Any])?["results"] as? [[String: Any]])
        #expect(results.count > 400)
        func all(_ status: String) -> [[String: Any]] { results.filter { $0["status"] as? String == status } }
        #expect(all("error").isEmpty, "no implementation error: \(all("error").map { $0["message"] ?? "" })")
        let skipped = all("skipped")
        let stub = skipped.filter { ($0["message"] as? String)?.contains("is not implemented yet in \(name)") == true }
        let baton = skipped.filter { ($0["message"] as? String)?.hasPrefix("needs signed delegations") == true }
        #expect(stub.count + baton.count == skipped.count, "every skip has a reason: \(skipped.map { $0["message"] ?? "" })")
        #expect(stub.count > 390)
        #expect(Set(all("passed").compactMap { $0["scenarioId"] as? String }) == ["integrity/missing-token", "jwt-chain/missing-token"])
        for failure in all("failed") {
            let id = failure["scenarioId"] as? String ?? ""
            let judgement = failure["judgement"] as? String
            #expect(judgement == "unsupported_mandatory_check", "\(id): \(failure["message"] ?? "")")
        }
        #expect(all("failed").filter { $0["judgement"] as? String == "unsupported_mandatory_check" }.count == 10)
    }

    /// With TypeScript's compiler on the machine (Debian's node-typescript), the skeleton type-checks.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tsc"), "needs tsc (Debian's node-typescript)"))
    func theTypeScriptSkeletonTypeChecks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-scaffold-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, target) = try Self.write(.typescript, in: dir)
        let checked = try ProcessRunner.run("/usr/bin/tsc", ["-p", target.path])
        #expect(checked.succeeded, "\(checked.stdoutText)\(checked.stderrText)")
        let adapter = target.appendingPathComponent("adapter.mjs")
        let text = try String(contentsOf: adapter, encoding: .utf8)
        try text.replacingOccurrences(of: "return { valid: false, code, step,", with: "return { valid: \"no\", code, step,").write(
            to: adapter, atomically: true, encoding: .utf8)
        let broken = try ProcessRunner.run("/usr/bin/tsc", ["-p", target.path])
        #expect(!broken.succeeded && broken.stdoutText.contains("TS2322"), "the check is real: \(broken.stdoutText)")
    }
}
