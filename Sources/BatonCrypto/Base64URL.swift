/// URL-safe base64 (RFC 4648 §5). Encodes with or without padding; decodes
/// padded and unpadded input and rejects everything else (standard-alphabet
/// `+` and `/`, whitespace, misplaced `=`, impossible lengths, non-zero trailing bits).
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    public static func encode(_ bytes: [UInt8], padded: Bool = true) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)]); out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
            if padded { out.append(UInt8(ascii: "=")); out.append(UInt8(ascii: "=")) }
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(alphabet[Int(n >> 18 & 63)]); out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            if padded { out.append(UInt8(ascii: "=")) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: String) throws -> [UInt8] {
        var chars = Array(text.utf8)
        // Strip padding, checking it is well formed.
        var padding = 0
        while let last = chars.last, last == UInt8(ascii: "=") {
            chars.removeLast(); padding += 1
        }
        if padding > 0 {
            guard padding <= 2, (chars.count + padding) % 4 == 0 else {
                throw CryptoError.invalidBase64("bad padding")
            }
        }
        guard chars.count % 4 != 1 else { throw CryptoError.invalidBase64("impossible length \(text.utf8.count)") }
        var out = [UInt8]()
        out.reserveCapacity(chars.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for (offset, c) in chars.enumerated() {
            let v = reverse[Int(c)]
            guard v != 0xff else {
                let shown = c >= 0x20 && c < 0x7f ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(Hex.encode([c]))"
                throw CryptoError.invalidBase64("\(shown) at offset \(offset) is not in the URL-safe alphabet")
            }
            acc = acc << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                acc &= (1 << UInt32(bits)) - 1
            }
        }
        guard acc == 0 else { throw CryptoError.invalidBase64("non-zero trailing bits") }
        return out
    }
}
