import Testing

@testable import BatonCrypto

@Suite struct Ed25519Tests {
    // RFC 8032 §7.1, test 2.
    @Test func matchesRFC8032Vector() throws {
        let key = try Ed25519.PrivateKey(hex: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
        #expect(key.publicKey.hex == "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
        let sig = key.signature(for: [0x72])
        #expect(
            Hex.encode(sig)
                == "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")
        #expect(key.publicKey.isValidSignature(sig, for: [0x72]))
        #expect(!key.publicKey.isValidSignature(sig, for: [0x73]))
        var bad = sig; bad[10] ^= 1
        #expect(!key.publicKey.isValidSignature(bad, for: [0x72]))
        #expect(!key.publicKey.isValidSignature(Array(sig.prefix(63)), for: [0x72]))
    }

    @Test func derivedKeysAreStableAndDistinct() {
        #expect(Ed25519.PrivateKey.derived(from: "alice") == Ed25519.PrivateKey.derived(from: "alice"))
        #expect(Ed25519.PrivateKey.derived(from: "alice") != Ed25519.PrivateKey.derived(from: "bob"))
    }

    @Test func rejectsWrongLengths() {
        #expect(throws: CryptoError.invalidKeyLength(expected: 32, actual: 31)) {
            try Ed25519.PublicKey(bytes: [UInt8](repeating: 0, count: 31))
        }
    }

    @Test func sha256OfABC() {
        #expect(Hex.encode(SHA256.hash("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
