import Testing

@testable import BatonCrypto

@Suite struct Base64URLTests {
    @Test func roundTripsEveryLength() throws {
        for n in 0..<40 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(try Base64URL.decode(Base64URL.encode(bytes)) == bytes)
            #expect(try Base64URL.decode(Base64URL.encode(bytes, padded: false)) == bytes)
        }
    }

    @Test func padsOutput() {
        #expect(Base64URL.encode([0xff]) == "_w==")
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8=")
        #expect(Base64URL.encode([0xff], padded: false) == "_w")
    }

    @Test(arguments: ["+w==", "/w==", "_w=", "_w===", "a", "ab cd", "_x==", "=_w="])
    func rejectsMalformed(_ text: String) {
        #expect(throws: CryptoError.self) { try Base64URL.decode(text) }
    }
}
