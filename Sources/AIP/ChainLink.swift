import Biscuit

/// One block of an AIP chained token, read structurally from its parsed Datalog
/// (never from printed text): who issued or delegated, to whom, why, and the
/// authority it carries. Absent dimensions inherit from the nearest ancestor.
public struct ChainLink: Hashable, Sendable {
    public var index: Int
    /// Block 0: the issuer's identity.
    public var identity: String?
    public var delegator: String?
    public var delegate: String?
    public var context: String?
    public var principal: String?
    /// Descriptive only: scope is read from the tool check.
    public var rights: [String]
    public var maxDepth: Int64?
    public var budgetCents: Int64?
    public var scopes: ScopeSet?
    public var expiry: UInt64?
    public var domains: [String]
    /// For third-party (signed) delegation blocks: the key that signed it.
    public var signer: BiscuitPublicKey?

    /// The party that holds the token after this block: the delegate, or the issuer for block 0.
    public var holder: String? { index == 0 ? identity : delegate }

    static let authorityFacts: Set<String> = ["identity", "principal", "right", "max_depth", "budget_ceiling", "domain"]
    static let delegationFacts: Set<String> = ["delegator", "delegate", "context", "principal", "budget_ceiling", "domain", "right"]

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
        let allowed = index == 0 ? ChainLink.authorityFacts : ChainLink.delegationFacts
        func malformed(_ why: String) -> AIPError {
            AIPError(.tokenMalformed, step: index == 0 ? .v3 : .v4, "block \(index): \(why)")
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
        } else {
            guard delegator != nil else { throw malformed("has no delegator fact") }
            guard delegate != nil else { throw malformed("has no delegate fact") }
        }
    }

    /// `id` with every character outside printable ASCII written `\u{…}`, so that a bidi override
    /// or a zero-width joiner shows in messages instead of acting on them.
    static func escaped(_ id: String) -> String {
        id.unicodeScalars.map { c in
            c.isASCII && c.value >= 0x20 && c.value != 0x7f ? String(c) : "\\u{\(String(c.value, radix: 16, uppercase: true))}"
        }.joined()
    }
}
