import BatonCrypto
import Biscuit

/// Mints AIP chained tokens in the canonical form of draft-prakash-aip-01 §7
/// and refuses, with the spec's codes, every delegation the spec forbids.
public struct ChainedIssuer: Sendable {
    /// How scopes ending in `*` are written.
    public enum Profile: String, Sendable, Codable {
        /// Exact string match only; `*` is a literal character.
        case simple
        /// `p*` becomes `$t.starts_with("p")`, bare `*` allows any tool.
        case standard
    }

    /// What block 0 grants, and to whom.
    public struct Authority: Sendable {
        /// The issuer's AIP identifier.
        public var issuer: String
        /// The root key that signs block 0.
        public var issuerKey: Ed25519.PrivateKey
        /// The tools granted (`*` and `p*` are patterns in the standard profile).
        public var scopes: [String]
        /// The principal on whose behalf the chain acts.
        public var principal: String?
        /// The budget in cents, if any.
        public var budgetCents: Int64?
        /// The maximum number of delegations.
        public var maxDepth: Int64
        /// Lifetime from `now`, in seconds.
        public var ttlSeconds: Int64
        /// Issuance time, seconds since the epoch (injected; never the wall clock).
        public var now: Int64
        /// How scope patterns are written.
        public var profile: Profile
        /// The key that will sign the first delegation block (seeded for reproducible runs).
        public var nextKey: Ed25519.PrivateKey

        /// An authority block's contents; `nextKey` defaults to a key derived from the issuer and `now`.
        public init(
            issuer: String, issuerKey: Ed25519.PrivateKey, scopes: [String], principal: String? = nil,
            budgetCents: Int64? = nil, maxDepth: Int64 = 3, ttlSeconds: Int64 = 3600, now: Int64,
            profile: Profile = .standard, nextKey: Ed25519.PrivateKey? = nil
        ) {
            self.issuer = issuer
            self.issuerKey = issuerKey
            self.scopes = scopes
            self.principal = principal
            self.budgetCents = budgetCents
            self.maxDepth = maxDepth
            self.ttlSeconds = ttlSeconds
            self.now = now
            self.profile = profile
            self.nextKey = nextKey ?? .derived(from: "next:\(issuer):\(now)")
        }
    }

    /// What one delegation block grants, from whom to whom.
    public struct Delegation: Sendable {
        /// The current holder's identity.
        public var delegator: String
        /// The identity delegated to.
        public var delegate: String
        /// Empty keeps the parent's scopes (no tool check is written).
        public var scopes: [String]
        /// The purpose of the delegation (must not be empty).
        public var context: String
        /// The budget in cents, if narrowed.
        public var budgetCents: Int64?
        /// Absolute expiry (seconds); nil writes no time check (inherits).
        public var expiresAt: Int64?
        /// The principal, if the chain has none yet.
        public var principal: String?
        /// Delegation time, seconds since the epoch.
        public var now: Int64
        /// How scope patterns are written.
        public var profile: Profile
        /// When set, the block is a third-party block signed by this key: the
        /// delegator's registered key, so verifiers can prove who delegated.
        public var delegatorKey: Ed25519.PrivateKey?
        /// The key that will sign the next block (seeded for reproducible runs).
        public var nextKey: Ed25519.PrivateKey

        /// A delegation's contents; `nextKey` defaults to a key derived from the two identities and `now`.
        public init(
            delegator: String, delegate: String, scopes: [String], context: String, budgetCents: Int64? = nil,
            expiresAt: Int64? = nil, principal: String? = nil, now: Int64, profile: Profile = .standard,
            delegatorKey: Ed25519.PrivateKey? = nil, nextKey: Ed25519.PrivateKey? = nil
        ) {
            self.delegator = delegator
            self.delegate = delegate
            self.scopes = scopes
            self.context = context
            self.budgetCents = budgetCents
            self.expiresAt = expiresAt
            self.principal = principal
            self.now = now
            self.profile = profile
            self.delegatorKey = delegatorKey
            self.nextKey = nextKey ?? .derived(from: "next:\(delegator)->\(delegate):\(now)")
        }
    }

    /// An issuer; it holds no state.
    public init() {}

    /// `create_authority`: block 0 with identity, principal, rights, max_depth, budget, tool and time checks.
    public func createAuthority(_ a: Authority) throws(AIPError) -> BiscuitToken {
        try ChainedIssuer.checkText(a.issuer, "issuer")
        if let p = a.principal { try ChainedIssuer.checkText(p, "principal") }
        for s in a.scopes { try ChainedIssuer.checkText(s, "scope") }
        guard AIPIdentifier(a.issuer) != nil else { throw AIPError(.tokenMalformed, "issuer '\(a.issuer)' is not an AIP identifier") }
        guard !a.scopes.isEmpty else { throw AIPError(.tokenMalformed, "an authority token must declare at least one scope") }
        guard a.maxDepth >= 0 else { throw AIPError(.tokenMalformed, "max_depth must not be negative") }
        if let b = a.budgetCents, b < 0 { throw AIPError(.budgetExceeded, "budget ceiling must not be negative") }
        guard a.ttlSeconds > 0 else { throw AIPError(.tokenExpired, "the token would be born expired (ttl \(a.ttlSeconds) s)") }

        var facts = [Fact(name: "identity", terms: [.string(a.issuer)])]
        if let p = a.principal { facts.append(Fact(name: "principal", terms: [.string(p)])) }
        facts += a.scopes.map { Fact(name: "right", terms: [.string($0)]) }
        facts.append(Fact(name: "max_depth", terms: [.integer(a.maxDepth)]))
        if let b = a.budgetCents { facts.append(Fact(name: "budget_ceiling", terms: [.integer(b)])) }
        let scopes = ScopeSet(scopes: a.scopes, patterns: a.profile == .standard)
        let checks = [CanonicalDatalog.toolCheck(scopes), CanonicalDatalog.timeCheck(expiry: UInt64(a.now + a.ttlSeconds))]
        do {
            return try BiscuitToken.mint(authority: BlockSource(facts: facts, checks: checks), root: a.issuerKey, nextKey: a.nextKey)
        } catch {
            throw AIPError(.tokenMalformed, "cannot encode the authority block: \(error)")
        }
    }

    /// `delegate`: appends a delegation block after checking it narrows its parent.
    public func delegate(_ token: BiscuitToken, _ d: Delegation) throws(AIPError) -> BiscuitToken {
        for (value, name) in [(d.delegator, "delegator"), (d.delegate, "delegate"), (d.context, "context")] {
            try ChainedIssuer.checkText(value, name)
        }
        for s in d.scopes { try ChainedIssuer.checkText(s, "scope") }
        if let p = d.principal { try ChainedIssuer.checkText(p, "principal") }
        guard !d.context.allSatisfy(\.isWhitespace) else {
            throw AIPError(.tokenMalformed, step: .v5, "a delegation must state its purpose: context is empty")
        }
        guard AIPIdentifier(d.delegate) != nil else { throw AIPError(.tokenMalformed, "delegate '\(d.delegate)' is not an AIP identifier") }
        let chain: AIPChain
        do { chain = try AIPChain(blocks: token.decodedBlocks(), strict: true) } catch let e as AIPError { throw e } catch {
            throw AIPError(.tokenMalformed, "cannot read the token being delegated: \(error)")
        }
        if let done = chain.links.last(where: \.kind.isProvenance) {
            throw AIPError(
                .tokenMalformed, step: .v4,
                "block \(done.index) is a \(done.kind.rawValue) block: the work is done, and a completion block is final (aip-provenance §2.5 req 4)")
        }
        let effective = chain.effective
        guard d.delegator == effective.holder else {
            throw AIPError(.tokenMalformed, "'\(d.delegator)' does not hold this token; its holder is '\(effective.holder)'")
        }
        if let expiry = effective.expiry, Int64(clamping: expiry) <= d.now {
            throw AIPError(.tokenExpired, step: .v4, "the token being delegated expired at \(expiry), now is \(d.now)")
        }
        guard Int64(chain.depth) < effective.maxDepth else {
            throw AIPError(.depthExceeded, step: .v3, "delegation depth exceeded: the token is at depth \(chain.depth) of \(effective.maxDepth)")
        }
        var scopes: ScopeSet? = nil
        if !d.scopes.isEmpty {
            let requested = ScopeSet(scopes: d.scopes, patterns: d.profile == .standard)
            let widened = requested.widening(over: effective.scopes)
            guard widened.isEmpty else {
                throw AIPError(
                    .scopeInsufficient, step: .v4, "delegation would widen scope: \(widened.joined(separator: ", ")) not in \(effective.scopes)")
            }
            scopes = requested
        }
        if let b = d.budgetCents {
            guard b >= 0 else { throw AIPError(.budgetExceeded, step: .v4, "budget ceiling must not be negative") }
            if let parent = effective.budgetCents, b > parent {
                throw AIPError(.budgetExceeded, step: .v4, "delegation would raise the budget ceiling from \(parent) to \(b)")
            }
        }
        if let e = d.expiresAt {
            guard e > d.now else { throw AIPError(.tokenExpired, step: .v4, "the delegation would be born expired") }
            if let parent = effective.expiry, UInt64(e) > parent {
                throw AIPError(.tokenExpired, step: .v4, "delegation would outlive its parent")
            }
        }
        if let p = d.principal, let parent = effective.principal, p != parent {
            throw AIPError(.tokenMalformed, step: .v4, "delegation would substitute the principal '\(parent)' with '\(p)'")
        }

        var facts = [
            Fact(name: "delegator", terms: [.string(d.delegator)]),
            Fact(name: "delegate", terms: [.string(d.delegate)]),
            Fact(name: "context", terms: [.string(d.context)]),
        ]
        if let p = d.principal { facts.append(Fact(name: "principal", terms: [.string(p)])) }
        if let b = d.budgetCents { facts.append(Fact(name: "budget_ceiling", terms: [.integer(b)])) }
        var checks: [Check] = []
        if let scopes { checks.append(CanonicalDatalog.toolCheck(scopes)) }
        if let e = d.expiresAt { checks.append(CanonicalDatalog.timeCheck(expiry: UInt64(e))) }
        let source = BlockSource(facts: facts, checks: checks)
        do {
            if let key = d.delegatorKey {
                let block = try token.thirdPartyRequest.sign(source, with: key)
                return try token.appendingThirdParty(block, nextKey: d.nextKey)
            }
            return try token.appending(source, nextKey: d.nextKey)
        } catch {
            throw AIPError(.tokenMalformed, "cannot append the delegation block: \(error)")
        }
    }

    /// An issuer does not extend a chain a verifier would refuse as revoked (aip-verification §8, V7):
    /// no block of `token` and no key that signed one may be revoked, and the status must be fresh.
    public static func checkNotRevoked(_ token: BiscuitToken, _ revocation: RevocationList, maxStaleness: Int64, now: Int64) throws(AIPError) {
        guard !revocation.isStale(at: now, maxStaleness: maxStaleness) else {
            throw AIPError(
                .keyRevoked, step: .v7, "the revocation status is \(now - revocation.refreshedAt) s old: cannot tell the chain is not revoked")
        }
        for (i, id) in token.revocationIds.enumerated() where revocation.isRevoked(revocationId: id) {
            throw AIPError(.keyRevoked, step: .v7, "block \(i) of the token being delegated is revoked")
        }
        for (i, block) in token.allBlocks.enumerated() {
            if let key = block.externalSignature?.publicKey, revocation.isRevoked(key: key.bytes) {
                throw AIPError(.keyRevoked, step: .v7, "the key that signed block \(i) of the token being delegated is revoked")
            }
        }
    }

    /// Strings go into Datalog as terms (never as text), but verifiers that read
    /// printed block source would be misled by quotes, backslashes or line breaks,
    /// which the reference prints unescaped: refuse them, as AIP 0.6.0 does.
    static func checkText(_ value: String, _ field: String) throws(AIPError) {
        for scalar in value.unicodeScalars where scalar == "\"" || scalar == "\\" || scalar.value < 0x20 || scalar.value == 0x7f {
            throw AIPError(
                .tokenMalformed, "\(field) contains a character that is not permitted (U+\(String(scalar.value, radix: 16, uppercase: true)))")
        }
    }
}
