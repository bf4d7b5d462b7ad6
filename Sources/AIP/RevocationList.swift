import BatonCrypto

/// Revocation status as a verifier caches it (V7): revoked keys and revoked
/// block revocation ids, with the time of the last refresh. A verifier whose
/// copy is older than its maximum staleness fails closed.
public struct RevocationList: Hashable, Sendable {
    public private(set) var revokedKeys: Set<[UInt8]> = []
    public private(set) var revokedIds: Set<[UInt8]> = []
    /// When this copy was last refreshed from the issuer (seconds since the epoch).
    public var refreshedAt: Int64

    public init(refreshedAt: Int64) { self.refreshedAt = refreshedAt }

    public mutating func revoke(key: Ed25519.PublicKey) { revokedKeys.insert(key.bytes) }
    public mutating func revoke(revocationId: [UInt8]) { revokedIds.insert(revocationId) }

    public func isRevoked(key: [UInt8]) -> Bool { revokedKeys.contains(key) }
    public func isRevoked(revocationId: [UInt8]) -> Bool { revokedIds.contains(revocationId) }

    /// True when the copy is older than `maxStaleness` seconds at `now`.
    public func isStale(at now: Int64, maxStaleness: Int64) -> Bool { now - refreshedAt > maxStaleness }
}
