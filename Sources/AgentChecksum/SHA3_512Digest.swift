import Crypto

/// SHA3-512 (FIPS 202): swift-crypto 4.5.2's public `Crypto.SHA3_512` (XKCP's Keccak on Linux;
/// CryptoKit's, from macOS 26, on Apple platforms); libsodium has no SHA-3. Kept in its own file
/// because swift-crypto's `SHA256` would clash with BatonCrypto's in a file that imports both.
enum SHA3_512Digest {
    static func hash(_ bytes: [UInt8]) -> [UInt8] { Array(Crypto.SHA3_512.hash(data: bytes)) }
}
