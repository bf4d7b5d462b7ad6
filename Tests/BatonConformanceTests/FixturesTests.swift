import BatonCrypto
import BatonTestSupport
import Foundation
import Testing

/// Fixtures/agents.json documents the seeded agent keys: it must match the derivation in code.
@Suite struct FixturesTests {
    @Test func agentKeysMatchTheDerivation() throws {
        let url = PackagePaths.fixtures.appendingPathComponent("agents.json")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let agents = try #require(doc["agents"] as? [String: [String: String]])
        #expect(agents.count >= 3)
        for (name, entry) in agents {
            let key = Ed25519.PrivateKey.derived(from: try #require(entry["key_label"]))
            #expect(key.hex == entry["private_key_seed"], "\(name)")
            #expect(key.publicKey.hex == entry["public_key"], "\(name)")
            #expect(entry["identity"] == "aip:web:acme.com/\(name)")
        }
    }
}
