import BatonCrypto
import BiscuitSchema
import SwiftProtobuf

/// A Biscuit token: an authority block and attenuation blocks, each signed by
/// the key the previous block named, plus the proof.
///
/// Decoding (`init(bytes:)`) only parses; `verifySignatures(root:)` checks the
/// chain. `init(bytes:root:)` does both and is what verifiers should use.
public struct BiscuitToken: Hashable, Sendable {
    /// Optional hint telling the verifier which root key to use.
    public var rootKeyId: UInt32?
    /// Block 0, signed by the root key.
    public var authority: SignedBlock
    /// The attenuation blocks, in order.
    public var blocks: [SignedBlock]
    /// The secret for appending a block, or the seal.
    public var proof: Proof

    /// Tokens larger than this are refused before parsing.
    public static let maxSerializedSize = 1 << 20
    /// More symbols than this in one token is refused (honest tokens carry a few dozen).
    public static let maxSymbols = 4096

    /// A token from its parts; nothing is checked (use ``verifySignatures(root:)``).
    public init(rootKeyId: UInt32? = nil, authority: SignedBlock, blocks: [SignedBlock], proof: Proof) {
        self.rootKeyId = rootKeyId
        self.authority = authority
        self.blocks = blocks
        self.proof = proof
    }

    /// Parses a token without verifying any signature.
    public init(bytes: [UInt8]) throws(BiscuitError) {
        guard bytes.count <= BiscuitToken.maxSerializedSize else {
            throw .format(.deserialization("token is \(bytes.count) bytes, over the \(BiscuitToken.maxSerializedSize)-byte limit"))
        }
        // Well-formed tokens are read without SwiftProtobuf; anything else
        // (including every error) takes the SwiftProtobuf path below.
        if let token = try? FastTokenParser.parse(bytes) {
            self = token
            return
        }
        try self.init(protobuf: bytes)
    }

    /// ``init(bytes:)`` through SwiftProtobuf (the size limit already checked).
    init(protobuf bytes: [UInt8]) throws(BiscuitError) {
        let message: Biscuit_Format_Schema_Biscuit
        do {
            var options = BinaryDecodingOptions()
            options.messageDepthLimit = 64
            message = try Biscuit_Format_Schema_Biscuit(serializedBytes: bytes, options: options)
        } catch {
            throw .format(.deserialization("not a Biscuit protobuf: \(error)"))
        }
        guard !message.authority.hasExternalSignature else {
            throw .format(.deserialization("the authority block must not contain an external signature"))
        }
        authority = try BiscuitToken.signedBlock(message.authority)
        blocks = []
        for b in message.blocks {
            let block = try BiscuitToken.signedBlock(b)
            if block.externalSignature != nil && block.signatureVersion != 1 {
                throw .format(.deserialization("Unsupported third party block version"))
            }
            blocks.append(block)
        }
        rootKeyId = message.hasRootKeyID ? message.rootKeyID : nil
        switch message.proof.content {
        case let .nextSecret(s): proof = .nextSecret(Array(s))
        case let .finalSignature(s): proof = .finalSignature(Array(s))
        case nil: throw .format(.deserialization("could not find proof"))
        }
    }

    /// Parses and verifies a token against a root public key.
    public init(bytes: [UInt8], root: BiscuitPublicKey) throws(BiscuitError) {
        try self.init(bytes: bytes)
        try verifySignatures(root: root)
    }

    /// Parses URL-safe base64 (padded or not) and verifies.
    public init(base64: String, root: BiscuitPublicKey) throws(BiscuitError) {
        try self.init(bytes: BiscuitToken.decodeBase64(base64), root: root)
    }

    /// Decodes URL-safe base64, mapping errors to `FormatError.invalidEncoding`.
    public static func decodeBase64(_ text: String) throws(BiscuitError) -> [UInt8] {
        if let bytes = FastTokenParser.decodeBase64(text) { return bytes }
        do { return try Base64URL.decode(text.trimmingWhitespace()) } catch {
            throw .format(.invalidEncoding("\(error)"))
        }
    }

    private static func signedBlock(_ b: Biscuit_Format_Schema_SignedBlock) throws(BiscuitError) -> SignedBlock {
        var external: ExternalSignature?
        if b.hasExternalSignature {
            external = ExternalSignature(
                publicKey: try BlockDecoder.publicKey(b.externalSignature.publicKey),
                signature: Array(b.externalSignature.signature))
        }
        return SignedBlock(
            payload: Array(b.block),
            nextKey: try BlockDecoder.publicKey(b.nextKey),
            signature: Array(b.signature),
            externalSignature: external,
            signatureVersion: b.hasVersion ? b.version : 0)
    }

    // MARK: - Serialisation

    /// The protobuf encoding.
    public func serialized() -> [UInt8] {
        var message = Biscuit_Format_Schema_Biscuit()
        if let rootKeyId { message.rootKeyID = rootKeyId }
        message.authority = BiscuitToken.wire(authority)
        message.blocks = blocks.map(BiscuitToken.wire)
        var proofMessage = Biscuit_Format_Schema_Proof()
        switch proof {
        case let .nextSecret(s): proofMessage.nextSecret = .init(s)
        case let .finalSignature(s): proofMessage.finalSignature = .init(s)
        }
        message.proof = proofMessage
        // Every required field is set above, so encoding cannot fail.
        return (try? message.serializedBytes()) ?? []
    }

    /// URL-safe base64 with padding, as the reference writes it.
    public func base64() -> String { Base64URL.encode(serialized()) }

    private static func wire(_ b: SignedBlock) -> Biscuit_Format_Schema_SignedBlock {
        var out = Biscuit_Format_Schema_SignedBlock()
        out.block = .init(b.payload)
        out.nextKey = BlockEncoder.publicKey(b.nextKey)
        out.signature = .init(b.signature)
        if let e = b.externalSignature {
            var x = Biscuit_Format_Schema_ExternalSignature()
            x.signature = .init(e.signature)
            x.publicKey = BlockEncoder.publicKey(e.publicKey)
            out.externalSignature = x
        }
        if b.signatureVersion > 0 { out.version = b.signatureVersion }
        return out
    }

    // MARK: - Accessors

    /// Authority first, then the attenuation blocks.
    public var allBlocks: [SignedBlock] { [authority] + blocks }
    /// The number of blocks, authority included.
    public var blockCount: Int { 1 + blocks.count }
    /// Whether the token is sealed (its proof is a final signature).
    public var isSealed: Bool { if case .finalSignature = proof { return true } else { return false } }

    /// One revocation identifier per block: the block's signature.
    public var revocationIds: [[UInt8]] { allBlocks.map(\.signature) }

    // MARK: - Signatures

    /// Checks every signature from the root key to the proof.
    public func verifySignatures(root: BiscuitPublicKey) throws(BiscuitError) {
        var currentKey = root
        var previousSignature: [UInt8]? = nil
        for block in allBlocks {
            try BiscuitToken.checkSupported(block.signatureVersion)
            let payload = SignaturePayload.block(
                payload: block.payload, nextKey: block.nextKey,
                externalSignature: block.externalSignature?.signature,
                previousSignature: previousSignature, version: block.signatureVersion)
            try BiscuitToken.verify(block.signature, of: payload, with: currentKey)
            if let external = block.externalSignature, let previousSignature {
                let externalPayload = SignaturePayload.external(payload: block.payload, previousSignature: previousSignature)
                try BiscuitToken.verify(external.signature, of: externalPayload, with: external.publicKey)
            }
            currentKey = block.nextKey
            previousSignature = block.signature
        }
        switch proof {
        case let .nextSecret(secret):
            guard currentKey.algorithm == .ed25519 else { throw .format(.unsupportedAlgorithm("secp256r1")) }
            guard let key = try? Ed25519.PrivateKey(seed: secret) else { throw .format(.invalidKeySize(secret.count)) }
            guard key.publicKey.bytes == currentKey.bytes else {
                throw .format(.invalidSignature("the last public key does not match the private key"))
            }
        case let .finalSignature(signature):
            let last = blocks.last ?? authority
            try BiscuitToken.verify(signature, of: SignaturePayload.seal(lastBlock: last), with: currentKey)
        }
    }

    static func checkSupported(_ version: UInt32) throws(BiscuitError) {
        guard version <= 1 else { throw .format(.deserialization("unsupported block version: \(version)")) }
    }

    static func verify(_ signature: [UInt8], of message: [UInt8], with key: BiscuitPublicKey) throws(BiscuitError) {
        guard key.algorithm == .ed25519 else {
            throw .format(.unsupportedAlgorithm("secp256r1 (P-256) signatures are not supported by the libsodium backend"))
        }
        guard signature.count == Ed25519.signatureLength else { throw .format(.invalidSignatureSize(signature.count)) }
        guard let pk = try? Ed25519.PublicKey(bytes: key.bytes) else { throw .format(.invalidKeySize(key.bytes.count)) }
        guard pk.isValidSignature(signature, for: message) else {
            throw .format(.invalidSignature("signature error: Verification equation was not satisfied"))
        }
    }

    // MARK: - Datalog

    /// Decodes every block's Datalog, resolving symbols with the token-wide table
    /// (first-party blocks) or the block's own table (third-party blocks).
    public func decodedBlocks() throws(BiscuitError) -> [DecodedBlock] {
        // Well-formed blocks are read without SwiftProtobuf; anything else
        // (including every error) takes the SwiftProtobuf path below.
        if let blocks = try? fastDecodedBlocks() { return blocks }
        return try protobufDecodedBlocks()
    }

    /// ``decodedBlocks()`` through SwiftProtobuf.
    func protobufDecodedBlocks() throws(BiscuitError) -> [DecodedBlock] {
        let protos = try allBlocks.map { (b) throws(BiscuitError) in try BiscuitToken.blockMessage(b.payload) }
        let symbolCount = protos.reduce(0) { $0 + $1.symbols.count }
        guard symbolCount <= BiscuitToken.maxSymbols else {
            throw .format(.deserialization("the token defines \(symbolCount) symbols, over the limit of \(BiscuitToken.maxSymbols)"))
        }
        var symbols = SymbolTable()
        var keys = PublicKeyTable()
        for (i, (proto, signed)) in zip(protos, allBlocks).enumerated() where i == 0 || signed.externalSignature == nil {
            try symbols.append(contentsOf: proto.symbols)
            try keys.append(contentsOf: proto.publicKeys.map { (k) throws(BiscuitError) in try BlockDecoder.publicKey(k) })
        }
        var out: [DecodedBlock] = []
        for (i, (proto, signed)) in zip(protos, allBlocks).enumerated() {
            if i > 0, let external = signed.externalSignature {
                var ownKeys = PublicKeyTable()
                try ownKeys.append(contentsOf: proto.publicKeys.map { (k) throws(BiscuitError) in try BlockDecoder.publicKey(k) })
                let decoder = BlockDecoder(symbols: try SymbolTable(symbols: proto.symbols), publicKeys: ownKeys)
                out.append(try decoder.decode(proto, externalKey: external.publicKey))
            } else {
                out.append(try BlockDecoder(symbols: symbols, publicKeys: keys).decode(proto, externalKey: nil))
            }
        }
        return out
    }

    /// ``decodedBlocks()`` without SwiftProtobuf; bails on anything unusual.
    func fastDecodedBlocks() throws(WireReader.Bail) -> [DecodedBlock] {
        let all = allBlocks
        var headers: [FastBlockDecoder.Header] = []
        headers.reserveCapacity(all.count)
        for b in all { headers.append(try FastBlockDecoder.header(b.payload)) }
        let symbolCount = headers.reduce(0) { $0 + $1.symbols.count }
        guard symbolCount <= BiscuitToken.maxSymbols else { throw WireReader.Bail() }
        var symbols = SymbolTable()
        var keys = PublicKeyTable()
        do {
            for (i, (header, signed)) in zip(headers, all).enumerated() where i == 0 || signed.externalSignature == nil {
                try symbols.append(contentsOf: header.symbols)
                try keys.append(contentsOf: header.publicKeys)
            }
        } catch { throw WireReader.Bail() }
        let shared = FastBlockDecoder(symbols: symbols, publicKeys: keys)
        var out: [DecodedBlock] = []
        out.reserveCapacity(all.count)
        for (i, (header, signed)) in zip(headers, all).enumerated() {
            if i > 0, let external = signed.externalSignature {
                let own: FastBlockDecoder
                do {
                    var ownKeys = PublicKeyTable()
                    try ownKeys.append(contentsOf: header.publicKeys)
                    own = FastBlockDecoder(symbols: try SymbolTable(symbols: header.symbols), publicKeys: ownKeys)
                } catch { throw WireReader.Bail() }
                out.append(try own.decode(signed.payload, header: header, externalKey: external.publicKey))
            } else {
                out.append(try shared.decode(signed.payload, header: header, externalKey: nil))
            }
        }
        return out
    }

    static func blockMessage(_ payload: [UInt8]) throws(BiscuitError) -> Biscuit_Format_Schema_Block {
        do {
            var options = BinaryDecodingOptions()
            options.messageDepthLimit = 128
            return try Biscuit_Format_Schema_Block(serializedBytes: payload, options: options)
        } catch {
            throw .format(.blockDeserialization("error deserializing block: \(error)"))
        }
    }

    /// The token-wide symbol and key tables from the first-party blocks before
    /// block `end` (all blocks when nil), as a new block at that position sees them.
    func tables(before end: Int? = nil) throws(BiscuitError) -> (SymbolTable, PublicKeyTable) {
        var symbols = SymbolTable()
        var keys = PublicKeyTable()
        for (i, signed) in allBlocks.prefix(end ?? blockCount).enumerated() where i == 0 || signed.externalSignature == nil {
            let proto = try BiscuitToken.blockMessage(signed.payload)
            try symbols.append(contentsOf: proto.symbols)
            try keys.append(contentsOf: proto.publicKeys.map { (k) throws(BiscuitError) in try BlockDecoder.publicKey(k) })
        }
        return (symbols, keys)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
