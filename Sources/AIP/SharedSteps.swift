import BatonCrypto

/// The verification steps every AIP encoding runs the same way, whatever carries the chain
/// (Biscuit blocks or JWT links): V2 root binding and V7 revocation with bounded staleness.
public enum SharedSteps {
    /// V2: the root key used for V1 is a current key of `identity`, through the registry; without one,
    /// the key an `aip:key:` identifier names; otherwise trusted by configuration. Returns the detail.
    public static func bindRoot(identity: String, rootKey: Ed25519.PublicKey, registry: IdentityRegistry?, now: Int64) throws(AIPError) -> String {
        if let registry {
            let keys = try registry.resolveKeys(identity, at: now)
            guard keys.contains(rootKey) else { throw AIPError(.identityUnresolvable, step: .v2, "the root key is not a current key of \(identity)") }
            return "root key is a current key of \(identity)"
        }
        if case let .key(key)? = AIPIdentifier(identity) {
            guard key == rootKey else { throw AIPError(.identityUnresolvable, step: .v2, "the root key is not the key in \(identity)") }
            return "root key is the key of \(identity)"
        }
        guard AIPIdentifier(identity) != nil else { throw AIPError(.identityUnresolvable, step: .v2, "'\(identity)' is not a valid AIP identifier") }
        return "root key trusted by configuration for \(identity) (no identity registry)"
    }

    /// V7: when the issuer advertises revocation a status is required; a stale status fails closed;
    /// no key of the chain (`keys`: public key bytes, each named for the message) and no unit (`ids`) may be revoked.
    /// Returns false when the step does not apply (no status, and none advertised).
    public static func checkRevocation(
        identity: String, rootKey: Ed25519.PublicKey, keys: [(what: String, bytes: [UInt8])], ids: [(what: String, id: [UInt8])],
        registry: IdentityRegistry?, revocation: RevocationList?, maxStaleness: Int64, now: Int64
    ) throws(AIPError) -> Bool {
        let advertised = registry?.document(identity)?.advertisesRevocation ?? false
        guard let revocation else {
            if advertised { throw AIPError(.keyRevoked, step: .v7, "\(identity) advertises revocation but no revocation status is available") }
            return false
        }
        guard !revocation.isStale(at: now, maxStaleness: maxStaleness) else {
            throw AIPError(.keyRevoked, step: .v7, "revocation status is \(now - revocation.refreshedAt) s old, over the \(maxStaleness) s limit")
        }
        if revocation.isRevoked(key: rootKey.bytes) { throw AIPError(.keyRevoked, step: .v7, "the root key of \(identity) is revoked") }
        for (what, key) in keys where revocation.isRevoked(key: key) { throw AIPError(.keyRevoked, step: .v7, "\(what) is revoked") }
        for (what, id) in ids where revocation.isRevoked(revocationId: id) { throw AIPError(.keyRevoked, step: .v7, "\(what) is revoked") }
        return true
    }
}
