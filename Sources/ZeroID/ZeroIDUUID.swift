import BatonCrypto

/// UUID-shaped identifiers (`8-4-4-4-12` lowercase hex, as ZeroID's routes require of a `jti` or an
/// `id`), derived from text so that runs are deterministic.
public enum ZeroIDUUID {
    public static func derived(from text: String) -> String { derived(from: Array(text.utf8)) }

    public static func derived(from bytes: [UInt8]) -> String {
        let chars = Array(Hex.encode(Array(SHA256.hash(bytes).prefix(16))))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }.joined(separator: "-")
    }

    /// Whether `text` matches ZeroID's `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`.
    public static func isValid(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) } }
    }
}
