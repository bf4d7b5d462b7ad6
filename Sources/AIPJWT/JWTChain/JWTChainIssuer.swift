import AIP
import BatonCrypto
import JOSE

/// Mints and extends AIP JWT chains. An honest issuer: it refuses to make a link the verifier
/// would refuse (widening, raised budget, outliving the parent, no context …) with the same
/// codes, and only the current holder's key can extend a chain.
public struct JWTChainIssuer: Sendable {
    public init() {}

    /// The authority link.
    public struct Root: Sendable {
        public var issuer: String
        /// The first holder: link 0's `sub`, whose key goes in `cnf`.
        public var delegate: String
        public var holderKey: Ed25519.PublicKey
        public var tools: [String]
        public var maxDepth: Int64
        public var ttlSeconds: Int64
        public var budgetCents: Int64?
        public var domains: [String]?
        public var principal: String?
        public var issuerKey: Ed25519.PrivateKey
        public var now: Int64

        public init(
            issuer: String, delegate: String, holderKey: Ed25519.PublicKey, tools: [String], maxDepth: Int64 = 3, ttlSeconds: Int64 = 3600,
            budgetCents: Int64? = nil, domains: [String]? = nil, principal: String? = nil, issuerKey: Ed25519.PrivateKey, now: Int64
        ) {
            self.issuer = issuer
            self.delegate = delegate
            self.holderKey = holderKey
            self.tools = tools
            self.maxDepth = maxDepth
            self.ttlSeconds = ttlSeconds
            self.budgetCents = budgetCents
            self.domains = domains
            self.principal = principal
            self.issuerKey = issuerKey
            self.now = now
        }
    }

    /// A delegation link, signed by the current holder.
    public struct Delegation: Sendable {
        /// The current holder's key: it must be the key the leaf names in `cnf`.
        public var holderKey: Ed25519.PrivateKey
        public var delegate: String
        /// The next holder's key, for this link's `cnf`.
        public var nextHolderKey: Ed25519.PublicKey
        public var context: String
        public var tools: [String]?
        public var domains: [String]?
        public var budgetCents: Int64?
        public var expiresAt: Int64?
        public var principal: String?
        public var now: Int64

        public init(
            holderKey: Ed25519.PrivateKey, delegate: String, nextHolderKey: Ed25519.PublicKey, context: String, tools: [String]? = nil,
            domains: [String]? = nil, budgetCents: Int64? = nil, expiresAt: Int64? = nil, principal: String? = nil, now: Int64
        ) {
            self.holderKey = holderKey
            self.delegate = delegate
            self.nextHolderKey = nextHolderKey
            self.context = context
            self.tools = tools
            self.domains = domains
            self.budgetCents = budgetCents
            self.expiresAt = expiresAt
            self.principal = principal
            self.now = now
        }
    }

    /// Mints a one-link chain.
    public func createRoot(_ r: Root) throws(AIPError) -> String {
        guard AIPIdentifier(r.issuer) != nil else { throw AIPError(.tokenMalformed, step: .v2, "'\(r.issuer)' is not an AIP identifier") }
        guard r.maxDepth >= 0 else { throw AIPError(.tokenMalformed, step: .v3, "max_depth is negative (\(r.maxDepth))") }
        guard r.ttlSeconds > 0, !r.now.addingReportingOverflow(r.ttlSeconds).overflow else {
            throw AIPError(.tokenMalformed, step: .v4, "ttl must be positive and end within the clock's range")
        }
        var claims: JSONObject = [
            "iss": .string(r.issuer), "sub": .string(r.delegate), "iat": .int(r.now), "exp": .int(r.now + r.ttlSeconds),
            JWTChainLink.Claim.tools: .array(r.tools.sorted().map(JSONValue.string)), JWTChainLink.Claim.maxDepth: .int(r.maxDepth),
            JWTChainLink.Claim.confirmation: JWTChainLink.confirmation(r.holderKey),
        ]
        Self.setOptional(&claims, domains: r.domains, budgetCents: r.budgetCents, principal: r.principal)
        claims["jti"] = .string(Self.jwtID(claims))
        let link = try JWTChainLink(claims: claims)
        _ = try JWTChainVerifier.walk([link], now: r.now)
        return try Self.sign(claims, with: r.issuerKey)
    }

    /// Appends a delegation link to `chain` (read without verifying: the holder extends what it holds).
    public func append(_ chain: String, _ d: Delegation) throws(AIPError) -> String {
        let segments = chain.split(separator: JWTChainFormat.separator, omittingEmptySubsequences: false).map(String.init)
        let links = try JWTChainLink.read(chain).map(\.link)
        guard let leaf = links.last, d.holderKey.publicKey == leaf.holderKey else {
            throw AIPError(.signatureInvalid, step: .v1, "only the holder of the key in the leaf's cnf can extend the chain")
        }
        guard !d.context.allSatisfy(\.isWhitespace) else { throw AIPError(.tokenMalformed, step: .v5, "a delegation must state its context") }
        if let max = links[0].maxDepth, Int64(links.count) > max {
            throw AIPError(.depthExceeded, step: .v3, "a \(links.count)th delegation exceeds aip_max_depth \(max)")
        }
        var claims: JSONObject = [
            "iss": .string(leaf.delegate), "sub": .string(d.delegate), "iat": .int(d.now),
            JWTChainLink.Claim.previous: .string(JWTChainLink.previousHash(of: segments[segments.count - 1])),
            JWTChainLink.Claim.context: .string(d.context), JWTChainLink.Claim.confirmation: JWTChainLink.confirmation(d.nextHolderKey),
        ]
        if let exp = d.expiresAt { claims["exp"] = .int(exp) }
        if let tools = d.tools { claims[JWTChainLink.Claim.tools] = .array(tools.sorted().map(JSONValue.string)) }
        Self.setOptional(&claims, domains: d.domains, budgetCents: d.budgetCents, principal: d.principal)
        claims["jti"] = .string(Self.jwtID(claims))
        let link = try JWTChainLink(claims: claims)
        _ = try JWTChainVerifier.walk(links + [link], now: d.now)
        return chain + String(JWTChainFormat.separator) + (try Self.sign(claims, with: d.holderKey))
    }

    static func setOptional(_ claims: inout JSONObject, domains: [String]?, budgetCents: Int64?, principal: String?) {
        if let domains { claims[JWTChainLink.Claim.domains] = .array(domains.sorted().map(JSONValue.string)) }
        if let budgetCents { claims[JWTChainLink.Claim.budgetCents] = .int(budgetCents) }
        if let principal { claims[JWTChainLink.Claim.principal] = .string(principal) }
    }

    /// A deterministic `jti`: the first 16 bytes of the SHA-256 of the other claims.
    static func jwtID(_ claims: JSONObject) -> String {
        StrictBase64URL.encode(Array(SHA256.hash(claims.serialized()).prefix(16)))
    }

    static func sign(_ claims: JSONObject, with key: Ed25519.PrivateKey) throws(AIPError) -> String {
        do { return try JWS.sign(header: ["typ": .string(JWTChainFormat.linkType)], claims: claims, key: .ed25519(key)).compact } catch {
            throw AIPError(.tokenMalformed, step: .v1, "cannot sign the link: \(error)")
        }
    }
}
