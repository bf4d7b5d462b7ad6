import BatonCrypto

/// Strict base64url as required by RFC 7515 §2: URL-safe alphabet only, no padding,
/// no whitespace, no line breaks, canonical trailing bits.
public enum StrictBase64URL {
    /// Encodes without padding.
    public static func encode(_ bytes: [UInt8]) -> String { Base64URL.encode(bytes, padded: false) }

    /// Decodes unpadded base64url; `what` names the segment in error messages.
    public static func decode(_ text: Substring, what: String) throws -> [UInt8] {
        for (i, c) in text.utf8.enumerated() {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                continue
            case UInt8(ascii: "="):
                throw JOSEError.invalidBase64("\(what): padding '=' is not allowed (offset \(i))")
            default:
                throw JOSEError.invalidBase64("\(what): byte 0x\(Hex.encode([c])) at offset \(i) is not in the base64url alphabet")
            }
        }
        do {
            return try Base64URL.decode(String(text))
        } catch {
            throw JOSEError.invalidBase64("\(what): \(error)")
        }
    }

    /// Decodes strict base64url `text`; `what` names the field in the error thrown on bad input.
    public static func decode(_ text: String, what: String) throws -> [UInt8] {
        try decode(Substring(text), what: what)
    }
}
