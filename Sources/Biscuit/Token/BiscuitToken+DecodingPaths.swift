/// The two decoders behind ``BiscuitToken/init(bytes:)`` and
/// ``BiscuitToken/decodedBlocks()``, one at a time, so that fuzz targets and
/// equivalence checks outside this module can compare them.
///
/// Not part of the stable API: import with `@_spi(DecodingPaths) import Biscuit`.
@_spi(DecodingPaths)
extension BiscuitToken {
    /// The hand-written fast parser alone; nil whenever it bails (which it does on
    /// every error and on anything unusual, leaving the decision to SwiftProtobuf).
    public static func fastPathParse(_ bytes: [UInt8]) -> BiscuitToken? {
        try? FastTokenParser.parse(bytes)
    }

    /// The SwiftProtobuf parser alone (no size check: callers bound the input).
    public static func protobufPathParse(_ bytes: [UInt8]) -> Result<BiscuitToken, BiscuitError> {
        Result { () throws(BiscuitError) in try BiscuitToken(protobuf: bytes) }
    }

    /// The hand-written block decoder alone; nil whenever it bails.
    public func fastPathDecodedBlocks() -> [DecodedBlock]? {
        try? fastDecodedBlocks()
    }

    /// The SwiftProtobuf block decoder alone.
    public func protobufPathDecodedBlocks() -> Result<[DecodedBlock], BiscuitError> {
        Result { () throws(BiscuitError) in try protobufDecodedBlocks() }
    }

    /// The fast URL-safe base64 decoder alone; nil for anything it does not handle.
    public static func fastPathDecodeBase64(_ text: String) -> [UInt8]? {
        FastTokenParser.decodeBase64(text)
    }
}
