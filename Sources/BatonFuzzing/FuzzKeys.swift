import BatonCrypto
import BatonTestSupport
import Biscuit
import JOSE

/// The fixed keys and clock every fuzz target verifies against, so that runs are
/// reproducible and seeds minted with these keys reach the verification code.
/// None of these keys protects anything: they are public test keys.
public enum FuzzKeys {
    /// Verification time for AIP chains and JWTs: 2026-05-28T20:26:40Z.
    public static let now: Int64 = 1_780_000_000

    /// The AIP root: the Ed25519 key with seed 01…01, which signed
    /// `vectors/aip_vector.json` (public key `8a88e3dd…0f6f5c`).
    public static let aipRoot: Ed25519.PrivateKey = {
        // A 32-byte seed is always a valid Ed25519 seed.
        try! Ed25519.PrivateKey(seed: [UInt8](repeating: 0x01, count: Ed25519.seedLength))
    }()

    /// The identity the AIP root key stands for in minted seeds.
    public static let aipIssuer = StandardChain.orchestrator

    /// The chain AIP seeds are minted from: the orchestrator holds ``aipRoot``; the researcher and
    /// the writer have keys derived from `"baton-fuzz:<identity>"`.
    public static let aipChain = StandardChain(seed: "baton-fuzz", now: now, rootKey: aipRoot)

    /// The root public key of the Biscuit conformance samples (`samples.json`).
    public static let samplesRoot = BiscuitPublicKey(
        algorithm: .ed25519,
        bytes: Hex.decodeOrEmpty("1055c750b1a1505937af1537c626ba3263995c33a64758aaafb1275b0312e284"))

    /// The Ed25519 JWT signing key (`EdDSA`, `kid` ``ed25519KeyID``).
    public static let jwtEd25519: Ed25519.PrivateKey = .derived(from: "baton-fuzz:jwt-ed25519")
    public static let ed25519KeyID = "fuzz-ed25519"

    /// The P-256 JWT signing key (`ES256`, `kid` ``p256KeyID``): the private key of
    /// RFC 6979 appendix A.2.5.
    public static let jwtP256: JWSSigningKey = {
        // A valid P-256 scalar (RFC 6979 A.2.5), so the import cannot fail.
        try! JWSSigningKey.p256(scalar: Hex.decodeOrEmpty("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"))
    }()
    public static let p256KeyID = "fuzz-p256"

    /// The JWT issuer and audience of minted seeds and of the claims validator.
    public static let jwtIssuer = "https://sts.baton.test"
    public static let jwtAudience = "aip:web:acme.com/researcher"

    /// The public half of ``jwtP256``.
    public static let jwtP256Public: JWSVerificationKey = {
        // `jwtP256` is a P-256 key, which always has a verification key.
        jwtP256.verificationKey ?? .ed25519(jwtEd25519.publicKey)
    }()
}

extension Hex {
    /// Decodes a constant; empty on a typo (which tests would catch).
    static func decodeOrEmpty(_ text: String) -> [UInt8] { (try? Hex.decode(text)) ?? [] }
}
