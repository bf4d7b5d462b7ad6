import BatonCrypto

/// Standard-alphabet base64 with padding (RFC 4648 §4), as used in PEM bodies.
public enum StandardBase64 {
    /// Encodes `bytes` with the standard alphabet and `=` padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        String(
            Base64URL.encode(bytes, padded: true).map { c -> Character in
                switch c {
                case "-": return "+"
                case "_": return "/"
                default: return c
                }
            })
    }

    /// Decodes padded standard base64; rejects the URL-safe alphabet and missing padding.
    public static func decode(_ text: String) throws -> [UInt8] {
        guard text.utf8.count % 4 == 0 else { throw JOSEError.invalidPEM("base64 length is not a multiple of 4") }
        var mapped = ""
        mapped.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "-", "_": throw JOSEError.invalidPEM("URL-safe base64 character in PEM body")
            case "+": mapped.append("-")
            case "/": mapped.append("_")
            default: mapped.append(c)
            }
        }
        do { return try Base64URL.decode(mapped) } catch { throw JOSEError.invalidPEM("bad base64 body") }
    }
}
