import Biscuit

/// One block of an AIP chained token, read structurally from its parsed Datalog
/// (never from printed text): who issued or delegated, to whom, why, and the
/// authority it carries. Absent dimensions inherit from the nearest ancestor.
///
/// Besides the authority and delegation blocks (aip-tokens §4.3, §4.4), a chain may end with
/// the provenance blocks of aip-provenance: a completion block appended by the executing agent
/// (§2), then a delegator's counter-signature (§3.2 level 2) or a third party's attestation
/// (§3.2 level 3). The drafts give their fields, not their Datalog: Baton writes each field as
/// a fact of the same name (`status("completed")`, `result_hash("sha256:…")`, `verified(true)`,
/// `verifier("aip:…")`, `attester("aip:…")`), with `cost_usd` as a decimal string because
/// Datalog has no fractions. Provenance blocks carry no authority: they neither count as a
/// delegation (V3) nor change the holder or the scope.
public struct ChainLink: Hashable, Sendable {
    /// What a block is, from the facts it declares.
    public enum Kind: String, Hashable, Sendable {
        /// Block 0 (aip-tokens §4.3).
        case authority
        /// A delegation block (aip-tokens §4.4).
        case delegation
        /// The executing agent's report of its work (aip-provenance §2).
        case completion
        /// The delegator's counter-signature of a completion (aip-provenance §3.2, level 2).
        case countersignature
        /// A third party's attestation of a completion (aip-provenance §3.2, level 3).
        case attestation

        /// Provenance blocks follow the work; they grant nothing.
        public var isProvenance: Bool { self == .completion || self == .countersignature || self == .attestation }
    }

    /// The block's position in the token (0 for the authority block).
    public var index: Int
    /// What the block is.
    public var kind: Kind
    /// Block 0: the issuer's identity.
    public var identity: String?
    /// Delegation: the identity that delegates.
    public var delegator: String?
    /// Delegation: the identity delegated to, the new holder.
    public var delegate: String?
    /// Delegation: the declared purpose.
    public var context: String?
    /// The principal on whose behalf the chain acts, if the block declares one.
    public var principal: String?
    /// Descriptive only: scope is read from the tool check.
    public var rights: [String]
    /// Block 0: the maximum number of delegations, if declared.
    public var maxDepth: Int64?
    /// The budget in cents this block allows, if it sets one.
    public var budgetCents: Int64?
    /// The tools this block allows, if it has a tool check.
    public var scopes: ScopeSet?
    /// The expiry (seconds since the epoch) of this block's time check, if any.
    public var expiry: UInt64?
    /// Domains the block declares.
    public var domains: [String]
    /// For third-party (signed) blocks: the key that signed it.
    public var signer: BiscuitPublicKey?
    /// Completion: `completed`, `failed` or `partial`.
    public var status: String?
    /// Completion: `sha256:<hex digest>` of the result.
    public var resultHash: String?
    /// Completion or attestation: how the result was verified.
    public var verificationStatus: String?
    /// Counter-signature: `verified(true)`.
    public var verified: Bool?
    /// Counter-signature: the delegator who checked the result.
    public var verifier: String?
    /// Attestation: the attester's AIP identifier.
    public var attester: String?

    /// The party that holds the token after this block: the delegate, or the issuer for block 0.
    public var holder: String? { index == 0 ? identity : delegate }

    static let authorityFacts: Set<String> = ["identity", "principal", "right", "max_depth", "budget_ceiling", "domain"]
    static let delegationFacts: Set<String> = ["delegator", "delegate", "context", "principal", "budget_ceiling", "domain", "right"]
    static let completionFacts: Set<String> = [
        "status", "result_hash", "verification_status", "tokens_used", "cost_usd", "duration_ms", "ldp_provenance_id",
    ]
    static let countersignatureFacts: Set<String> = ["verified", "verifier"]
    static let attestationFacts: Set<String> = ["attester", "verification_status"]

    /// The kind of block `index`, from the names of its facts.
    static func kind(of names: Set<String>, index: Int) -> Kind {
        if index == 0 { return .authority }
        if names.contains("attester") { return .attestation }
        if !names.isDisjoint(with: countersignatureFacts) { return .countersignature }
        if !names.isDisjoint(with: completionFacts) { return .completion }
        return .delegation
    }

    /// Reads block `index`. With `strict`, anything outside the canonical form (unknown facts, rules,
    /// extra or non-canonical checks, repeated singletons) is malformed. Without it, the block is read
    /// as a verifier matching the canonical text would read it: what it cannot read (a tool check
    /// written `$t == "x"`, a budget written as a string) is skipped, and the block inherits that
    /// dimension.
    public init(block: DecodedBlock, index: Int, strict: Bool) throws(AIPError) {
        self.index = index
        rights = []
        domains = []
        signer = block.externalKey
        let names = Set(block.source.facts.map(\.predicate.name))
        kind = ChainLink.kind(of: names, index: index)
        let allowed: Set<String>
        switch kind {
        case .authority: allowed = ChainLink.authorityFacts
        case .delegation: allowed = ChainLink.delegationFacts
        case .completion: allowed = ChainLink.completionFacts
        case .countersignature: allowed = ChainLink.countersignatureFacts
        case .attestation: allowed = ChainLink.attestationFacts
        }
        func malformed(_ why: String) -> AIPError {
            AIPError(.tokenMalformed, step: index == 0 ? .v3 : .v4, "block \(index): \(why)")
        }
        if kind.isProvenance, let party = names.intersection(ChainLink.delegationFacts).sorted().first {
            throw malformed("a \(kind.rawValue) block cannot also declare \(party): provenance blocks grant nothing")
        }
        var seen: Set<String> = []
        for fact in block.source.facts {
            let name = fact.predicate.name
            guard allowed.contains(name) else {
                if name == "max_depth" { throw malformed("max_depth may only be declared by the authority block") }
                if strict { throw malformed("unexpected fact \(DatalogPrinter.print(fact))") }
                continue
            }
            let singleton = name != "right" && name != "domain"
            if singleton {
                guard !seen.contains(name) else { throw malformed("repeats the \(name) fact") }
                seen.insert(name)
            }
            guard fact.predicate.terms.count == 1 else { throw malformed("\(name) takes one value: \(DatalogPrinter.print(fact))") }
            let term = fact.predicate.terms[0]
            switch (name, term) {
            case let ("identity", .string(s)): identity = s
            case let ("delegator", .string(s)): delegator = s
            case let ("delegate", .string(s)): delegate = s
            case let ("context", .string(s)): context = s
            case let ("principal", .string(s)): principal = s
            case let ("right", .string(s)): rights.append(s)
            case let ("domain", .string(s)): domains.append(s)
            case let ("max_depth", .integer(i)): maxDepth = i
            case let ("budget_ceiling", .integer(i)): budgetCents = i
            case let ("status", .string(s)): status = s
            case let ("result_hash", .string(s)): resultHash = s
            case let ("verification_status", .string(s)): verificationStatus = s
            case let ("tokens_used", .integer(i)) where i >= 0: break
            case let ("duration_ms", .integer(i)) where i >= 0: break
            case let ("cost_usd", .string(s)) where ChainLink.isDecimal(s): break
            case ("ldp_provenance_id", .string): break
            case let ("verified", .bool(b)): verified = b
            case let ("verifier", .string(s)): verifier = s
            case let ("attester", .string(s)): attester = s
            default:
                guard strict else { continue }
                throw malformed("\(name) has a value of the wrong type: \(DatalogPrinter.print(fact))")
            }
        }
        if strict && !block.source.rules.isEmpty {
            throw malformed("rules are not part of the canonical form: \(DatalogPrinter.print(block.source.rules[0]))")
        }
        if strict && !block.source.scopes.isEmpty {
            throw malformed("block-level trusting scopes are not part of the canonical form")
        }
        if kind.isProvenance {
            if strict, let check = block.source.checks.first {
                throw malformed("a \(kind.rawValue) block carries no checks: \(DatalogPrinter.print(check))")
            }
            return
        }
        for check in block.source.checks {
            do throws(AIPError) {
                if let s = try CanonicalDatalog.scopes(of: check) {
                    guard scopes == nil else { throw malformed("more than one tool check") }
                    scopes = s
                } else if let e = try CanonicalDatalog.expiry(of: check) {
                    guard expiry == nil else { throw malformed("more than one time check") }
                    expiry = e
                } else if strict {
                    throw malformed("unexpected check \(DatalogPrinter.print(check))")
                }
            } catch {
                // Lenient: the first readable tool and time checks count, the others are skipped.
                if strict { throw error }
            }
        }
        if index == 0 {
            guard identity != nil else { throw malformed("the authority block has no identity fact") }
        } else if kind == .delegation {
            guard delegator != nil else { throw malformed("has no delegator fact") }
            guard delegate != nil else { throw malformed("has no delegate fact") }
        }
    }

    /// `12` or `0.03`: a non-negative decimal amount.
    static func isDecimal(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { ("0"..."9").contains($0) } }
    }

    /// Whether `hash` is `sha256:` and a SHA-256 digest in lowercase hex (aip-provenance §2.5 req 3).
    public static func isSHA256Reference(_ hash: String) -> Bool {
        guard hash.hasPrefix("sha256:") else { return false }
        let digest = hash.dropFirst("sha256:".count)
        return digest.count == 64 && digest.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }

    /// `id` with every character outside printable ASCII written `\u{…}`, so that a bidi override
    /// or a zero-width joiner shows in messages instead of acting on them.
    static func escaped(_ id: String) -> String {
        id.unicodeScalars.map { c in
            c.isASCII && c.value >= 0x20 && c.value != 0x7f ? String(c) : "\\u{\(String(c.value, radix: 16, uppercase: true))}"
        }.joined()
    }
}
