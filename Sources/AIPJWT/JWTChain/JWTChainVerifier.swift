import AIP
import BatonCrypto
import JOSE

/// Verifies AIP JWT chains (draft-prakash-aip-02 §5.1): every link's signature from the root key
/// through each holder's `cnf` key, then the steps of §4 on the link model. A pure value: the
/// clock is the request's `now`, nothing is fetched.
///
/// | step | checks | refusal |
/// |---|---|---|
/// | A2A | a token is present | `aip_token_missing` |
/// | V1 | links joined by `~`, none empty; each a compact JWS with `typ: aip-link+jwt`, `alg: EdDSA`, no key-carrying or critical header; link 0 signed by the root key, link *i* by the key in link *i-1*'s `cnf`; `prev` is the hash of link *i-1*; `iss` is link *i-1*'s `sub`; `cnf` an Ed25519 OKP key | `aip_token_malformed`, `aip_signature_invalid` |
/// | V2 | the root key is a current key of link 0's `iss` | `aip_identity_unresolvable` |
/// | V3 | the authority declares `aip_max_depth` ≥ 0, and delegation links ≤ it | `aip_token_malformed`, `aip_depth_exceeded` |
/// | V4 | claim types; the authority declares tools and `exp`, not expired; no empty list; each delegation narrows tools (`p*` covers prefixes, `*` all), domains and budget, keeps inside the parent's `exp` and not expired, keeps the principal, declares no `aip_max_depth` | `aip_token_malformed`, `aip_scope_insufficient`, `aip_budget_exceeded`, `aip_token_expired` |
/// | V5 | every delegation states its purpose (`aip_ctx`, not blank) | `aip_token_malformed` |
/// | AUD | the leaf's `sub` is the receiving agent | `aip_audience_mismatch` |
/// | V6 | the requested tool is within the leaf's effective tools | `aip_scope_insufficient` |
/// | V7 | no key of the chain and no link is revoked, status fresh | `aip_key_revoked` |
///
/// Any prefix of a valid chain also verifies, with wider authority: the audience check (the leaf
/// must be the receiver) is what stops a holder from replaying a prefix downstream.
public struct JWTChainVerifier: Sendable {
    public struct Options: Hashable, Sendable {
        public var maxTokenSize = 64 * 1024
        public var maxLinks = 64
        /// Oldest acceptable revocation status, in seconds (fails closed past it).
        public var maxRevocationStaleness: Int64 = 300
        /// Defences removed on purpose (the flaw gallery); empty for the reference.
        public var flaws: Set<JWTChainFlaw> = []

        public init() {}
    }

    public struct Request: Sendable {
        public var token: String?
        /// The trust anchor: the key that must have signed link 0.
        public var rootKey: Ed25519.PublicKey
        /// The receiving agent: the leaf's `sub` must be it; nil skips the check.
        public var audience: String?
        /// The tool being invoked; nil skips V6.
        public var requiredScope: String?
        public var now: Int64

        public init(token: String?, rootKey: Ed25519.PublicKey, audience: String? = nil, requiredScope: String? = nil, now: Int64) {
            self.token = token
            self.rootKey = rootKey
            self.audience = audience
            self.requiredScope = requiredScope
            self.now = now
        }
    }

    public var options: Options
    public var registry: IdentityRegistry?
    public var revocation: RevocationList?

    public init(options: Options = Options(), registry: IdentityRegistry? = nil, revocation: RevocationList? = nil) {
        self.options = options
        self.registry = registry
        self.revocation = revocation
    }

    var flaws: Set<JWTChainFlaw> { options.flaws }

    /// Verifies a request and records every step's verdict.
    public func verify(_ request: Request) -> JWTChainVerificationReport {
        var trace = VerificationTrace()
        do {
            let verified = try run(request, trace: &trace)
            return JWTChainVerificationReport(result: .success(verified), steps: trace.steps)
        } catch {
            trace.fail(error)
            return JWTChainVerificationReport(result: .failure(error), steps: trace.steps)
        }
    }

    private func run(_ request: Request, trace: inout VerificationTrace) throws(AIPError) -> VerifiedJWTChain {
        guard let token = request.token, !token.isEmpty else { throw AIPError(.tokenMissing, step: .binding, "no token in the request") }
        trace.pass(.binding, "token present")
        let (links, signatures) = try checkSignatures(token, rootKey: request.rootKey, trace: &trace)
        try checkRootBinding(links[0], request: request, trace: &trace)
        try checkDepth(links, trace: &trace)
        let effective = try Self.walk(links, now: request.now, flaws: flaws)
        trace.pass(.v4, "every link narrows its parent: tools \(effective.tools), budget \(effective.budgetCents.map(String.init) ?? "none")")
        try checkContext(links, trace: &trace)
        if let audience = request.audience {
            if flaws.contains(.skipAudience) {
                trace.skip(.audience, "flawed: the leaf is not compared with the receiver")
            } else {
                guard links[links.count - 1].delegate == audience else {
                    throw AIPError(
                        .audienceMismatch, step: .audience, "the chain is delegated to '\(links[links.count - 1].delegate)', not to '\(audience)'")
                }
                trace.pass(.audience, "the leaf is \(audience)")
            }
        } else {
            trace.skip(.audience, "no receiver given: any prefix of this chain would verify too")
        }
        if let tool = request.requiredScope {
            if flaws.contains(.skipScope) {
                trace.skip(.v6, "flawed: '\(tool)' not checked")
            } else {
                guard effective.tools.contains(where: { Self.covers($0, tool) }) else {
                    throw AIPError(.scopeInsufficient, step: .v6, "'\(tool)' is not within \(effective.tools)")
                }
                trace.pass(.v6, "'\(tool)' is within \(effective.tools)")
            }
        } else {
            trace.skip(.v6, "no tool requested")
        }
        try checkRevocation(links, signatures: signatures, request: request, trace: &trace)
        return VerifiedJWTChain(links: links, effective: effective, signatures: signatures)
    }

    // MARK: V1

    private func checkSignatures(_ token: String, rootKey: Ed25519.PublicKey, trace: inout VerificationTrace) throws(AIPError) -> (
        [JWTChainLink], [[UInt8]]
    ) {
        guard token.utf8.count <= options.maxTokenSize else {
            throw AIPError(.tokenMalformed, step: .v1, "the token is over \(options.maxTokenSize) bytes")
        }
        let segments = token.split(separator: JWTChainFormat.separator, omittingEmptySubsequences: false).map(String.init)
        guard !segments.contains(where: \.isEmpty) else { throw AIPError(.tokenMalformed, step: .v1, "empty link in the chain") }
        guard segments.count <= options.maxLinks else { throw AIPError(.tokenMalformed, step: .v1, "more than \(options.maxLinks) links") }
        var links: [JWTChainLink] = []
        var signatures: [[UInt8]] = []
        var lapses: [String] = []
        // For the flaw: every holder key the chain names, read before any is verified.
        let namedKeys =
            flaws.contains(.selfSignedLinks)
            ? segments.compactMap { (try? JWS.parse($0)).flatMap { try? JWTChainLink.holderKey($0.claims) } } : []
        for (i, segment) in segments.enumerated() {
            let jws: JWS
            do { jws = try JWS.parse(segment) } catch { throw AIPError(.tokenMalformed, step: .v1, "link \(i) is not a compact JWT: \(error)") }
            let unsecured = try checkHeader(jws, index: i, lapses: &lapses)
            let expected = i == 0 ? [rootKey] : (flaws.contains(.selfSignedLinks) ? namedKeys : [links[i - 1].holderKey])
            if i > 0 && flaws.contains(.selfSignedLinks) { lapses.append("flawed: link \(i) verified under any key the chain names") }
            if flaws.contains(.skipSignatures) {
                lapses.append("flawed: link \(i)'s signature not checked")
            } else if !unsecured {
                guard expected.contains(where: { $0.isValidSignature(jws.signature, for: jws.signingInput) }) else {
                    throw AIPError(
                        .signatureInvalid, step: .v1,
                        i == 0 ? "link 0 is not signed by the root key" : "link \(i) is not signed by the key link \(i - 1) names in cnf")
                }
            }
            // Claims are read only once the link's signature is known good.
            let link = try JWTChainLink(claims: jws.claims)
            if i > 0 {
                if flaws.contains(.skipPrevious) {
                    lapses.append("flawed: link \(i)'s prev not checked")
                } else if link.previous != JWTChainLink.previousHash(of: segments[i - 1]) {
                    throw AIPError(.signatureInvalid, step: .v1, "link \(i)'s prev is not the hash of link \(i - 1)")
                }
                if flaws.contains(.skipIssuerContinuity) {
                    lapses.append("flawed: link \(i)'s iss not compared")
                } else if link.issuer != links[i - 1].delegate {
                    throw AIPError(
                        .signatureInvalid, step: .v1, "link \(i) is issued by \(link.issuer), not by the previous holder \(links[i - 1].delegate)")
                }
            }
            links.append(link)
            signatures.append(jws.signature)
        }
        let detail = "\(links.count) link(s), each signed by the previous holder's key from the root key"
        if lapses.isEmpty { trace.pass(.v1, detail) } else { trace.skip(.v1, lapses.joined(separator: "; ")) }
        return (links, signatures)
    }

    /// `typ`, `alg` and key-carrying headers of one link; true when the link is unsecured and a flaw lets it through.
    private func checkHeader(_ jws: JWS, index i: Int, lapses: inout [String]) throws(AIPError) -> Bool {
        guard jws.type == JWTChainFormat.linkType else {
            throw AIPError(
                .signatureInvalid, step: .v1, "link \(i)'s typ is \(jws.type.map { "'\($0)'" } ?? "absent"), not \(JWTChainFormat.linkType)")
        }
        for name in JWSHeaderPolicy.keyCarryingHeaders + ["crit"] where jws.header.contains(name) {
            throw AIPError(.signatureInvalid, step: .v1, "link \(i)'s header carries \(name), which is never trusted")
        }
        let alg = jws.algorithmName ?? ""
        if alg == JWSAlgorithm.eddsa.rawValue { return false }
        if JWSAlgorithm.isNoneVariant(alg), flaws.contains(.acceptAlgNone) {
            lapses.append("flawed: link \(i)'s alg '\(alg)' accepted")
            return true
        }
        throw AIPError(.signatureInvalid, step: .v1, "link \(i)'s alg '\(alg)' is not EdDSA")
    }

    // MARK: V2, V3, V5, V7

    private func checkRootBinding(_ root: JWTChainLink, request: Request, trace: inout VerificationTrace) throws(AIPError) {
        if flaws.contains(.skipRootBinding) {
            trace.skip(.v2, "flawed: root binding not checked")
        } else {
            trace.pass(.v2, try SharedSteps.bindRoot(identity: root.issuer, rootKey: request.rootKey, registry: registry, now: request.now))
        }
    }

    private func checkDepth(_ links: [JWTChainLink], trace: inout VerificationTrace) throws(AIPError) {
        guard let maxDepth = links[0].maxDepth else { throw AIPError(.tokenMalformed, step: .v3, "the authority link declares no aip_max_depth") }
        guard maxDepth >= 0 else { throw AIPError(.tokenMalformed, step: .v3, "aip_max_depth is negative (\(maxDepth))") }
        if flaws.contains(.skipDepth) {
            trace.skip(.v3, "flawed: depth \(links.count - 1) not compared with \(maxDepth)")
            return
        }
        guard Int64(links.count - 1) <= maxDepth else {
            throw AIPError(.depthExceeded, step: .v3, "\(links.count - 1) delegation(s) exceed aip_max_depth \(maxDepth)")
        }
        trace.pass(.v3, "depth \(links.count - 1) of at most \(maxDepth)")
    }

    private func checkContext(_ links: [JWTChainLink], trace: inout VerificationTrace) throws(AIPError) {
        for (i, link) in links.enumerated().dropFirst() where (link.context ?? "").allSatisfy(\.isWhitespace) {
            if flaws.contains(.skipContext) {
                trace.skip(.v5, "flawed: link \(i) has no context")
                return
            }
            throw AIPError(.tokenMalformed, step: .v5, "delegation link \(i) has no context")
        }
        trace.pass(.v5, links.count == 1 ? "no delegation" : "every delegation states its context")
    }

    private func checkRevocation(_ links: [JWTChainLink], signatures: [[UInt8]], request: Request, trace: inout VerificationTrace) throws(AIPError) {
        if flaws.contains(.skipRevocation) {
            trace.skip(.v7, "flawed: revocation not consulted")
            return
        }
        let applies = try SharedSteps.checkRevocation(
            identity: links[0].issuer, rootKey: request.rootKey,
            keys: links.dropLast().enumerated().map { ("the key that signed link \($0.offset + 1)", $0.element.holderKey.bytes) },
            ids: signatures.enumerated().map { ("link \($0.offset)", $0.element) }, registry: registry, revocation: revocation,
            maxStaleness: options.maxRevocationStaleness, now: request.now)
        guard applies else {
            trace.skip(.v7, "no revocation endpoint advertised")
            return
        }
        trace.pass(.v7, "no key or link of the chain is revoked")
    }

    // MARK: V4

    /// What the leaf may do: each dimension is the nearest declared value walking back from the leaf.
    public struct Effective: Hashable, Sendable {
        public var tools: [String]
        public var domains: [String]?
        public var budgetCents: Int64?
        public var expiry: Int64
        public var principal: String?
    }

    /// Does an ancestor's pattern permit a descendant's value? `*` permits all, `p*` every value
    /// it prefixes; a specific value never widens to a wildcard.
    public static func covers(_ pattern: String, _ value: String) -> Bool {
        if pattern == value || pattern == "*" { return true }
        if pattern.hasSuffix("*") { return value.hasPrefix(pattern.dropLast()) }
        return false
    }

    /// V4: the structural attenuation walk over the link model, shared by the verifier and the
    /// issuer (which refuses to make what the verifier would refuse).
    public static func walk(_ links: [JWTChainLink], now: Int64, flaws: Set<JWTChainFlaw> = []) throws(AIPError) -> Effective {
        let root = links[0]
        guard let rootTools = root.tools else { throw AIPError(.tokenMalformed, step: .v4, "the authority link declares no aip_tools") }
        guard let rootExpiry = root.expiry else { throw AIPError(.tokenMalformed, step: .v4, "the authority link declares no exp") }
        for (i, link) in links.enumerated() {
            if link.tools?.isEmpty == true { throw AIPError(.tokenMalformed, step: .v4, "link \(i) declares an empty aip_tools") }
            if link.domains?.isEmpty == true { throw AIPError(.tokenMalformed, step: .v4, "link \(i) declares an empty aip_domains") }
        }
        if let b = root.budgetCents, b < 0 { throw AIPError(.budgetExceeded, step: .v4, "the authority budget is negative") }
        guard rootExpiry > now else { throw AIPError(.tokenExpired, step: .v4, "the authority link expired at \(rootExpiry), now is \(now)") }
        var effective = Effective(
            tools: rootTools, domains: root.domains, budgetCents: root.budgetCents, expiry: rootExpiry, principal: root.principal)
        let walking = !flaws.contains(.skipWalk)
        for (i, link) in links.enumerated().dropFirst() {
            if link.maxDepth != nil { throw AIPError(.tokenMalformed, step: .v4, "delegation link \(i) declares aip_max_depth") }
            if let tools = link.tools {
                let widened = tools.filter { t in !effective.tools.contains { Self.covers($0, t) } }.sorted()
                if walking && !widened.isEmpty {
                    throw AIPError(
                        .scopeInsufficient, step: .v4, "link \(i) widens the tools with \(widened.joined(separator: ", ")) beyond \(effective.tools)")
                }
                effective.tools = tools
            }
            if let domains = link.domains {
                if walking, let parent = effective.domains {
                    let widened = domains.filter { !parent.contains($0) }.sorted()
                    if !widened.isEmpty {
                        throw AIPError(.scopeInsufficient, step: .v4, "link \(i) widens the domains with \(widened.joined(separator: ", "))")
                    }
                }
                effective.domains = domains
            }
            if let budget = link.budgetCents {
                if walking && budget < 0 { throw AIPError(.budgetExceeded, step: .v4, "link \(i) declares a negative budget") }
                if walking, let parent = effective.budgetCents, budget > parent {
                    throw AIPError(.budgetExceeded, step: .v4, "link \(i) raises the budget from \(parent) to \(budget)")
                }
                effective.budgetCents = budget
            }
            if let expiry = link.expiry, !flaws.contains(.skipLinkExpiry) {
                if walking && expiry > effective.expiry {
                    throw AIPError(.tokenExpired, step: .v4, "link \(i) outlives its parent (\(expiry) > \(effective.expiry))")
                }
                if walking && expiry <= now { throw AIPError(.tokenExpired, step: .v4, "link \(i) expired at \(expiry), now is \(now)") }
                effective.expiry = expiry
            }
            if let principal = link.principal {
                if walking, let parent = effective.principal, principal != parent {
                    throw AIPError(.tokenMalformed, step: .v4, "link \(i) substitutes the principal '\(parent)' with '\(principal)'")
                }
                effective.principal = principal
            }
        }
        return effective
    }
}

/// A verified chain: its links, what the leaf may do, and each link's signature (its revocation id).
public struct VerifiedJWTChain: Hashable, Sendable {
    public var links: [JWTChainLink]
    public var effective: JWTChainVerifier.Effective
    public var signatures: [[UInt8]]
}

/// The verdict of every step that ran, in order.
public struct JWTChainVerificationReport: Sendable {
    public var result: Result<VerifiedJWTChain, AIPError>
    public var steps: [StepVerdict]

    public var error: AIPError? {
        if case let .failure(e) = result { return e }
        return nil
    }
}
