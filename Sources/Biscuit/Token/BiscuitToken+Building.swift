import BatonCrypto
import BiscuitSchema

/// Minting and attenuating tokens the way the reference implementation does,
/// so that the same keys and Datalog give the same bytes.
extension BiscuitToken {
    /// Creates a token whose authority block holds `authority`, signed by `root`.
    /// - Parameters:
    ///   - authority: The Datalog of block 0.
    ///   - context: The block's free-form context string, if any.
    ///   - root: The root private key; verifiers hold its public key.
    ///   - nextKey: The key for the next block; pass a seeded key for reproducible tokens.
    ///   - rootKeyId: A hint telling verifiers which root key to use.
    public static func mint(
        authority: BlockSource, context: String? = nil, root: Ed25519.PrivateKey,
        nextKey: Ed25519.PrivateKey = .random(), rootKeyId: UInt32? = nil
    ) throws(BiscuitError) -> BiscuitToken {
        var encoder = BlockEncoder(symbols: SymbolTable(), publicKeys: PublicKeyTable())
        let block = try encoder.encode(authority, context: context)
        let payload = try serialize(block)
        let next = BiscuitPublicKey(nextKey.publicKey)
        let version: UInt32 = block.version >= DatalogVersion.v3_3 ? 1 : 0
        let signature = root.signature(
            for: SignaturePayload.block(
                payload: payload, nextKey: next, externalSignature: nil, previousSignature: nil, version: version))
        return BiscuitToken(
            rootKeyId: rootKeyId,
            authority: SignedBlock(payload: payload, nextKey: next, signature: signature, signatureVersion: version),
            blocks: [],
            proof: .nextSecret(nextKey.seed))
    }

    /// Appends a first-party block, signed with the token's proof secret.
    public func appending(_ source: BlockSource, context: String? = nil, nextKey: Ed25519.PrivateKey = .random()) throws(BiscuitError) -> BiscuitToken
    {
        let (symbols, keys) = try tables()
        var encoder = BlockEncoder(symbols: symbols, publicKeys: keys)
        let block = try encoder.encode(source, context: context)
        return try appendingSigned(payload: BiscuitToken.serialize(block), blockVersion: block.version, external: nil, nextKey: nextKey)
    }

    /// The serialized block that `source` becomes at position `index` of this token
    /// (appended after the last block when nil), interned with the symbols the
    /// earlier blocks defined. Used to forge and to compare encodings.
    public func encodedPayload(for source: BlockSource, context: String? = nil, replacingBlock index: Int? = nil) throws(BiscuitError) -> [UInt8] {
        let (symbols, keys) = try tables(before: index)
        var encoder = BlockEncoder(symbols: symbols, publicKeys: keys)
        return try BiscuitToken.serialize(encoder.encode(source, context: context))
    }

    /// Seals the token: replaces the proof secret by a final signature, so no block can be added.
    public func sealed() throws(BiscuitError) -> BiscuitToken {
        let key = try proofKey()
        var copy = self
        copy.proof = .finalSignature(key.signature(for: SignaturePayload.seal(lastBlock: blocks.last ?? authority)))
        return copy
    }

    /// What a third party needs to sign a block for this token: the last block's signature.
    public var thirdPartyRequest: ThirdPartyRequest {
        ThirdPartyRequest(previousSignature: (blocks.last ?? authority).signature)
    }

    /// Appends a block signed by a third party (see `ThirdPartyRequest.sign`).
    public func appendingThirdParty(_ contents: ThirdPartyBlock, expectedSigner: BiscuitPublicKey? = nil, nextKey: Ed25519.PrivateKey = .random())
        throws(BiscuitError) -> BiscuitToken
    {
        if let expectedSigner, expectedSigner != contents.externalSignature.publicKey {
            throw .format(.deserialization("unexpected third-party key \(contents.externalSignature.publicKey.text)"))
        }
        let previous = (blocks.last ?? authority).signature
        try BiscuitToken.verify(
            contents.externalSignature.signature,
            of: SignaturePayload.external(payload: contents.payload, previousSignature: previous),
            with: contents.externalSignature.publicKey)
        let block = try BiscuitToken.blockMessage(contents.payload)
        return try appendingSigned(payload: contents.payload, blockVersion: block.version, external: contents.externalSignature, nextKey: nextKey)
    }

    /// The signing key held in the proof.
    func proofKey() throws(BiscuitError) -> Ed25519.PrivateKey {
        guard case let .nextSecret(secret) = proof else { throw .alreadySealed }
        guard let key = try? Ed25519.PrivateKey(seed: secret) else { throw .format(.invalidKeySize(secret.count)) }
        return key
    }

    func appendingSigned(payload: [UInt8], blockVersion: UInt32, external: ExternalSignature?, nextKey: Ed25519.PrivateKey) throws(BiscuitError)
        -> BiscuitToken
    {
        let key = try proofKey()
        let next = BiscuitPublicKey(nextKey.publicKey)
        let version: UInt32
        if external != nil || blockVersion >= DatalogVersion.v3_3 {
            version = 1
        } else {
            version = allBlocks.map(\.signatureVersion).max() ?? 0
        }
        let previous = (blocks.last ?? authority).signature
        let signature = key.signature(
            for: SignaturePayload.block(
                payload: payload, nextKey: next, externalSignature: external?.signature,
                previousSignature: previous, version: version))
        var copy = self
        copy.blocks.append(SignedBlock(payload: payload, nextKey: next, signature: signature, externalSignature: external, signatureVersion: version))
        copy.proof = .nextSecret(nextKey.seed)
        return copy
    }

    static func serialize(_ block: Biscuit_Format_Schema_Block) throws(BiscuitError) -> [UInt8] {
        do { return try block.serializedBytes() } catch {
            throw .format(.blockDeserialization("cannot serialize block: \(error)"))
        }
    }
}

/// A holder's request to a third party: the signature its block must be bound to.
public struct ThirdPartyRequest: Hashable, Sendable {
    /// The signature of the token's last block, which the third party's signature covers.
    public var previousSignature: [UInt8]

    /// A request to sign a block that follows the block with `previousSignature`.
    public init(previousSignature: [UInt8]) { self.previousSignature = previousSignature }

    /// The third party's side: encodes `source` with its own symbol table (Datalog ≥ 3.2) and signs it.
    public func sign(_ source: BlockSource, context: String? = nil, with key: Ed25519.PrivateKey) throws(BiscuitError) -> ThirdPartyBlock {
        var encoder = BlockEncoder(symbols: SymbolTable(), publicKeys: PublicKeyTable())
        let block = try encoder.encode(source, context: context, minimumVersion: DatalogVersion.v3_2)
        let payload = try BiscuitToken.serialize(block)
        let signature = key.signature(for: SignaturePayload.external(payload: payload, previousSignature: previousSignature))
        return ThirdPartyBlock(
            payload: payload, externalSignature: ExternalSignature(publicKey: BiscuitPublicKey(key.publicKey), signature: signature))
    }
}

/// A block signed by a third party, ready to be appended by the holder.
public struct ThirdPartyBlock: Hashable, Sendable {
    /// The serialized `Block` protobuf, encoded with the third party's own symbol table.
    public var payload: [UInt8]
    /// The third party's key and its signature over the payload and the previous signature.
    public var externalSignature: ExternalSignature

    /// A third-party block from its parts.
    public init(payload: [UInt8], externalSignature: ExternalSignature) {
        self.payload = payload
        self.externalSignature = externalSignature
    }
}
