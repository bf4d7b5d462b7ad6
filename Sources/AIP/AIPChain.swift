import Biscuit

/// A whole chain read structurally: its links and what the last holder may do,
/// inheriting absent dimensions from the nearest ancestor.
public struct AIPChain: Hashable, Sendable {
    /// The links, one per block, in token order.
    public var links: [ChainLink]

    /// Delegations so far (block 0 is depth 0): provenance blocks do not count (aip-delegation
    /// §3.2: "a total of 4 blocks before the optional completion block").
    public var depth: Int { links.count { $0.kind == .delegation } }

    /// The delegation blocks, in order.
    public var delegations: [ChainLink] { links.filter { $0.kind == .delegation } }

    /// The authority in force after the last block.
    public struct Effective: Hashable, Sendable {
        /// The identity that holds the authority: the last delegate, or the issuer.
        public var holder: String
        /// The tools the holder may call (the last block's tool check that had one).
        public var scopes: ScopeSet
        /// The budget in cents: the smallest along the chain, `nil` if none was set.
        public var budgetCents: Int64?
        /// The expiry in seconds since the epoch: the earliest along the chain, `nil` if none was set.
        public var expiry: UInt64?
        /// The principal on whose behalf the chain acts: the first declared.
        public var principal: String?
        /// The maximum number of delegations, from block 0 (``AIPChain/defaultMaxDepth`` when absent).
        public var maxDepth: Int64
    }

    /// The maximum delegation depth when block 0 declares none.
    public static let defaultMaxDepth: Int64 = 3

    /// Reads the blocks of a Biscuit as AIP links.
    ///
    /// - Parameters:
    ///   - blocks: The token's decoded blocks, block 0 first.
    ///   - strict: Refuse anything outside the canonical Datalog of the drafts.
    /// - Throws: ``AIPError`` when a block is not a valid AIP block (or, with `strict`, not canonical).
    public init(blocks: [DecodedBlock], strict: Bool) throws(AIPError) {
        guard !blocks.isEmpty else { throw AIPError(.tokenMalformed, "the token has no block") }
        var links: [ChainLink] = []
        for (i, block) in blocks.enumerated() {
            links.append(try ChainLink(block: block, index: i, strict: strict))
        }
        self.links = links
    }

    /// A chain of links already read.
    public init(links: [ChainLink]) { self.links = links }

    /// The effective authority after `upTo` (default: the last block), inheriting as the walk does.
    public func effective(upTo end: Int? = nil) -> Effective {
        let root = links[0]
        var e = Effective(
            holder: root.identity ?? "", scopes: root.scopes ?? ScopeSet(), budgetCents: root.budgetCents,
            expiry: root.expiry, principal: root.principal, maxDepth: root.maxDepth ?? AIPChain.defaultMaxDepth)
        for link in links.dropFirst().prefix(end ?? links.count) {
            e.holder = link.delegate ?? e.holder
            if let s = link.scopes { e.scopes = s }
            if let b = link.budgetCents { e.budgetCents = min(b, e.budgetCents ?? b) }
            if let x = link.expiry { e.expiry = min(x, e.expiry ?? x) }
            if e.principal == nil { e.principal = link.principal }
        }
        return e
    }

    /// The effective authority after the last block.
    public var effective: Effective { effective() }

    /// The principal at the root of the audit trail: the first declared.
    public var principal: String? { links.lazy.compactMap(\.principal).first }
}
