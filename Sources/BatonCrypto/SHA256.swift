import CSodium

/// SHA-256 over libsodium.
public enum SHA256 {
    public static let digestLength = 32

    public static func hash(_ data: [UInt8]) -> [UInt8] {
        Sodium.ensureReady()
        var out = [UInt8](repeating: 0, count: digestLength)
        data.withUnsafeBufferPointer { buf in
            _ = crypto_hash_sha256(&out, buf.baseAddress, UInt64(buf.count))
        }
        return out
    }

    public static func hash(_ text: String) -> [UInt8] { hash(Array(text.utf8)) }
}
