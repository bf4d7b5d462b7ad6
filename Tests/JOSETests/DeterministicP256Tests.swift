import BatonCrypto
import Crypto
import Testing

@testable import JOSE

@Suite("JOSE deterministic ES256 (RFC 6979)")
struct DeterministicP256Tests {
    /// RFC 6979 A.2.5: the P-256 key, and r ‖ s with SHA-256 for the messages "sample" and "test".
    static let rfcKey = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721"
    static let rfcSignatures = [
        "sample": "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"
            + "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
        "test": "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367"
            + "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083",
    ]

    @Test(arguments: ["sample", "test"])
    func rfc6979VectorsAreReproducedExactly(message: String) throws {
        let key = try JWSSigningKey.p256(scalar: try Hex.decode(Self.rfcKey.lowercased()))
        let signature = try key.sign(Array(message.utf8))
        #expect(Hex.encode(signature).uppercased() == Self.rfcSignatures[message])
    }

    @Test func rfc6979NonceOfTheSampleMessage() throws {
        // The RFC's k for "sample": the first candidate of the generator, accepted as it is.
        let digest = Array(Crypto.SHA256.hash(data: Array("sample".utf8)))
        let z = P256Scalar(bigEndian: digest).reducedOnce
        var nonces = DeterministicP256.NonceGenerator(key: try Hex.decode(Self.rfcKey.lowercased()), hash: z.bigEndianBytes)
        #expect(Hex.encode(nonces.next().bigEndianBytes).uppercased() == "A6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60")
    }

    @Test func signaturesAreDeterministicAndVerify() throws {
        for label in ["a", "b", "c", "d"] {
            let key = Fixtures.p256Signer(label)
            let message = Array("signing input \(label)".utf8)
            let first = try key.sign(message)
            #expect(try key.sign(message) == first)
            #expect(try key.sign(Array("another input".utf8)) != first)
            let publicKey = try #require(key.verificationKey)
            #expect(publicKey.isValidSignature(first, for: message, algorithm: .es256))
        }
    }

    @Test func scalarArithmeticModuloTheOrder() throws {
        let n = P256Scalar(limbs: P256Scalar.order)
        let nMinusOne = P256Scalar(limbs: [P256Scalar.order[0] - 1] + P256Scalar.order[1...])
        let one = P256Scalar(limbs: [1, 0, 0, 0])
        let two = P256Scalar(limbs: [2, 0, 0, 0])
        #expect(n.reducedOnce.isZero)
        #expect(!nMinusOne.isZero && nMinusOne.isBelowOrder && !n.isBelowOrder)
        #expect(nMinusOne.plus(one).isZero)
        #expect(nMinusOne.plus(two) == one)
        // (n−1)² = 1 and (n−1)⁻¹ = n−1 modulo n.
        #expect(nMinusOne.times(nMinusOne) == one)
        #expect(nMinusOne.inverse == nMinusOne)
        for label in ["x", "y", "z"] {
            let a = P256Scalar(bigEndian: BatonCrypto.SHA256.hash(label)).reducedOnce
            #expect(a.times(a.inverse) == one)
            #expect(a.times(one) == a)
            #expect(a.times(two) == a.plus(a))
        }
    }
}
