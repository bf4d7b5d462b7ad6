import AIP
import BatonCrypto
import Testing

@Suite struct AIPIdentifierTests {
    @Test(arguments: ["aip:web:acme.com/orchestrator", "aip:web:a-b.example/x/y_z"])
    func validWebIdentifiers(_ s: String) {
        #expect(AIPIdentifier(s)?.description == s)
    }

    @Test(arguments: [
        "aip:web:acme.com", "aip:web:/x", "aip:web:acme.com/", "aip:web:acme.com/a b", "AIP:web:acme.com/x",
        "aip:key:rsa:zabc", "aip:key:ed25519:abc", "aip:key:ed25519:z0OIl", "aip:key:ed25519:z",
    ])
    func invalidIdentifiers(_ s: String) {
        #expect(AIPIdentifier(s) == nil)
    }

    @Test func keyIdentifiersRoundTrip() {
        let key = Ed25519.PrivateKey.derived(from: "k").publicKey
        let id = AIPIdentifier.key(key).description
        #expect(id.hasPrefix("aip:key:ed25519:z"))
        #expect(AIPIdentifier(id) == .key(key))
    }

    @Test func base58KnownVector() {
        #expect(Base58.encode(Array("Hello World!".utf8)) == "2NEpo7TZRRrLZSi2U")
        #expect(Base58.decode("2NEpo7TZRRrLZSi2U") == Array("Hello World!".utf8))
        #expect(Base58.encode([0, 0, 1]) == "112")
        #expect(Base58.decode("0") == nil)
    }
}
