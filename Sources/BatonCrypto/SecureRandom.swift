import CSodium

/// Cryptographically secure random bytes from libsodium.
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        Sodium.ensureReady()
        var out = [UInt8](repeating: 0, count: count)
        if count > 0 { randombytes_buf(&out, count) }
        return out
    }
}
