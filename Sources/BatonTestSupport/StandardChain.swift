import AIP
import BatonCrypto
import Biscuit

/// The standard three-hop AIP chain that tests, fuzz seeds and the mutation campaign start from:
/// the orchestrator mints the authority token and delegates to the researcher, who delegates to
/// the writer, all at `aip:web:acme.com/<name>`.
///
/// Everything is deterministic: each agent's key is derived from `"<seed>:<identity>"` (the
/// orchestrator's may be given instead, as ``rootKey``), and every block is minted at ``now``.
/// Two fixtures with the same seed, clock and parameters produce the same bytes.
public struct StandardChain: Sendable {
    /// Mints the authority token and delegates: the root of the chain.
    public static let orchestrator = "aip:web:acme.com/orchestrator"
    /// Receives the first delegation.
    public static let researcher = "aip:web:acme.com/researcher"
    /// Receives the second delegation: the holder of the two-hop chain.
    public static let writer = "aip:web:acme.com/writer"
    /// The three agents, in chain order.
    public static let agents = [orchestrator, researcher, writer]

    /// The seed keys are derived from unless told otherwise.
    public static let defaultSeed = "test"
    /// The clock unless told otherwise: 2026-05-28T20:26:40Z.
    public static let defaultNow: Int64 = 1_780_000_000
    /// The principal the authority token names unless told otherwise.
    public static let defaultPrincipal = "user:alice@acme.com"
    /// The authority token's scopes unless told otherwise.
    public static let defaultScopes = ["research:read", "write:draft"]

    /// One delegation's parameters.
    public struct Hop: Sendable {
        /// The narrowed scopes (empty keeps the parent's).
        public var scopes: [String]
        public var context: String
        public var budget: Int64?
        /// Absolute expiry; nil inherits the parent's.
        public var expiresAt: Int64?
        /// The key that will sign the next block; nil lets ``ChainedIssuer`` derive one.
        public var nextKey: Ed25519.PrivateKey?

        /// A hop; the defaults are those of the standard first hop, but for scopes and budget.
        public init(
            scopes: [String], context: String = "literature review", budget: Int64? = nil, expiresAt: Int64? = nil,
            nextKey: Ed25519.PrivateKey? = nil
        ) {
            self.scopes = scopes
            self.context = context
            self.budget = budget
            self.expiresAt = expiresAt
            self.nextKey = nextKey
        }

        /// The standard orchestrator → researcher hop: both scopes, budget 200.
        public static let toResearcher = Hop(scopes: defaultScopes, context: "literature review", budget: 200)
        /// The standard researcher → writer hop: `write:draft` only, budget 100.
        public static let toWriter = Hop(scopes: ["write:draft"], context: "draft the summary", budget: 100)
    }

    /// What keys are derived from: `"<seed>:<identity>"`.
    public let seed: String
    /// The time every block is minted at.
    public let now: Int64
    /// The orchestrator's key: the root every chain is verified against.
    public let rootKey: Ed25519.PrivateKey
    /// The canonical issuer every block is minted with.
    public let issuer = ChainedIssuer()

    /// A fixture whose keys are derived from `seed` (the orchestrator's is `rootKey` when given) and
    /// whose blocks are minted at `now`.
    public init(seed: String = defaultSeed, now: Int64 = defaultNow, rootKey: Ed25519.PrivateKey? = nil) {
        self.seed = seed
        self.now = now
        self.rootKey = rootKey ?? .derived(from: "\(seed):\(Self.orchestrator)")
    }

    /// The public half of ``rootKey``.
    public var root: Ed25519.PublicKey { rootKey.publicKey }

    /// The key of any identity (agents of the chain or others, e.g. an attacker): ``rootKey`` for
    /// the orchestrator, else derived from `"<seed>:<identity>"`.
    public func key(_ identity: String) -> Ed25519.PrivateKey {
        identity == Self.orchestrator ? rootKey : .derived(from: "\(seed):\(identity)")
    }

    /// A registry with one document per identity: its ``key(_:)`` as `key-1`, valid from a day
    /// before ``now`` to a day after.
    public func registry(_ identities: [String] = agents, advertisesRevocation: Bool = false) -> IdentityRegistry {
        IdentityRegistry(
            documents: identities.map { id in
                IdentityDocument(
                    id: id, keys: [.init(id: "key-1", publicKey: key(id).publicKey, validFrom: now - 86_400, validUntil: now + 86_400)],
                    advertisesRevocation: advertisesRevocation, expires: now + 86_400)
            })
    }

    /// Block 0: the orchestrator's authority token.
    public func authority(
        scopes: [String] = defaultScopes, budget: Int64? = 500, maxDepth: Int64 = 3, ttl: Int64 = 3600,
        principal: String? = defaultPrincipal, nextKey: Ed25519.PrivateKey? = nil
    ) throws(AIPError) -> BiscuitToken {
        try issuer.createAuthority(
            .init(
                issuer: Self.orchestrator, issuerKey: rootKey, scopes: scopes, principal: principal, budgetCents: budget,
                maxDepth: maxDepth, ttlSeconds: ttl, now: now, nextKey: nextKey))
    }

    /// A delegation from `from` to `to` at ``now``; `signed` makes it a third-party block signed by
    /// the delegator's ``key(_:)``.
    public func delegation(_ from: String, _ to: String, _ hop: Hop, signed: Bool = false) -> ChainedIssuer.Delegation {
        .init(
            delegator: from, delegate: to, scopes: hop.scopes, context: hop.context, budgetCents: hop.budget, expiresAt: hop.expiresAt,
            now: now, delegatorKey: signed ? key(from) : nil, nextKey: hop.nextKey)
    }

    /// orchestrator → researcher (two blocks), from `authority` (else the default ``authority(scopes:budget:maxDepth:ttl:principal:nextKey:)``).
    public func oneHop(from authority: BiscuitToken? = nil, _ hop: Hop = .toResearcher, signed: Bool = false) throws(AIPError) -> BiscuitToken {
        let root: BiscuitToken
        if let authority { root = authority } else { root = try self.authority() }
        return try issuer.delegate(root, delegation(Self.orchestrator, Self.researcher, hop, signed: signed))
    }

    /// orchestrator → researcher → writer (three blocks), from `authority` (else the default one).
    public func twoHops(
        from authority: BiscuitToken? = nil, researcher: Hop = .toResearcher, writer: Hop = .toWriter, signed: Bool = false
    ) throws(AIPError) -> BiscuitToken {
        try issuer.delegate(oneHop(from: authority, researcher, signed: signed), delegation(Self.researcher, Self.writer, writer, signed: signed))
    }
}
