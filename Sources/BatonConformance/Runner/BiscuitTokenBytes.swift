import BatonCrypto
import Biscuit

/// Small helpers over token text used by the runner.
enum BiscuitTokenBytes {
    /// Revocation ids (hex) of a token, without verifying it.
    static func revocationIds(_ text: String) throws -> [String] {
        try BiscuitToken(bytes: BiscuitToken.decodeBase64(text)).revocationIds.map(Hex.encode)
    }
}
