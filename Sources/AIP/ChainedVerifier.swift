import BatonCrypto
import Biscuit

/// Verifies AIP chained tokens by steps V1–V7 of draft-prakash-aip-01 §4, in
/// order, failing closed with one stable code per failure; plus the A2A
/// binding's audience check and delegator continuity (always) and, as an
/// option, proof that each delegation was signed by its delegator.
public struct ChainedVerifier: Sendable {
    /// What the verifier enforces beyond the drafts' minimum.
    public struct Options: Hashable, Sendable {
        /// Refuse anything outside the canonical Datalog (unknown facts, rules, extra checks).
        public var strictCanonical = true
        /// Require every delegation block to be a third-party block signed by a key
        /// registered for its `delegator` (closes re-targeting by token holders).
        public var requireSignedDelegation = false
        /// Oldest acceptable revocation status, in seconds (V7 fails closed past it).
        public var maxRevocationStaleness: Int64 = 300
        /// Datalog run limits for V6. The time limit is generous: outcomes must not depend on machine speed.
        public var limits = RunLimits(maxFacts: 1000, maxIterations: 100, maxTime: .milliseconds(250))
        /// Defences removed on purpose (the flawed-verifier gallery); empty for the reference.
        public var flaws: Set<VerifierFlaw> = []

        /// Options; flaws are empty and the run limits are the defaults above.
        public init(strictCanonical: Bool = true, requireSignedDelegation: Bool = false, maxRevocationStaleness: Int64 = 300) {
            self.strictCanonical = strictCanonical
            self.requireSignedDelegation = requireSignedDelegation
            self.maxRevocationStaleness = maxRevocationStaleness
        }
    }

    /// What is presented and what it must allow.
    public struct Request: Sendable {
        /// URL-safe base64 of the Biscuit, as carried in `params.metadata.aip_token`.
        public var token: String?
        /// The trust anchor: the issuer's root public key this verifier was configured with.
        public var rootKey: Ed25519.PublicKey
        /// The receiving agent's identity: the last delegate must be this.
        public var audience: String?
        /// The tool being invoked (ambient `tool` fact in V6); nil skips V6.
        public var requiredScope: String?
        /// Verification time, seconds since the epoch (injected; never the wall clock).
        public var now: Int64

        /// A request for `requiredScope` by `audience` at `now`, trusting `rootKey`.
        public init(token: String?, rootKey: Ed25519.PublicKey, audience: String? = nil, requiredScope: String? = nil, now: Int64) {
            self.token = token
            self.rootKey = rootKey
            self.audience = audience
            self.requiredScope = requiredScope
            self.now = now
        }
    }

    /// What the verifier enforces.
    public var options: Options
    /// Identity documents for V2 and signed delegations; nil trusts the configured root key (V2 by configuration).
    public var registry: IdentityRegistry?
    /// Revocation status for V7; required when an identity document advertises revocation.
    public var revocation: RevocationList?

    /// A verifier with the given options, identity documents and revocation status.
    public init(options: Options = Options(), registry: IdentityRegistry? = nil, revocation: RevocationList? = nil) {
        self.options = options
        self.registry = registry
        self.revocation = revocation
    }

    /// Verifies and records each step's verdict.
    public func verify(_ request: Request) -> VerificationReport {
        var trace = VerificationTrace()
        do {
            let chain = try run(request, trace: &trace)
            return VerificationReport(result: .success(chain), steps: trace.steps)
        } catch {
            trace.fail(error)
            return VerificationReport(result: .failure(error), steps: trace.steps)
        }
    }

    private func run(_ request: Request, trace: inout VerificationTrace) throws(AIPError) -> VerifiedChain {
        // The binding: a token must be present.
        guard let text = request.token, !text.isEmpty else {
            throw AIPError(.tokenMissing, step: .binding, "no token in the request")
        }
        trace.pass(.binding, "token present (\(text.utf8.count) characters)")

        // V1: parse and verify every signature from the root key; nothing is read before.
        let root = BiscuitPublicKey(request.rootKey)
        let token: BiscuitToken
        let blocks: [DecodedBlock]
        do {
            token =
                flaws.contains(.skipSignatures)
                ? try BiscuitToken(bytes: BiscuitToken.decodeBase64(text))
                : try BiscuitToken(base64: text, root: root)
            blocks = try token.decodedBlocks()
        } catch {
            switch error {
            case .format(.invalidSignature), .format(.invalidSignatureSize):
                throw AIPError(.signatureInvalid, step: .v1, "\(error)")
            default:
                throw AIPError(.tokenMalformed, step: .v1, "\(error)")
            }
        }
        var chain = try AIPChain(
            blocks: blocks,
            strict: options.strictCanonical && !flaws.contains(.lenientCanonicalForm)
                && !flaws.contains(.trustRightFacts) && !flaws.contains(.firstCheckOnly))
        chain = Self.misread(chain, blocks: blocks, flaws: flaws)
        if options.requireSignedDelegation && !flaws.contains(.skipDelegatorSignatures) {
            for link in chain.links.dropFirst() {
                try checkSigner(link, party: Self.signingParty(of: link, in: chain), now: request.now)
            }
        }
        trace.pass(
            .v1,
            "\(token.blockCount) block(s), every signature verified from the root key"
                + (options.requireSignedDelegation ? "; every delegation signed by its delegator" : ""))

        // V2: the root key belongs to the identity in block 0.
        let identity = chain.links[0].identity ?? ""
        if flaws.contains(.skipRootBinding) {
            trace.skip(.v2, "flawed: root binding not checked")
        } else {
            trace.pass(.v2, try SharedSteps.bindRoot(identity: identity, rootKey: request.rootKey, registry: registry, now: request.now))
        }

        // V3: depth.
        let maxDepth = chain.links[0].maxDepth ?? AIPChain.defaultMaxDepth
        guard maxDepth >= 0 else { throw AIPError(.tokenMalformed, step: .v3, "max_depth is negative (\(maxDepth))") }
        guard Int64(chain.depth) <= maxDepth || flaws.contains(.skipDepth) else {
            throw AIPError(.depthExceeded, step: .v3, "\(chain.depth) delegation(s) exceed max_depth \(maxDepth)")
        }
        trace.pass(.v3, "depth \(chain.depth) of at most \(maxDepth)")

        // V4: the structural attenuation walk, from the parsed checks.
        try walk(chain, now: request.now)
        trace.pass(
            .v4, "every hop narrows its parent: scopes \(chain.effective.scopes), budget \(chain.effective.budgetCents.map(String.init) ?? "none")")

        // V5: every delegation has a purpose.
        for link in chain.delegations where (link.context ?? "").allSatisfy(\.isWhitespace) && !flaws.contains(.skipContext) {
            throw AIPError(.tokenMalformed, step: .v5, "delegation block \(link.index) has no context")
        }
        trace.pass(.v5, chain.depth == 0 ? "no delegation" : "every delegation states its context")

        // Binding: the last holder is the receiving agent.
        let holder = chain.effective.holder
        if let audience = request.audience, !flaws.contains(.skipAudience) {
            guard holder == audience else {
                throw AIPError(.audienceMismatch, step: .audience, "the token is delegated to '\(holder)', not to '\(audience)'")
            }
            trace.pass(.audience, "delegated to \(audience)")
        } else {
            trace.skip(.audience, "no audience given")
        }

        // V6: Datalog policy evaluation with ambient tool, time and depth only.
        if let scope = request.requiredScope, flaws.contains(.skipScopeCheck) {
            trace.skip(.v6, "flawed: '\(scope)' not checked")
        } else if let scope = request.requiredScope {
            guard chain.effective.scopes.allows(scope) else {
                throw AIPError(.scopeInsufficient, step: .v6, "'\(scope)' is not within \(chain.effective.scopes)")
            }
            if flaws.contains(.trustRightFacts) {
                trace.skip(.v6, "flawed: Datalog not evaluated")
                try checkRevocation(token: token, chain: chain, request: request, trace: &trace)
                return VerifiedChain(chain: chain, revocationIds: token.revocationIds, blockCount: token.blockCount)
            }
            var authorizer = Authorizer(limits: options.limits)
            authorizer.source.facts = [
                Fact(name: "tool", terms: [.string(scope)]),
                Fact(name: "time", terms: [.date(UInt64(max(0, request.now)))]),
                Fact(name: "depth", terms: [.integer(Int64(chain.depth))]),
            ]
            authorizer.source.policies = [Policy(kind: .allow, queries: [Rule(head: Predicate(name: "query", terms: []), body: [])])]
            let report = authorizer.run(blocks: blocks)
            if case let .failure(error) = report.result {
                throw AIPError(.scopeInsufficient, step: .v6, "Datalog refused '\(scope)': \(error)")
            }
            trace.pass(.v6, "every check of every block allows '\(scope)'")
        } else {
            trace.skip(.v6, "no scope requested")
        }

        // V7: revocation.
        try checkRevocation(token: token, chain: chain, request: request, trace: &trace)

        return VerifiedChain(chain: chain, revocationIds: token.revocationIds, blockCount: token.blockCount)
    }

    /// Who must have signed a block, with signed delegations: a delegation block its delegator
    /// (aip-tokens §4.4 req 1), a completion block the executing agent, i.e. the holder it follows
    /// (aip-provenance §2.5 req 1), a counter-signature the delegator of the last delegation block
    /// (§3.3 req 3), an attestation its attester (§3.3 req 4).
    static func signingParty(of link: ChainLink, in chain: AIPChain) -> (role: String, id: String) {
        switch link.kind {
        case .authority, .delegation: return ("delegator", link.delegator ?? "")
        case .completion: return ("executing agent", chain.effective(upTo: link.index - 1).holder)
        case .countersignature:
            return ("delegator", chain.links.prefix(link.index).last { $0.kind == .delegation }?.delegator ?? "")
        case .attestation: return ("attester", link.attester ?? "")
        }
    }

    private func checkSigner(_ link: ChainLink, party: (role: String, id: String), now: Int64) throws(AIPError) {
        let delegator = party.id
        let what = "\(link.kind.rawValue) block \(link.index)"
        guard let signer = link.signer else {
            throw AIPError(.signatureInvalid, step: .v1, "\(what) is not signed by its \(party.role) \(delegator)")
        }
        let keys: [Ed25519.PublicKey]
        if let registry {
            do { keys = try registry.resolveKeys(delegator, at: now) } catch {
                throw AIPError(.identityUnresolvable, step: .v1, "cannot resolve \(party.role) \(delegator) of block \(link.index): \(error.message)")
            }
        } else if case let .key(k)? = AIPIdentifier(delegator) {
            keys = [k]
        } else {
            throw AIPError(.identityUnresolvable, step: .v1, "no registry to resolve \(party.role) \(delegator)")
        }
        guard signer.algorithm == .ed25519, keys.contains(where: { $0.bytes == signer.bytes }) else {
            throw AIPError(.signatureInvalid, step: .v1, "\(what) is signed by \(signer.text), not by a key of its \(party.role) \(delegator)")
        }
    }

    private func walk(_ chain: AIPChain, now: Int64) throws(AIPError) {
        if flaws.contains(.skipAttenuationWalk) { return }
        let root = chain.links[0]
        guard root.scopes?.isEmpty == false else {
            throw AIPError(.tokenMalformed, step: .v4, "the authority block declares no tool check")
        }
        guard let rootExpiry = root.expiry else {
            throw AIPError(.tokenMalformed, step: .v4, "the authority block declares no expiry")
        }
        if let b = root.budgetCents, b < 0 { throw AIPError(.budgetExceeded, step: .v4, "the authority budget ceiling is negative") }
        guard Int64(rootExpiry) >= now || now < 0 else {
            throw AIPError(.tokenExpired, step: .v4, "the authority block expired at \(rootExpiry), now is \(now)")
        }
        var effective = chain.effective(upTo: 0)
        for link in chain.links.dropFirst() where link.kind == .delegation {
            // Core §2.1: identifiers are ASCII; a look-alike (a Cyrillic letter, a zero-width or bidi
            // character) names nobody, so the chain could not establish who held the token.
            for (role, id) in [("delegator", link.delegator), ("delegate", link.delegate)]
            where options.strictCanonical && !flaws.contains(.lenientCanonicalForm) {
                if let id, AIPIdentifier(id) == nil {
                    throw AIPError(.tokenMalformed, step: .v4, "block \(link.index): the \(role) '\(ChainLink.escaped(id))' is not an AIP identifier")
                }
            }
            // Delegator continuity: each hop is made by the previous holder.
            guard link.delegator == effective.holder || flaws.contains(.skipDelegatorContinuity) else {
                throw AIPError(
                    .tokenMalformed, step: .v4,
                    "block \(link.index) is delegated by '\(link.delegator ?? "")', but the token was held by '\(effective.holder)'")
            }
            if let scopes = link.scopes {
                let widened = scopes.widening(over: effective.scopes)
                guard widened.isEmpty else {
                    throw AIPError(
                        .scopeInsufficient, step: .v4,
                        "block \(link.index) widens the scope with \(widened.joined(separator: ", ")) beyond \(effective.scopes)")
                }
            }
            if let b = link.budgetCents, !flaws.contains(.skipBudget) {
                guard b >= 0 else { throw AIPError(.budgetExceeded, step: .v4, "block \(link.index) declares a negative budget ceiling") }
                if let parent = effective.budgetCents, b > parent {
                    throw AIPError(.budgetExceeded, step: .v4, "block \(link.index) raises the budget ceiling from \(parent) to \(b)")
                }
            }
            if let x = link.expiry, !flaws.contains(.skipBlockExpiry) {
                if let parent = effective.expiry, x > parent {
                    throw AIPError(.tokenExpired, step: .v4, "block \(link.index) outlives its parent (\(x) > \(parent))")
                }
                guard Int64(x) >= now else {
                    throw AIPError(.tokenExpired, step: .v4, "block \(link.index) expired at \(x), now is \(now)")
                }
            }
            if let p = link.principal, let parent = effective.principal, p != parent, !flaws.contains(.skipPrincipal) {
                throw AIPError(.tokenMalformed, step: .v4, "block \(link.index) substitutes the principal '\(parent)' with '\(p)'")
            }
            effective = chain.effective(upTo: link.index)
        }
        if !flaws.contains(.skipProvenanceRules) { try Self.checkProvenance(chain) }
    }

    /// The provenance blocks of aip-provenance, which follow the work: one completion block with
    /// a defined status, a SHA-256 result hash and a verification status, after which only
    /// counter-signatures (by the last delegator) and attestations (naming their attester) follow.
    static func checkProvenance(_ chain: AIPChain) throws(AIPError) {
        func malformed(_ link: ChainLink, _ why: String) -> AIPError {
            AIPError(.tokenMalformed, step: .v4, "block \(link.index) (\(link.kind.rawValue)): \(why)")
        }
        var completion: ChainLink?
        for link in chain.links.dropFirst() {
            switch link.kind {
            case .authority: break
            case .delegation:
                if let c = completion {
                    throw malformed(
                        link, "delegates after the completion block \(c.index), which must be the final block (aip-provenance §2.5 req 4)")
                }
            case .completion:
                if let c = completion {
                    throw malformed(link, "a second completion block after block \(c.index): only one is permitted (aip-provenance §2.5 req 5)")
                }
                completion = link
                guard let status = link.status, ["completed", "failed", "partial"].contains(status) else {
                    throw malformed(link, "status '\(link.status ?? "")' is not completed, failed or partial (aip-provenance §2.5 req 2)")
                }
                guard let hash = link.resultHash, ChainLink.isSHA256Reference(hash) else {
                    throw malformed(link, "result_hash '\(link.resultHash ?? "")' is not sha256:<hex digest> (aip-provenance §2.5 req 3)")
                }
                guard let v = link.verificationStatus, !v.allSatisfy(\.isWhitespace) else {
                    throw malformed(link, "no verification_status (REQUIRED, aip-provenance §2.3)")
                }
            case .countersignature:
                guard completion != nil else { throw malformed(link, "counter-signs no completion block (aip-provenance §3.2)") }
                guard link.verified == true else { throw malformed(link, "does not declare verified(true) (aip-provenance §3.2)") }
                let delegator = chain.links.prefix(link.index).last { $0.kind == .delegation }?.delegator
                guard let delegator, link.verifier == delegator else {
                    throw malformed(
                        link,
                        "verifier '\(link.verifier ?? "")' is not the delegator of the preceding delegation block ('\(delegator ?? "none")', aip-provenance §3.3 req 3)"
                    )
                }
            case .attestation:
                guard completion != nil else { throw malformed(link, "attests no completion block (aip-provenance §3.2)") }
                guard let attester = link.attester, AIPIdentifier(attester) != nil else {
                    throw malformed(link, "attester '\(link.attester ?? "")' is not an AIP identifier (aip-provenance §3.3 req 4)")
                }
            }
        }
    }

    private var flaws: Set<VerifierFlaw> { options.flaws }

    /// How the scope-reading flaws see a chain.
    static func misread(_ chain: AIPChain, blocks: [DecodedBlock], flaws: Set<VerifierFlaw>) -> AIPChain {
        var chain = chain
        if flaws.contains(.trustRightFacts) {
            for i in chain.links.indices {
                let rights = chain.links[i].rights
                chain.links[i].scopes = rights.isEmpty ? (i == 0 ? chain.links[i].scopes : nil) : ScopeSet(scopes: rights, patterns: true)
            }
        }
        if flaws.contains(.firstCheckOnly) {
            for (i, block) in blocks.enumerated() where i < chain.links.count {
                let first = block.source.checks.first.flatMap { try? CanonicalDatalog.scopes(of: $0) }
                chain.links[i].scopes = first ?? (i == 0 ? chain.links[i].scopes : nil)
            }
        }
        return chain
    }

    private func checkRevocation(token: BiscuitToken, chain: AIPChain, request: Request, trace: inout VerificationTrace) throws(AIPError) {
        if flaws.contains(.skipRevocation) {
            trace.skip(.v7, "flawed: revocation not consulted")
            return
        }
        let applies = try SharedSteps.checkRevocation(
            identity: chain.links[0].identity ?? "", rootKey: request.rootKey,
            keys: chain.links.compactMap { link in link.signer.map { ("the key that signed block \(link.index)", $0.bytes) } },
            ids: token.revocationIds.enumerated().map { ("block \($0.offset)", $0.element) }, registry: registry, revocation: revocation,
            maxStaleness: options.maxRevocationStaleness, now: request.now)
        guard applies else {
            trace.skip(.v7, "no revocation endpoint advertised")
            return
        }
        trace.pass(.v7, "no key or block in the chain is revoked")
    }
}

/// A successfully verified chain.
public struct VerifiedChain: Hashable, Sendable {
    /// The chain as read.
    public var chain: AIPChain
    /// The revocation ids of the blocks, block 0 first.
    public var revocationIds: [[UInt8]]
    /// The number of blocks, authority included.
    public var blockCount: Int
}

/// The verdict of every step that ran, in order.
public struct VerificationReport: Sendable {
    /// The verified chain, or the first refusal.
    public var result: Result<VerifiedChain, AIPError>
    /// Every step that ran, in order.
    public var steps: [StepVerdict]

    /// The refusal, if verification failed.
    public var error: AIPError? {
        if case let .failure(e) = result { return e }
        return nil
    }
}

/// One step's verdict, for `baton explain` and reports.
public struct StepVerdict: Hashable, Sendable {
    /// How a step ended.
    public enum Status: String, Hashable, Sendable {
        /// The step ran and its check held.
        case passed
        /// The step refused the token.
        case failed
        /// The step did not run: it did not apply (no tool requested, no revocation endpoint …) or a flaw removed it.
        case skipped
    }
    /// The step.
    public var step: VerificationStep
    /// How it ended.
    public var status: Status
    /// What was checked, or why it failed or was skipped.
    public var detail: String

    /// A verdict of `step`.
    public init(step: VerificationStep, status: Status, detail: String) {
        self.step = step
        self.status = status
        self.detail = detail
    }
}

/// The verdicts of the steps a verifier ran, in order; shared by the verifiers of every AIP encoding.
public struct VerificationTrace: Sendable {
    /// The verdicts so far.
    public var steps: [StepVerdict] = []
    /// An empty trace.
    public init() {}
    /// Records that `step` passed.
    public mutating func pass(_ step: VerificationStep, _ detail: String) { steps.append(StepVerdict(step: step, status: .passed, detail: detail)) }
    /// Records that `step` did not apply.
    public mutating func skip(_ step: VerificationStep, _ detail: String) { steps.append(StepVerdict(step: step, status: .skipped, detail: detail)) }
    /// Records the step that refused, with its code and message.
    public mutating func fail(_ error: AIPError) {
        steps.append(StepVerdict(step: error.step ?? .v1, status: .failed, detail: "\(error.code.rawValue): \(error.message)"))
    }
}
