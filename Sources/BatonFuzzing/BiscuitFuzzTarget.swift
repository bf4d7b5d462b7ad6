import AIP
import BatonCrypto
import BatonTestSupport
@_spi(DecodingPaths) import Biscuit
import BiscuitForge

/// Fuzz target `biscuit`: bytes as a serialized Biscuit token.
///
/// Runs both token parsers (the hand-written fast path and SwiftProtobuf) and both
/// block decoders, re-serializes, checks signatures against the fixed roots, runs a
/// Datalog authorizer with small limits, and verifies the token as an AIP chain
/// with two `ChainedVerifier` configurations. Since mutated tokens rarely keep valid
/// signatures, the token is then re-signed from the AIP root (`Forge.resignChain`)
/// and verified again, so that the fuzzed Datalog reaches steps V2–V7. The input is
/// also read as base64 text, through both base64 decoders.
///
/// Invariants (each a ``FuzzFailure`` code):
/// - `size_limit_ignored`: nothing over `BiscuitToken.maxSerializedSize` is parsed;
/// - `fast_parser_disagrees`: whenever the fast parser accepts, SwiftProtobuf accepts the same token;
/// - `parser_entry_disagrees`: `BiscuitToken(bytes:)` gives the fast result, else the SwiftProtobuf result;
/// - `reserialization_differs`: a parsed token re-serialized parses back to itself;
/// - `fast_block_decoder_disagrees`: whenever the fast block decoder accepts, SwiftProtobuf decodes the same blocks;
/// - `fast_base64_disagrees`: whenever the fast base64 decoder accepts text, `Base64URL` decodes the same bytes;
/// - `aip_accepts_unverifiable`: a chain the AIP verifier accepts has valid signatures from the
///   configured root, decodable blocks, one link per block and the token's revocation ids;
/// - `aip_accepts_out_of_policy`: an accepted chain respects its own rules: the requested
///   scope is within the effective scopes, the depth within `max_depth`, every delegation
///   names a delegator, a delegate and a context, the holder is the audience, and the
///   Datalog checks pass (the authorizer agrees, unless it hit a run limit).
public enum BiscuitFuzzTarget {
    /// Small Datalog limits: fuzzing looks for crashes, not for long runs.
    public static let limits = RunLimits(maxFacts: 100, maxIterations: 10, maxTime: .milliseconds(50))

    /// The scope requested from every AIP verification (the AIP vector grants it).
    public static let requiredScope = "research:read"

    /// Runs the target on one input.
    @discardableResult
    public static func run(_ data: [UInt8]) throws(FuzzFailure) -> FuzzReport {
        var report = FuzzReport()
        try checkBase64Decoders(data)
        guard data.count <= BiscuitToken.maxSerializedSize else {
            if (try? BiscuitToken(bytes: data)) != nil {
                throw failure("size_limit_ignored", "a \(data.count)-byte token was parsed")
            }
            return report
        }

        // Both parsers, then the entry point that chooses between them.
        let fast = BiscuitToken.fastPathParse(data)
        let slow = BiscuitToken.protobufPathParse(data)
        if let fast {
            report.reach("fast_parsed")
            guard case let .success(token) = slow else {
                throw failure("fast_parser_disagrees", "the fast parser accepts what SwiftProtobuf refuses: \(slow)")
            }
            guard token == fast else { throw failure("fast_parser_disagrees", "the two parsers read different tokens") }
        }
        let entry = Result { () throws(BiscuitError) in try BiscuitToken(bytes: data) }
        let expected = fast.map { Result<BiscuitToken, BiscuitError>.success($0) } ?? slow
        guard entry == expected else {
            throw failure("parser_entry_disagrees", "BiscuitToken(bytes:) gave \(entry), the decoders \(expected)")
        }
        guard case let .success(token) = entry else { return report }
        report.reach("parsed")

        try checkReserialization(token)
        let blocks = try decodeBlocks(token, &report)

        // Signatures against the two fixed roots.
        let aipSignatures = Result { () throws(BiscuitError) in try token.verifySignatures(root: BiscuitPublicKey(FuzzKeys.aipRoot.publicKey)) }
        if case .success = aipSignatures { report.reach("signatures_verified") }
        if (try? token.verifySignatures(root: FuzzKeys.samplesRoot)) != nil { report.reach("signatures_verified") }

        let authorization = blocks.map { authorize($0, &report) }
        try verifyAIP(
            data, token: token, blocks: blocks, signatures: aipSignatures, authorization: authorization,
            milestone: "aip_verified", &report)
        if case .failure = aipSignatures, let blocks, let resigned = try? Forge.resignChain(token, from: 0, firstSigner: FuzzKeys.aipRoot) {
            let bytes = resigned.serialized()
            let signatures = Result { () throws(BiscuitError) in try resigned.verifySignatures(root: BiscuitPublicKey(FuzzKeys.aipRoot.publicKey)) }
            report.reach("resigned")
            try verifyAIP(
                bytes, token: resigned, blocks: blocks, signatures: signatures, authorization: authorization,
                milestone: "resigned_aip_verified", &report)
        }
        return report
    }

    // MARK: - Steps

    /// The fast base64 decoder must agree with `Base64URL` whenever it accepts.
    static func checkBase64Decoders(_ data: [UInt8]) throws(FuzzFailure) {
        guard data.count <= 1 << 16, let text = String(validating: data, as: UTF8.self),
            let fast = BiscuitToken.fastPathDecodeBase64(text)
        else { return }
        guard let slow = try? Base64URL.decode(text), slow == fast else {
            throw failure("fast_base64_disagrees", "the fast base64 decoder accepts '\(text.prefix(80))', Base64URL does not agree")
        }
    }

    /// Serializing a parsed token and parsing it again gives the same token.
    static func checkReserialization(_ token: BiscuitToken) throws(FuzzFailure) {
        let bytes = token.serialized()
        guard let again = try? BiscuitToken(bytes: bytes), again == token else {
            throw failure("reserialization_differs", "the re-serialized token (\(bytes.count) bytes) does not parse back to itself")
        }
        guard BiscuitToken.decodeBase64FastOrSlow(token.base64()) == bytes else {
            throw failure("reserialization_differs", "the token's base64 does not decode to its bytes")
        }
    }

    /// Both block decoders; the blocks `decodedBlocks()` returns, or nil.
    static func decodeBlocks(_ token: BiscuitToken, _ report: inout FuzzReport) throws(FuzzFailure) -> [DecodedBlock]? {
        let fastBlocks = token.fastPathDecodedBlocks()
        let slowBlocks = token.protobufPathDecodedBlocks()
        if let fastBlocks {
            guard case let .success(blocks) = slowBlocks else {
                throw failure("fast_block_decoder_disagrees", "the fast block decoder accepts what SwiftProtobuf refuses: \(slowBlocks)")
            }
            guard blocks == fastBlocks else {
                throw failure("fast_block_decoder_disagrees", "the two block decoders read different blocks")
            }
        }
        let decoded = Result { () throws(BiscuitError) in try token.decodedBlocks() }
        let expected = fastBlocks.map { Result<[DecodedBlock], BiscuitError>.success($0) } ?? slowBlocks
        guard decoded == expected else {
            throw failure("parser_entry_disagrees", "decodedBlocks() gave \(decoded), the decoders \(expected)")
        }
        guard case let .success(blocks) = decoded else { return nil }
        report.reach("blocks_decoded")
        // The printer must cope with whatever the wire carried.
        for block in blocks { _ = DatalogPrinter.printBlock(block.source, includingScopes: true) }
        return blocks
    }

    /// A Datalog authorizer with the AIP ambient facts and an `allow if true` policy (as V6 runs it).
    static func authorize(_ blocks: [DecodedBlock], _ report: inout FuzzReport) -> Result<Int, BiscuitError> {
        var authorizer = Authorizer(limits: limits)
        authorizer.source.facts = [
            Fact(name: "tool", terms: [.string(requiredScope)]),
            Fact(name: "time", terms: [.date(UInt64(FuzzKeys.now))]),
            Fact(name: "depth", terms: [.integer(Int64(blocks.count - 1))]),
        ]
        authorizer.source.policies = [Policy(kind: .allow, queries: [Rule(head: Predicate(name: "query", terms: []), body: [])])]
        let result = authorizer.run(blocks: blocks)
        if case .success = result.result { report.reach("authorized") }
        // Printing the world walks every fact the run produced.
        if let world = result.world { _ = world.facts.count }
        return result.result
    }

    /// The AIP verifiers: if either accepts, the token must really be a verified chain.
    static func verifyAIP(
        _ data: [UInt8], token: BiscuitToken, blocks: [DecodedBlock]?, signatures: Result<Void, BiscuitError>,
        authorization: Result<Int, BiscuitError>?, milestone: String, _ report: inout FuzzReport
    ) throws(FuzzFailure) {
        let text = Base64URL.encode(data)
        for (name, verifier, audience) in verifiers {
            let request = ChainedVerifier.Request(
                token: text, rootKey: FuzzKeys.aipRoot.publicKey, audience: audience,
                requiredScope: requiredScope, now: FuzzKeys.now)
            let verdict = verifier.verify(request)
            guard case let .success(verified) = verdict.result else { continue }
            report.reach(milestone)
            guard case .success = signatures else {
                throw failure("aip_accepts_unverifiable", "\(name) accepted a token whose signatures do not verify from the root")
            }
            guard let blocks, verified.chain.links.count == blocks.count, verified.blockCount == token.blockCount else {
                throw failure("aip_accepts_unverifiable", "\(name) accepted a chain whose links do not match the token's blocks")
            }
            guard verified.revocationIds == token.revocationIds else {
                throw failure("aip_accepts_unverifiable", "\(name) reported revocation ids that are not the token's")
            }
            guard verdict.steps.allSatisfy({ $0.status != .failed }) else {
                throw failure("aip_accepts_unverifiable", "\(name) accepted with a failed step")
            }
            try checkPolicy(verified.chain, by: name, audience: audience, authorization: authorization)
        }
    }

    /// What an accepted chain must satisfy, read back from the chain itself.
    static func checkPolicy(
        _ chain: AIPChain, by name: String, audience: String?,
        authorization: Result<Int, BiscuitError>?
    ) throws(FuzzFailure) {
        let effective = chain.effective
        guard effective.scopes.allows(requiredScope) else {
            throw failure("aip_accepts_out_of_policy", "\(name) accepted '\(requiredScope)' outside \(effective.scopes)")
        }
        guard Int64(chain.depth) <= (chain.links[0].maxDepth ?? AIPChain.defaultMaxDepth) else {
            throw failure("aip_accepts_out_of_policy", "\(name) accepted depth \(chain.depth) over max_depth")
        }
        for link in chain.links.dropFirst() {
            guard link.delegator != nil, link.delegate != nil, !(link.context ?? "").allSatisfy(\.isWhitespace) else {
                throw failure("aip_accepts_out_of_policy", "\(name) accepted delegation block \(link.index) without delegator, delegate or context")
            }
        }
        if let audience, effective.holder != audience {
            throw failure("aip_accepts_out_of_policy", "\(name) accepted a token held by '\(effective.holder)' for '\(audience)'")
        }
        if case let .failure(error)? = authorization, case .execution = error {
            return  // a run limit: the verifier's own run may have stayed within it
        } else if case let .failure(error)? = authorization {
            throw failure("aip_accepts_out_of_policy", "\(name) accepted a chain whose Datalog the authorizer refuses: \(error)")
        }
    }

    /// The reference verifier with defaults, and a strict one with registry, revocation and signed delegation.
    static let verifiers: [(String, ChainedVerifier, String?)] = {
        let strict = ChainedVerifier(
            options: .init(requireSignedDelegation: true, maxRevocationStaleness: 300),
            registry: FuzzKeys.aipChain.registry(advertisesRevocation: true),
            revocation: RevocationList(refreshedAt: FuzzKeys.now - 10))
        var lenient = ChainedVerifier()
        lenient.options.limits = limits
        var strictLimited = strict
        strictLimited.options.limits = limits
        return [("the default verifier", lenient, nil), ("the strict verifier", strictLimited, StandardChain.writer)]
    }()

    static func failure(_ code: String, _ message: String) -> FuzzFailure {
        FuzzFailure(target: .biscuit, code: code, message: message)
    }
}

extension BiscuitToken {
    /// `decodeBase64` as a value (nil on error).
    static func decodeBase64FastOrSlow(_ text: String) -> [UInt8]? { try? decodeBase64(text) }
}
