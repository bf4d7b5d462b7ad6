import Foundation

/// The Python interpreters that interop tests, the Python bench and the Python testees run on.
///
/// ``venv`` is the one scripts/setup.sh prepares (biscuit-python, agent-identity-protocol); any
/// Python 3 (``anyPython3``) is enough for peers that use the standard library only. When the one
/// needed is absent, a test says so loudly (``absentMessage(needs:notChecked:)``) and is skipped —
/// or fails when ``interopRequired``, as in CI.
public enum PythonInterpreter {
    /// `BATON_PYTHON`, else the package's `.venv/bin/python`: the first that is executable.
    public static var venv: String? {
        let candidates = [
            ProcessInfo.processInfo.environment["BATON_PYTHON"] ?? "",
            PackagePaths.root.appendingPathComponent(".venv/bin/python").path,
        ]
        return candidates.first { !$0.isEmpty && FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The venv of delcred 0.2.0 (`scripts/delcred.sh venv`): `BATON_DELCRED_PYTHON`, else the package's
    /// `.venv-delcred/bin/python`, when executable.
    public static var delcredVenv: String? {
        let candidates = [
            ProcessInfo.processInfo.environment["BATON_DELCRED_PYTHON"] ?? "",
            PackagePaths.root.appendingPathComponent(".venv-delcred/bin/python").path,
        ]
        return candidates.first { !$0.isEmpty && FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The venv of highflame 0.10.0, ZeroID's Python SDK (`scripts/highflame.sh venv`): `BATON_HIGHFLAME_PYTHON`,
    /// else the package's `.venv-highflame/bin/python`, when executable.
    public static var highflameVenv: String? {
        let candidates = [
            ProcessInfo.processInfo.environment["BATON_HIGHFLAME_PYTHON"] ?? "",
            PackagePaths.root.appendingPathComponent(".venv-highflame/bin/python").path,
        ]
        return candidates.first { !$0.isEmpty && FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// ``venv``, else `python3` on `PATH`.
    public static var anyPython3: String? {
        venv ?? ProcessRunner.onPath("python3")
    }

    /// Whether `python` can `import module` (e.g. `biscuit_auth`).
    public static func canImport(_ module: String, with python: String) -> Bool {
        (try? ProcessRunner.run(python, ["-c", "import \(module)"], timeout: .seconds(60)))?.succeeded == true
    }

    /// `BATON_REQUIRE_INTEROP` is set (as in CI): a missing interpreter or peer is a failure, not a skip.
    public static var interopRequired: Bool {
        ProcessInfo.processInfo.environment["BATON_REQUIRE_INTEROP"] != nil
    }

    /// The standard message for a missing interpreter: what was needed, how to get it, and what was
    /// therefore not checked.
    ///
    /// - Parameters:
    ///   - needs: what the interpreter must provide, e.g. `"biscuit-python"`.
    ///   - notChecked: what did not run, e.g. `"the Python bench script"`.
    public static func absentMessage(needs: String, notChecked: String) -> String {
        "no Python with \(needs) (run scripts/setup.sh or set BATON_PYTHON): \(notChecked) was NOT checked"
    }
}
