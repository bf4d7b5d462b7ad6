import BatonCrypto

/// Revocation status as a verifier caches it (V7): revoked keys and revoked
/// block revocation ids, with the time of the last refresh. A verifier whose
/// copy is older than its maximum staleness fails closed.
public struct RevocationList: Hashable, Sendable {
    /// Revoked public keys (raw bytes).
    public private(set) var revokedKeys: Set<[UInt8]> = []
    /// Revoked block revocation ids.
    public private(set) var revokedIds: Set<[UInt8]> = []
    /// When this copy was last refreshed from the issuer (seconds since the epoch).
    public var refreshedAt: Int64

    /// An empty list refreshed at `refreshedAt`.
    public init(refreshedAt: Int64) { self.refreshedAt = refreshedAt }

    /// Revokes a key.
    public mutating func revoke(key: Ed25519.PublicKey) { revokedKeys.insert(key.bytes) }
    /// Revokes a block by its revocation id.
    public mutating func revoke(revocationId: [UInt8]) { revokedIds.insert(revocationId) }

    /// Whether the key (raw bytes) is revoked.
    public func isRevoked(key: [UInt8]) -> Bool { revokedKeys.contains(key) }
    /// Whether the block revocation id is revoked.
    public func isRevoked(revocationId: [UInt8]) -> Bool { revokedIds.contains(revocationId) }

    /// True when the copy is older than `maxStaleness` seconds at `now`.
    public func isStale(at now: Int64, maxStaleness: Int64) -> Bool { now - refreshedAt > maxStaleness }
}
