import AIP
import BatonCrypto
import BatonModel
import BatonTestSupport
import Biscuit
import BiscuitForge

/// Mutation testing of the reference verifier: from a valid 3-block chain, make
/// many mutants — bit flips, insertions, deletions, block drops, swaps and
/// duplicates, wrong-key signatures, and semantic edits that are correctly
/// signed but break an AIP rule — and check that none is accepted unless it is
/// semantically identical to the original.
public struct MutationCampaign: Sendable {
    public enum MutationClass: String, CaseIterable, Sendable {
        case bitFlip = "bit-flip"
        case byteInsert = "byte-insert"
        case byteDelete = "byte-delete"
        case blockDrop = "block-drop"
        case blockSwap = "block-swap"
        case blockDuplicate = "block-duplicate"
        case wrongKeySignature = "wrong-key-signature"
        case semanticEdit = "semantic-edit"
    }

    public struct Tally: Sendable {
        public var generated = 0
        public var rejected = 0
        /// Accepted, but decoding to exactly the original chain (e.g. a flip in a byte nothing reads).
        public var acceptedIdentical = 0
        /// Accepted and different: a verifier bug.
        public var acceptedDifferent = 0
        public init() {}
    }

    public struct Result: Sendable {
        public var tallies: [MutationClass: Tally]
        /// Up to ten accepted, semantically different mutants (base64), for reproduction.
        public var escapes: [(MutationClass, String)]
        public var total: Int { tallies.values.reduce(0) { $0 + $1.generated } }
        public var escaped: Int { tallies.values.reduce(0) { $0 + $1.acceptedDifferent } }
    }

    public var count: Int
    public var seed: UInt64

    public init(count: Int, seed: UInt64 = 2026) {
        self.count = count
        self.seed = seed
    }

    /// The fixture the original chain is minted with: the standard chain at 2026-06-01T00:00:00Z,
    /// with the campaign's own root key.
    static let standard = StandardChain(seed: "mutation", now: 1_780_272_000, rootKey: .derived(from: "mutation:root"))
    static var now: Int64 { standard.now }
    static let nextKeys = (0..<3).map { Ed25519.PrivateKey.derived(from: "mutation:next:\($0)") }

    /// The valid chain every mutant starts from.
    public static func original() throws -> BiscuitToken {
        try standard.twoHops(
            from: standard.authority(nextKey: nextKeys[0]),
            researcher: .init(scopes: StandardChain.defaultScopes, budget: 200, expiresAt: now + 1800, nextKey: nextKeys[1]),
            writer: .init(scopes: ["write:draft"], context: "draft", budget: 100, nextKey: nextKeys[2]))
    }

    static func accepts(_ bytes: [UInt8]) -> Bool {
        ChainedVerifier().verify(
            .init(
                token: Base64URL.encode(bytes), rootKey: standard.root, audience: StandardChain.writer,
                requiredScope: "write:draft", now: now + 60)
        ).error == nil
    }

    public func run() throws -> Result {
        let original = try Self.original()
        let originalBytes = original.serialized()
        let originalBlocks = try original.decodedBlocks()
        precondition(Self.accepts(originalBytes), "the original chain must verify")
        var rng = SplitMix64(seed: seed)
        var tallies: [MutationClass: Tally] = [:]
        var escapes: [(MutationClass, String)] = []
        let classes = MutationClass.allCases
        for i in 0..<count {
            let kind = classes[i % classes.count]
            guard let mutant = mutate(kind, original: original, bytes: originalBytes, rng: &rng) else { continue }
            var tally = tallies[kind, default: Tally()]
            tally.generated += 1
            if Self.accepts(mutant) {
                let same = (try? BiscuitToken(bytes: mutant).decodedBlocks()) == originalBlocks
                if same {
                    tally.acceptedIdentical += 1
                } else {
                    tally.acceptedDifferent += 1
                    if escapes.count < 10 { escapes.append((kind, Base64URL.encode(mutant))) }
                }
            } else {
                tally.rejected += 1
            }
            tallies[kind] = tally
        }
        return Result(tallies: tallies, escapes: escapes)
    }

    func mutate(_ kind: MutationClass, original: BiscuitToken, bytes: [UInt8], rng: inout SplitMix64) -> [UInt8]? {
        switch kind {
        case .bitFlip:
            return Forge.flipBit(bytes, byte: Int.random(in: 0..<bytes.count, using: &rng), bit: Int.random(in: 0..<8, using: &rng))
        case .byteInsert:
            var b = bytes
            b.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...b.count, using: &rng))
            return b
        case .byteDelete:
            var b = bytes
            b.remove(at: Int.random(in: 0..<b.count, using: &rng))
            return b
        case .blockDrop:
            return (try? Forge.dropBlock(original, at: Int.random(in: 0..<original.blockCount, using: &rng)))?.serialized()
        case .blockSwap:
            let i = Int.random(in: 0..<original.blockCount, using: &rng)
            var j = Int.random(in: 0..<original.blockCount, using: &rng)
            if i == j { j = (j + 1) % original.blockCount }
            return (try? Forge.swapBlocks(original, i, j))?.serialized()
        case .blockDuplicate:
            return (try? Forge.duplicateBlock(original, at: Int.random(in: 0..<original.blockCount, using: &rng)))?.serialized()
        case .wrongKeySignature:
            let key = Ed25519.PrivateKey.derived(from: "mutation:wrong:\(rng.next())")
            return (try? Forge.resign(original, block: Int.random(in: 0..<original.blockCount, using: &rng), with: key))?.serialized()
        case .semanticEdit:
            return semanticEdit(original, rng: &rng)
        }
    }

    /// Rewrites a delegation block so that it breaks one AIP rule, and re-signs it with the
    /// right key (the previous block's next key): a perfectly valid Biscuit that AIP must refuse.
    public func semanticEdit(_ original: BiscuitToken, rng: inout SplitMix64) -> [UInt8]? {
        let index = Int.random(in: 1...2, using: &rng)
        guard let blocks = try? original.decodedBlocks() else { return nil }
        var source = blocks[index].source
        let edits = 7
        switch Int.random(in: 0..<edits, using: &rng) {
        case 0:  // widen the tool check
            source.checks = source.checks.map { c in
                (try? CanonicalDatalog.scopes(of: c)) != nil
                    ? CanonicalDatalog.toolCheck(ScopeSet(exact: ["write:draft", "email:send", "research:read"])) : c
            }
            if !source.checks.contains(where: { (try? CanonicalDatalog.scopes(of: $0)) != nil }) {
                source.checks.append(CanonicalDatalog.toolCheck(ScopeSet(exact: ["email:send", "write:draft"])))
            }
        case 1:  // raise the budget
            source.facts = source.facts.map { $0.predicate.name == "budget_ceiling" ? Fact(name: "budget_ceiling", terms: [.integer(100_000)]) : $0 }
        case 2:  // empty the context
            source.facts = source.facts.map { $0.predicate.name == "context" ? Fact(name: "context", terms: [.string(" ")]) : $0 }
        case 3:  // break delegator continuity
            source.facts = source.facts.map {
                $0.predicate.name == "delegator" ? Fact(name: "delegator", terms: [.string("aip:web:evil.example/mallory")]) : $0
            }
        case 4:  // outlive the parent
            source.checks.append(CanonicalDatalog.timeCheck(expiry: UInt64(Self.now + 999_999)))
        case 5:  // redeclare max_depth
            source.facts.append(Fact(name: "max_depth", terms: [.integer(99)]))
        default:  // substitute the principal
            source.facts.append(Fact(name: "principal", terms: [.string("user:mallory@evil.example")]))
        }
        let signer = index == 1 ? Self.nextKeys[0] : Self.nextKeys[1]
        guard let forged = try? Forge.rewriteBlock(original, block: index, with: source, signer: signer) else { return nil }
        return forged.serialized()
    }
}
