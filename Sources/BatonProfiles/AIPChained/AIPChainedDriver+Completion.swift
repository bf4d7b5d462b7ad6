import BatonCrypto
import BatonHarness
import Biscuit

extension AIPChainedDriver {
    /// The holder appends aip-provenance's completion block with the token's proof key: status
    /// `completed`, the hash of its artifacts, `self_reported` (no one else has checked the work).
    public func completion(of token: String, resultHash: String, nextKey: Ed25519.PrivateKey) -> String? {
        guard let parsed = BiscuitReading.token(token) else { return nil }
        let facts = [
            Fact(name: "status", terms: [.string("completed")]), Fact(name: "result_hash", terms: [.string(resultHash)]),
            Fact(name: "verification_status", terms: [.string("self_reported")]),
        ]
        return (try? parsed.appending(BlockSource(facts: facts), nextKey: nextKey))?.base64()
    }
}
