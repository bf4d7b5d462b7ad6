import AIP
import BatonCrypto
import BatonTestSupport
import BatonTestSupportTesting
import Foundation
import Testing

/// `Interop/bench_aip_verifier.py`, the Python half of `baton-bench python`: it must time a token
/// agent-identity-protocol accepts, and refuse to time one it does not (so a broken comparison
/// cannot print a ratio). Not a timed test: one call per measurement.
@Suite struct PythonVerifierBenchScriptTests {
    /// A 3-block chain orchestrator → researcher → writer, minted by Baton's issuer at the real time
    /// (the Python package reads the real clock).
    static func chain() throws -> (token: String, root: Ed25519.PrivateKey) {
        let standard = StandardChain(seed: "bench-script", now: Int64(Date().timeIntervalSince1970))
        let token = try standard.twoHops(
            from: standard.authority(principal: nil),
            researcher: .init(scopes: ["research:read"], context: "review", budget: 100),
            writer: .init(scopes: ["research:read"], context: "summary", budget: 40))
        return (token.base64(), standard.rootKey)
    }

    static func run(_ python: String, _ args: [String]) throws -> (status: Int32, json: [String: Any]) {
        let script = PackagePaths.interop.appendingPathComponent("bench_aip_verifier.py").path
        let output = try ProcessRunner.run(python, [script] + args + ["--batches", "1", "--iterations", "2", "--warmup", "1"])
        let json = try JSONSerialization.jsonObject(with: output.stdout) as? [String: Any]
        return (output.status, try #require(json, "the script printed no JSON object"))
    }

    static func requirePython() throws -> String {
        try Interop.require(PythonInterpreter.venv, needs: "agent-identity-protocol", notChecked: "the Python bench script")
    }

    @Test func timesATokenThePackageAccepts() throws {
        let python = try Self.requirePython()
        let (token, root) = try Self.chain()
        let (status, json) = try Self.run(python, [token, Hex.encode(root.publicKey.bytes), "research:read"])
        #expect(status == 0, "\(json)")
        let measurements = try #require(json["measurements"] as? [[String: Any]])
        #expect(measurements.count == 2)
        for m in measurements { #expect((m["median_ns"] as? Double ?? 0) > 0) }
        #expect(json["agent_identity_protocol"] as? String == "0.6.0")
        #expect(json["depth"] as? Int == 2)
    }

    @Test func refusesToTimeATokenThePackageRefuses() throws {
        let python = try Self.requirePython()
        let (token, root) = try Self.chain()
        let wrongRoot = Ed25519.PrivateKey.derived(from: "bench-script:someone-else").publicKey
        let (status, json) = try Self.run(python, [token, Hex.encode(wrongRoot.bytes), "research:read"])
        #expect(status == 2)
        #expect((json["error"] as? String)?.contains("refuses the benchmark token") == true, "\(json)")

        // A tool outside the chain's scopes is refused too: what is timed is a real authorization.
        let (status2, json2) = try Self.run(python, [token, Hex.encode(root.publicKey.bytes), "write:draft"])
        #expect(status2 == 2)
        #expect((json2["error"] as? String)?.contains("scope_insufficient") == true, "\(json2)")
    }
}
