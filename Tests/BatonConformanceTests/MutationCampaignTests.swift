import AIP
import BatonCrypto
import BatonHarness
import BatonModel
import BatonProfiles
import BatonTargets
import Biscuit
import Testing

@Suite struct MutationCampaignTests {
    @Test func noMutantEscapes() throws {
        let result = try MutationCampaign(count: 4000, seed: 7).run()
        #expect(result.total >= 3900)
        #expect(result.escaped == 0, "\(result.escapes)")
        for kind in MutationCampaign.MutationClass.allCases {
            #expect((result.tallies[kind]?.generated ?? 0) > 0, "\(kind) was never generated")
        }
    }

    /// Semantic edits are valid Biscuits (re-signed with the right keys): only the AIP rules stop them.
    @Test func semanticEditsAreValidBiscuitsThatAIPRefuses() throws {
        let original = try MutationCampaign.original()
        let root = BiscuitPublicKey(Ed25519.PrivateKey.derived(from: "mutation:root").publicKey)
        var rng = SplitMix64(seed: 11)
        let campaign = MutationCampaign(count: 0)
        var codes: Set<String> = []
        for _ in 0..<60 {
            let bytes = try #require(campaign.semanticEdit(original, rng: &rng))
            let token = try BiscuitToken(bytes: bytes, root: root)  // the Biscuit signatures all hold
            let report = ChainedVerifier().verify(
                .init(
                    token: token.base64(), rootKey: Ed25519.PrivateKey.derived(from: "mutation:root").publicKey,
                    audience: "aip:web:acme.com/writer", requiredScope: "write:draft", now: 1_780_272_060))
            let error = try #require(report.error)
            #expect(error.code != .signatureInvalid)
            codes.insert(error.code.rawValue)
        }
        #expect(codes.count >= 3, "\(codes)")
    }
}
