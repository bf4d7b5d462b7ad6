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
    /// A 3-block chain orchestrator → researcher → writer, minted by Baton's issuer.
    static func chain() throws -> (token: String, root: Ed25519.PrivateKey) {
        let keys = ["orchestrator", "researcher", "writer", "next"].map { Ed25519.PrivateKey.derived(from: "bench-script:\($0)") }
        let ids = ["orchestrator", "researcher", "writer"].map { "aip:web:acme.com/\($0)" }
        let now = Int64(Date().timeIntervalSince1970)
        let issuer = ChainedIssuer()
        let t0 = try issuer.createAuthority(
            .init(
                issuer: ids[0], issuerKey: keys[0], scopes: ["research:read", "write:draft"],
                budgetCents: 500, ttlSeconds: 3600, now: now, nextKey: keys[1]))
        let t1 = try issuer.delegate(
            t0,
            .init(
                delegator: ids[0], delegate: ids[1], scopes: ["research:read"], context: "review",
                budgetCents: 100, now: now, nextKey: keys[2]))
        let t2 = try issuer.delegate(
            t1,
            .init(
                delegator: ids[1], delegate: ids[2], scopes: ["research:read"], context: "summary",
                budgetCents: 40, now: now, nextKey: keys[3]))
        return (t2.base64(), keys[0])
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
