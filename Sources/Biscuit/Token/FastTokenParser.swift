/// Fast path for ``BiscuitToken/init(bytes:)``: reads the outer `Biscuit`
/// message without SwiftProtobuf. Like ``FastBlockDecoder`` it throws
/// ``WireReader/Bail`` on anything it does not fully handle (including every
/// error), and the caller then parses with SwiftProtobuf, so results and
/// errors are unchanged.
enum FastTokenParser {
    typealias Bail = WireReader.Bail

    static func parse(_ bytes: [UInt8]) throws(Bail) -> BiscuitToken {
        try bytes.withUnsafeBufferPointer { (buffer) throws(Bail) -> BiscuitToken in
            var r = WireReader(buffer)
            var rootKeyId: UInt32?
            var authority: SignedBlock?
            var blocks: [SignedBlock] = []
            var proof: Proof?
            var proofSeen = false
            while !r.isAtEnd {
                let (number, type) = try r.field()
                switch number {
                case 1:
                    try type.expect(.varint)
                    guard rootKeyId == nil else { throw Bail() }
                    rootKeyId = try r.uint32()
                case 2:
                    try type.expect(.lengthDelimited)
                    guard authority == nil else { throw Bail() }
                    var m = try r.message()
                    let block = try signedBlock(&m)
                    // The authority block must not carry an external signature.
                    guard block.externalSignature == nil else { throw Bail() }
                    authority = block
                case 3:
                    try type.expect(.lengthDelimited)
                    var m = try r.message()
                    let block = try signedBlock(&m)
                    if block.externalSignature != nil && block.signatureVersion != 1 { throw Bail() }
                    blocks.append(block)
                case 4:
                    try type.expect(.lengthDelimited)
                    guard !proofSeen else { throw Bail() }
                    proofSeen = true
                    var m = try r.message()
                    proof = try proofMessage(&m)
                default: throw Bail()
                }
            }
            guard let authority, let proof else { throw Bail() }
            return BiscuitToken(rootKeyId: rootKeyId, authority: authority, blocks: blocks, proof: proof)
        }
    }

    private static func signedBlock(_ r: inout WireReader) throws(Bail) -> SignedBlock {
        var payload: [UInt8]?
        var nextKey: BiscuitPublicKey?
        var signature: [UInt8]?
        var external: ExternalSignature?
        var version: UInt32?
        while !r.isAtEnd {
            let (number, type) = try r.field()
            try type.expect(number == 5 ? .varint : .lengthDelimited)
            switch number {
            case 1:
                guard payload == nil else { throw Bail() }
                payload = try r.bytes()
            case 2:
                guard nextKey == nil else { throw Bail() }
                var m = try r.message()
                nextKey = try FastBlockDecoder.publicKey(&m)
            case 3:
                guard signature == nil else { throw Bail() }
                signature = try r.bytes()
            case 4:
                guard external == nil else { throw Bail() }
                var m = try r.message()
                external = try externalSignature(&m)
            case 5:
                guard version == nil else { throw Bail() }
                version = try r.uint32()
            default: throw Bail()
            }
        }
        guard let payload, let nextKey, let signature else { throw Bail() }
        return SignedBlock(
            payload: payload, nextKey: nextKey, signature: signature,
            externalSignature: external, signatureVersion: version ?? 0)
    }

    private static func externalSignature(_ r: inout WireReader) throws(Bail) -> ExternalSignature {
        var signature: [UInt8]?
        var key: BiscuitPublicKey?
        while !r.isAtEnd {
            let (number, type) = try r.field()
            try type.expect(.lengthDelimited)
            switch number {
            case 1:
                guard signature == nil else { throw Bail() }
                signature = try r.bytes()
            case 2:
                guard key == nil else { throw Bail() }
                var m = try r.message()
                key = try FastBlockDecoder.publicKey(&m)
            default: throw Bail()
            }
        }
        guard let signature, let key else { throw Bail() }
        return ExternalSignature(publicKey: key, signature: signature)
    }

    private static func proofMessage(_ r: inout WireReader) throws(Bail) -> Proof {
        var proof: Proof?
        while !r.isAtEnd {
            let (number, type) = try r.field()
            try type.expect(.lengthDelimited)
            guard proof == nil else { throw Bail() }
            switch number {
            case 1: proof = .nextSecret(try r.bytes())
            case 2: proof = .finalSignature(try r.bytes())
            default: throw Bail()
            }
        }
        guard let proof else { throw Bail() }
        return proof
    }

    /// Fast path for ``BiscuitToken/decodeBase64(_:)``: URL-safe base64 of
    /// ASCII text with no surrounding white space. Returns nil for anything
    /// else (including every invalid input), which the caller then decodes
    /// with `Base64URL` to get the same bytes or the same error.
    static func decodeBase64(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { (chars) -> [UInt8]? in
            var n = chars.count
            guard n > 0 else { return nil }
            // Leading or trailing white space is trimmed by the slow path.
            if isSpace(chars[0]) || isSpace(chars[n - 1]) { return nil }
            var padding = 0
            while n > 0, chars[n - 1] == UInt8(ascii: "=") { n -= 1; padding += 1 }
            if padding > 0 {
                guard padding <= 2, (n + padding) % 4 == 0 else { return nil }
            }
            guard n % 4 != 1 else { return nil }
            var out = [UInt8](repeating: 0, count: n / 4 * 3 + max(0, n % 4 - 1))
            let ok = reverse.withUnsafeBufferPointer { reverse in
                out.withUnsafeMutableBufferPointer { (dst) -> Bool in
                    var acc: UInt32 = 0
                    var bits = 0
                    var o = 0
                    for i in 0..<n {
                        let v = reverse[Int(chars[i])]
                        if v == 0xff { return false }
                        acc = acc << 6 | UInt32(v)
                        bits += 6
                        if bits >= 8 {
                            bits -= 8
                            dst[o] = UInt8(truncatingIfNeeded: acc >> UInt32(bits))
                            o += 1
                            acc &= (1 << UInt32(bits)) - 1
                        }
                    }
                    return acc == 0 && o == dst.count
                }
            }
            return ok ? out : nil
        }
    }

    @inline(__always)
    private static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || (0x09...0x0d).contains(c) || c >= 0x80
    }

    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8.enumerated() {
            table[Int(c)] = UInt8(i)
        }
        return table
    }()
}
