/// The byte strings that Biscuit signs, for both signature payload versions.
///
/// Version 0 signs the block followed by the next key's algorithm (little-endian
/// i32) and bytes. Version 1 adds labelled separators, the previous block's
/// signature and the external signature, so that blocks cannot be lifted from
/// one token into another.
public enum SignaturePayload {
    /// The payload for a block's own signature.
    public static func block(
        payload: [UInt8], nextKey: BiscuitPublicKey, externalSignature: [UInt8]?,
        previousSignature: [UInt8]?, version: UInt32
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 200)
        if version == 0 {
            out += payload
            if let externalSignature { out += externalSignature }
            append(algorithm: nextKey.algorithm, to: &out)
            out += nextKey.bytes
            return out
        }
        out += label("\0BLOCK\0\0VERSION\0")
        append(u32: version, to: &out)
        out += label("\0PAYLOAD\0")
        out += payload
        out += label("\0ALGORITHM\0")
        append(algorithm: nextKey.algorithm, to: &out)
        out += label("\0NEXTKEY\0")
        out += nextKey.bytes
        // The authority block has no previous signature.
        if let previousSignature {
            out += label("\0PREVSIG\0")
            out += previousSignature
            if let externalSignature {
                out += label("\0EXTERNALSIG\0")
                out += externalSignature
            }
        }
        return out
    }

    /// The payload a third party signs (always version 1): binds the block to the previous signature.
    public static func external(payload: [UInt8], previousSignature: [UInt8], version: UInt32 = 1) -> [UInt8] {
        var out = Array(label("\0EXTERNAL\0\0VERSION\0"))
        append(u32: version, to: &out)
        out += label("\0PAYLOAD\0")
        out += payload
        out += label("\0PREVSIG\0")
        out += previousSignature
        return out
    }

    /// The payload of a sealed token's final signature: the last block, its next key and its signature.
    public static func seal(lastBlock: SignedBlock) -> [UInt8] {
        var out = lastBlock.payload
        append(algorithm: lastBlock.nextKey.algorithm, to: &out)
        out += lastBlock.nextKey.bytes
        out += lastBlock.signature
        return out
    }

    private static func label(_ s: StaticString) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)
    }

    private static func append(u32 v: UInt32, to out: inout [UInt8]) {
        out.append(UInt8(v & 0xff))
        out.append(UInt8(v >> 8 & 0xff))
        out.append(UInt8(v >> 16 & 0xff))
        out.append(UInt8(v >> 24 & 0xff))
    }

    private static func append(algorithm: BiscuitPublicKey.Algorithm, to out: inout [UInt8]) {
        append(u32: UInt32(algorithm.rawValue), to: &out)
    }
}
