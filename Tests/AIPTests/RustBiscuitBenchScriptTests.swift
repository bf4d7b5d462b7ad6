import AIP
import BatonCrypto
import BatonTestSupport
import BatonTestSupportTesting
import Foundation
import Testing

/// `Interop/bench_biscuit_rust.py`, the Rust half of `baton-bench rust`: it must time a token the
/// Rust Biscuit reference allows, and refuse to time one it does not (so a broken comparison
/// cannot print a ratio). Not a timed test: one call per measurement.
@Suite struct RustBiscuitBenchScriptTests {
    /// The authorizer code of the comparison, with the current time (the chain is minted now).
    static func code() -> String {
        let now = ISO8601DateFormatter().string(from: Date())
        return "tool(\"research:read\");\ntime(\(now));\ndepth(2);\nallow if true;\n"
    }

    static func run(_ python: String, _ args: [String]) throws -> (status: Int32, json: [String: Any]) {
        let script = PackagePaths.interop.appendingPathComponent("bench_biscuit_rust.py").path
        let output = try ProcessRunner.run(python, [script] + args + ["--batches", "1", "--iterations", "2", "--warmup", "1"])
        let json = try JSONSerialization.jsonObject(with: output.stdout) as? [String: Any]
        return (output.status, try #require(json, "the script printed no JSON object"))
    }

    static func requirePython() throws -> String {
        try Interop.require(PythonInterpreter.venv, needs: "biscuit-python", notChecked: "the Rust bench script")
    }

    @Test func timesEveryStageOfATokenTheReferenceAllows() throws {
        let python = try Self.requirePython()
        let (token, root) = try PythonVerifierBenchScriptTests.chain()
        let (status, json) = try Self.run(python, [token, Hex.encode(root.publicKey.bytes), Self.code()])
        #expect(status == 0, "\(json)")
        let measurements = try #require(json["measurements"] as? [[String: Any]])
        #expect(measurements.compactMap { $0["name"] as? String } == ["full", "verified", "unverified", "authorize", "builder", "call"])
        for m in measurements { #expect((m["median_ns"] as? Double ?? 0) > 0) }
        #expect(json["blocks"] as? Int == 3)
    }

    @Test func refusesToTimeATokenTheReferenceRefuses() throws {
        let python = try Self.requirePython()
        let (token, root) = try PythonVerifierBenchScriptTests.chain()
        let wrongRoot = Ed25519.PrivateKey.derived(from: "rust-bench-script:someone-else").publicKey
        let (status, json) = try Self.run(python, [token, Hex.encode(wrongRoot.bytes), Self.code()])
        #expect(status == 2)
        #expect((json["error"] as? String)?.contains("refuses the benchmark token") == true, "\(json)")

        // A tool outside the chain's checks is refused too: what is timed is a real authorization.
        let other = Self.code().replacingOccurrences(of: "research:read", with: "write:draft")
        let (status2, json2) = try Self.run(python, [token, Hex.encode(root.publicKey.bytes), other])
        #expect(status2 == 2)
        #expect((json2["error"] as? String)?.contains("refuses the benchmark token") == true, "\(json2)")
    }
}
