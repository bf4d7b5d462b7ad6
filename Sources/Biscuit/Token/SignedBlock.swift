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
    public var publicKey: BiscuitPublicKey
    public var signature: [UInt8]

    public init(publicKey: BiscuitPublicKey, signature: [UInt8]) {
        self.publicKey = publicKey
        self.signature = signature
    }
}

/// The last element of a token: either the secret that lets its holder append
/// a block, or a final signature that seals it.
public enum Proof: Hashable, Sendable {
    case nextSecret([UInt8])
    case finalSignature([UInt8])
}
