import BatonCrypto

/// One block as carried on the wire: its serialized Datalog and the signature
/// that chains it to the previous block.
public struct SignedBlock: Hashable, Sendable {
    /// The serialized `Block` protobuf; this is what is signed.
    public var payload: [UInt8]
    /// The key that must sign the next block (or the seal).
    public var nextKey: BiscuitPublicKey
    /// Signature by the previous block's next key (the root key for the authority block).
    public var signature: [UInt8]
    /// For third-party blocks, the third party's signature.
    public var externalSignature: ExternalSignature?
    /// Signature payload format: 0 (legacy) or 1.
    public var signatureVersion: UInt32

    /// A block from its parts; nothing is checked.
    public init(
        payload: [UInt8], nextKey: BiscuitPublicKey, signature: [UInt8], externalSignature: ExternalSignature? = nil, signatureVersion: UInt32 = 0
    ) {
        self.payload = payload
        self.nextKey = nextKey
        self.signature = signature
        self.externalSignature = externalSignature
        self.signatureVersion = signatureVersion
    }
}

/// A third party's signature over a block, made with its own key.
public struct ExternalSignature: Hashable, Sendable {
    /// The third party's public key.
    public var publicKey: BiscuitPublicKey
    /// The third party's signature.
    public var signature: [UInt8]

    /// A signature by `publicKey`.
    public init(publicKey: BiscuitPublicKey, signature: [UInt8]) {
        self.publicKey = publicKey
        self.signature = signature
    }
}

/// The last element of a token: either the secret that lets its holder append
/// a block, or a final signature that seals it.
public enum Proof: Hashable, Sendable {
    /// The private key matching the last block's next key: whoever holds it may append a block.
    case nextSecret([UInt8])
    /// A signature by that private key over the last block, which seals the token.
    case finalSignature([UInt8])
}
