import BatonCrypto
import Biscuit

/// Raw token surgery for building attacks: every operation here produces a
/// token that a correct verifier must refuse (or, for some, must still accept
/// only if the forgery is semantically harmless). Nothing here checks that the
/// result is valid — that is the point. Kept out of the `Biscuit` module so
/// that safe code never imports it by accident.
public enum Forge {
    /// Errors from forging operations (bad indices, sealed proofs …).
    public enum ForgeError: Error, Equatable, Sendable {
        case noSuchBlock(Int)
        case invalidPermutation([Int])
        case emptyToken
    }

    // MARK: - Byte-level edits

    /// Flips one bit of the serialized token.
    public static func flipBit(_ bytes: [UInt8], byte: Int, bit: Int = 0) -> [UInt8] {
        var out = bytes
        guard !out.isEmpty else { return out }
        let i = ((byte % out.count) + out.count) % out.count
        out[i] ^= UInt8(1 << (bit & 7))
        return out
    }

    /// Flips one bit of block `index`'s serialized Datalog, leaving its signature alone.
    public static func tamperPayload(_ token: BiscuitToken, block index: Int, byte: Int, bit: Int = 0) throws -> BiscuitToken {
        try edit(token, block: index) { $0.payload = flipBit($0.payload, byte: byte, bit: bit) }
    }

    /// Replaces block `index`'s serialized Datalog with arbitrary bytes, leaving its signature alone.
    public static func replacePayload(_ token: BiscuitToken, block index: Int, with payload: [UInt8]) throws -> BiscuitToken {
        try edit(token, block: index) { $0.payload = payload }
    }

    // MARK: - Structural edits

    /// Removes block `index` (1...n; 0 removes the authority and promotes block 1).
    public static func dropBlock(_ token: BiscuitToken, at index: Int) throws -> BiscuitToken {
        var all = token.allBlocks
        guard all.indices.contains(index) else { throw ForgeError.noSuchBlock(index) }
        all.remove(at: index)
        return try rebuilt(token, from: all)
    }

    /// Keeps only the first `count` blocks (authority included), keeping the original proof.
    public static func truncate(_ token: BiscuitToken, toBlocks count: Int) throws -> BiscuitToken {
        guard count >= 1, count <= token.blockCount else { throw ForgeError.noSuchBlock(count) }
        return try rebuilt(token, from: Array(token.allBlocks.prefix(count)))
    }

    /// Swaps two blocks (authority is index 0).
    public static func swapBlocks(_ token: BiscuitToken, _ i: Int, _ j: Int) throws -> BiscuitToken {
        var all = token.allBlocks
        guard all.indices.contains(i) else { throw ForgeError.noSuchBlock(i) }
        guard all.indices.contains(j) else { throw ForgeError.noSuchBlock(j) }
        all.swapAt(i, j)
        return try rebuilt(token, from: all)
    }

    /// Reorders blocks by a permutation of their indices.
    public static func reorder(_ token: BiscuitToken, order: [Int]) throws -> BiscuitToken {
        let all = token.allBlocks
        guard order.sorted() == Array(all.indices) else { throw ForgeError.invalidPermutation(order) }
        return try rebuilt(token, from: order.map { all[$0] })
    }

    /// Appends a copy of block `index` at the end.
    public static func duplicateBlock(_ token: BiscuitToken, at index: Int) throws -> BiscuitToken {
        var all = token.allBlocks
        guard all.indices.contains(index) else { throw ForgeError.noSuchBlock(index) }
        all.append(all[index])
        return try rebuilt(token, from: all)
    }

    // MARK: - Signing with the wrong keys

    /// Re-signs block `index` with `key` (instead of the key the previous block named),
    /// recomputing the signature over the block's current payload.
    public static func resign(_ token: BiscuitToken, block index: Int, with key: Ed25519.PrivateKey) throws -> BiscuitToken {
        let previous: [UInt8]? = index == 0 ? nil : token.allBlocks[index - 1].signature
        return try edit(token, block: index) { block in
            block.signature = key.signature(
                for: SignaturePayload.block(
                    payload: block.payload, nextKey: block.nextKey, externalSignature: block.externalSignature?.signature,
                    previousSignature: previous, version: block.signatureVersion))
        }
    }

    /// Replaces block `index`'s Datalog with `source` (encoded with the token's symbol
    /// table) and signs it with `key`, chaining on from there with fresh keys so that
    /// every later signature and the proof are internally consistent. Only the link
    /// into block `index` is broken — unless `key` is the key the previous block named.
    public static func rewriteBlock(
        _ token: BiscuitToken, block index: Int, with source: BlockSource, context: String? = nil,
        signer key: Ed25519.PrivateKey
    ) throws -> BiscuitToken {
        guard token.allBlocks.indices.contains(index) else { throw ForgeError.noSuchBlock(index) }
        let payload = try token.encodedPayload(for: source, context: context, replacingBlock: index)
        var forged = try edit(token, block: index) { $0.payload = payload }
        forged = try resignChain(forged, from: index, firstSigner: key)
        return forged
    }

    /// Appends a block signed by `signer` without holding the token's proof secret:
    /// what anyone who captured a token (but not its secret) might try.
    public static func appendWithoutProof(
        _ token: BiscuitToken, _ source: BlockSource, context: String? = nil,
        signer: Ed25519.PrivateKey, nextKey: Ed25519.PrivateKey
    ) throws -> BiscuitToken {
        let payload = try token.encodedPayload(for: source, context: context, replacingBlock: nil)
        let next = BiscuitPublicKey(nextKey.publicKey)
        let last = token.blocks.last ?? token.authority
        let version = token.allBlocks.map(\.signatureVersion).max() ?? 0
        let signature = signer.signature(
            for: SignaturePayload.block(
                payload: payload, nextKey: next, externalSignature: nil, previousSignature: last.signature, version: version))
        var out = token
        out.blocks.append(SignedBlock(payload: payload, nextKey: next, signature: signature, signatureVersion: version))
        out.proof = .nextSecret(nextKey.seed)
        return out
    }

    /// Re-signs the whole chain under another root key (key substitution): every block's
    /// Datalog is kept, every signature is valid — for `attackerRoot`, not the real root.
    public static func substituteRoot(_ token: BiscuitToken, attackerRoot: Ed25519.PrivateKey) throws -> BiscuitToken {
        try resignChain(token, from: 0, firstSigner: attackerRoot)
    }

    /// Signs blocks `start...` in order: block `start` by `firstSigner`, each later block by
    /// a fresh deterministic key named by its predecessor; replaces the proof accordingly.
    public static func resignChain(_ token: BiscuitToken, from start: Int, firstSigner: Ed25519.PrivateKey) throws -> BiscuitToken {
        var all = token.allBlocks
        guard all.indices.contains(start) else { throw ForgeError.noSuchBlock(start) }
        var signer = firstSigner
        for i in start..<all.count {
            let next = Ed25519.PrivateKey.derived(from: "forge-chain-\(Hex.encode(firstSigner.publicKey.bytes))-\(i)")
            all[i].nextKey = BiscuitPublicKey(next.publicKey)
            let previous: [UInt8]? = i == 0 ? nil : all[i - 1].signature
            all[i].signature = signer.signature(
                for: SignaturePayload.block(
                    payload: all[i].payload, nextKey: all[i].nextKey, externalSignature: all[i].externalSignature?.signature,
                    previousSignature: previous, version: all[i].signatureVersion))
            signer = next
        }
        var out = try rebuilt(token, from: all)
        out.proof = .nextSecret(signer.seed)
        return out
    }

    // MARK: - Helpers

    static func edit(_ token: BiscuitToken, block index: Int, _ change: (inout SignedBlock) -> Void) throws -> BiscuitToken {
        var out = token
        if index == 0 {
            change(&out.authority)
        } else {
            guard out.blocks.indices.contains(index - 1) else { throw ForgeError.noSuchBlock(index) }
            change(&out.blocks[index - 1])
        }
        return out
    }

    static func rebuilt(_ token: BiscuitToken, from all: [SignedBlock]) throws -> BiscuitToken {
        guard let first = all.first else { throw ForgeError.emptyToken }
        return BiscuitToken(rootKeyId: token.rootKeyId, authority: first, blocks: Array(all.dropFirst()), proof: token.proof)
    }
}

extension Forge {
    /// Flips one bit of third-party block `index`'s external signature (the third party's own).
    public static func tamperExternalSignature(_ token: BiscuitToken, block index: Int, bit: Int = 0) throws -> BiscuitToken {
        guard token.allBlocks.indices.contains(index) else { throw ForgeError.noSuchBlock(index) }
        guard let external = token.allBlocks[index].externalSignature, !external.signature.isEmpty else {
            throw ForgeError.noSuchBlock(index)
        }
        return try edit(token, block: index) { $0.externalSignature?.signature = flipBit(external.signature, byte: 0, bit: bit) }
    }

    /// Replaces block `index`'s signature bytes (e.g. with nothing, or with another block's).
    public static func replaceSignature(_ token: BiscuitToken, block index: Int, with signature: [UInt8]) throws -> BiscuitToken {
        try edit(token, block: index) { $0.signature = signature }
    }
}
