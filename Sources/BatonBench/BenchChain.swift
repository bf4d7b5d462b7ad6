import BatonCrypto
import Biscuit

/// The benchmarked token: a 3-block AIP chain (authority minted by the
/// orchestrator, then delegations orchestrator→researcher and
/// researcher→writer), built from seeded keys so every run produces the same bytes.
struct BenchChain {
    static let authoritySource = """
        identity("aip:web:acme.com/orchestrator");
        right("research:read");
        max_depth(3);
        budget_ceiling(500);
        check if tool($t), ["research:read","write:draft"].contains($t);
        check if time($t), $t <= 2099-01-01T00:00:00Z;

        """

    static let researcherDelegation = """
        delegator("aip:web:acme.com/orchestrator");
        delegate("aip:web:acme.com/researcher");
        context("literature review for user query");
        budget_ceiling(100);
        check if tool($t), ["research:read"].contains($t);

        """

    static let writerDelegation = """
        delegator("aip:web:acme.com/researcher");
        delegate("aip:web:acme.com/writer");
        context("summarise the literature review");
        budget_ceiling(40);
        check if tool($t), ["research:read"].contains($t);

        """

    /// The verifier's request: facts before the token's expiry, and a policy that always allows,
    /// so that the outcome is decided by the token's checks.
    static let authorizerCode = """
        tool("research:read");
        time(2026-06-01T00:00:00Z);
        depth(2);
        allow if true;

        """

    let root: Ed25519.PrivateKey
    let rootPublic: BiscuitPublicKey
    let token: BiscuitToken
    let base64: String
    let bytes: [UInt8]
    /// The exact byte strings the three block signatures cover, with their keys and signatures.
    let signed: [(key: Ed25519.PublicKey, payload: [UInt8], signature: [UInt8])]
    /// The proof's secret (the seed of the key that would sign a fourth block).
    let proofSeed: [UInt8]
    let authorizer: Authorizer

    init() throws {
        root = Ed25519.PrivateKey.derived(from: "bench:aip:web:acme.com/orchestrator")
        rootPublic = BiscuitPublicKey(root.publicKey)
        let researcherKey = Ed25519.PrivateKey.derived(from: "bench:aip:web:acme.com/researcher")
        let writerKey = Ed25519.PrivateKey.derived(from: "bench:aip:web:acme.com/writer")
        let proofKey = Ed25519.PrivateKey.derived(from: "bench:proof")

        var token = try BiscuitToken.mint(
            authority: DatalogParser.parseBlock(BenchChain.authoritySource), root: root, nextKey: researcherKey)
        token = try token.appending(DatalogParser.parseBlock(BenchChain.researcherDelegation), nextKey: writerKey)
        token = try token.appending(DatalogParser.parseBlock(BenchChain.writerDelegation), nextKey: proofKey)
        self.token = token
        base64 = token.base64()
        bytes = token.serialized()

        var signed: [(key: Ed25519.PublicKey, payload: [UInt8], signature: [UInt8])] = []
        var key = rootPublic
        var previous: [UInt8]? = nil
        for block in token.allBlocks {
            let payload = SignaturePayload.block(
                payload: block.payload, nextKey: block.nextKey, externalSignature: block.externalSignature?.signature,
                previousSignature: previous, version: block.signatureVersion)
            signed.append((try Ed25519.PublicKey(bytes: key.bytes), payload, block.signature))
            key = block.nextKey
            previous = block.signature
        }
        self.signed = signed
        guard case let .nextSecret(seed) = token.proof else { throw BenchFailure("the benchmark token is sealed") }
        proofSeed = seed
        // A preempted run must not fail the benchmark: the default 1 ms limit is a defence, not what is measured.
        authorizer = try Authorizer(code: BenchChain.authorizerCode, limits: RunLimits(maxTime: .seconds(1)))
    }

    /// Checks once, outside any timing, that both paths succeed on this token.
    func selfCheck() throws {
        guard signed.count == 3 else { throw BenchFailure("expected 3 signed blocks, got \(signed.count)") }
        for (i, s) in signed.enumerated() where !s.key.isValidSignature(s.signature, for: s.payload) {
            throw BenchFailure("signature of block \(i) does not verify")
        }
        let parsed = try BiscuitToken(bytes: BiscuitToken.decodeBase64(base64), root: rootPublic)
        guard parsed == token else { throw BenchFailure("the token does not round-trip through base64") }
        let report = authorizer.run(blocks: try parsed.decodedBlocks())
        guard case .success(0) = report.result else {
            throw BenchFailure("authorization did not allow with policy 0: \(report.result)")
        }
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
