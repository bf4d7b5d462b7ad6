import BatonCrypto
import Testing

@testable import AgentChecksum

/// SHA3-512 against the FIPS 202 examples (NIST's "SHA3-512" example values and the SHA-3
/// short and long message examples): the empty message, "abc", 200 bytes of 0xa3 (the NIST
/// bit-length example, more than two 72-byte blocks) and the two-block 896-bit message.
@Suite struct SHA3Tests {
    static let vectors: [(message: [UInt8], digest: String)] = [
        (
            [],
            "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a615b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26"
        ),
        (
            Array("abc".utf8),
            "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0"
        ),
        (
            [UInt8](repeating: 0xa3, count: 200),
            "e76dfad22084a8b1467fcf2ffa58361bec7628edf5f3fdc0e4805dc48caeeca81b7c13c30adf52a3659584739a2df46be589c51ca1a4a8416df6545a1ce8ba00"
        ),
        (
            Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
            "04a371e84ecfb5b8b77cb48610fca8182dd457ce6f326a0fd3d7ec2f1e91636dee691fbe0c985302ba1b0d8dc78c086346b533b49c030d99a27daf1139d6e75e"
        ),
        (
            Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8),
            "afebb2ef542e6579c50cad06d2e578f9f8dd6881d7dc824d26360feebf18a4fa73e3261122948efcfd492e74e82e2189ed0fb440d187f382270cb455f21dd185"
        ),
    ]

    @Test(arguments: 0..<vectors.count) func fips202Examples(_ index: Int) {
        let (message, digest) = Self.vectors[index]
        #expect(Hex.encode(SHA3_512Digest.hash(message)) == digest)
    }

    /// Every length around the 72-byte rate (where the padding lands in the same or the next block)
    /// gives a 64-byte digest, and no two lengths collide.
    @Test func lengthsAroundTheRate() {
        let digests = (0...150).map { SHA3_512Digest.hash([UInt8](repeating: 0x61, count: $0)) }
        #expect(digests.allSatisfy { $0.count == 64 })
        #expect(Set(digests.map(Hex.encode)).count == digests.count)
    }
}
