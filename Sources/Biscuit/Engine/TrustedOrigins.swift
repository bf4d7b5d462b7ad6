/// The set of origins whose facts a rule, check or policy may use: a fact is
/// visible when its origin set is a subset of the trusted origins.
public struct TrustedOrigins: Hashable, Sendable, CustomStringConvertible {
    /// The trusted origins.
    public var origins: OriginSet

    /// Trusts exactly `origins`.
    public init(_ origins: OriginSet) { self.origins = origins }

    /// Trusts exactly the given origins.
    public init<S: Sequence>(_ origins: S) where S.Element == Origin { self.origins = OriginSet(origins) }

    /// The reference's default: the authority block and the authorizer.
    public static let authorityAndAuthorizer = TrustedOrigins([.block(0), .authorizer])

    /// True when facts with origin set `factOrigins` are visible.
    @inline(__always)
    public func contains(_ factOrigins: OriginSet) -> Bool { factOrigins.isSubset(of: origins) }

    /// The trusted origins, as the reference prints them.
    public var description: String { origins.description }
}

extension TrustedOrigins {
    /// The reference's `from_scopes`.
    ///
    /// - Empty `scopes`: `default` plus the current block and the authorizer.
    /// - Otherwise the current block and the authorizer, plus for each scope:
    ///   `.authority` block 0; `.previous` blocks `0...currentBlock` (nothing when the
    ///   current block is the authorizer); `.publicKey(k)` the blocks listed for `k`
    ///   in `blocksByPublicKey` (blocks signed by that third-party key).
    public static func from(
        scopes: [Scope],
        default defaultOrigins: TrustedOrigins,
        currentBlock: Origin,
        blocksByPublicKey: [BiscuitPublicKey: [Int]]
    ) -> TrustedOrigins {
        var set: OriginSet
        if scopes.isEmpty {
            set = defaultOrigins.origins
        } else {
            set = OriginSet()
            for scope in scopes {
                switch scope {
                case .authority:
                    set.insert(.block(0))
                case .previous:
                    if !currentBlock.isAuthorizer { set.insertBlocks(0...currentBlock.index) }
                case let .publicKey(key):
                    for b in blocksByPublicKey[key] ?? [] where b >= 0 { set.insert(.block(b)) }
                }
            }
        }
        set.insert(currentBlock)
        set.insert(.authorizer)
        return TrustedOrigins(set)
    }
}
