import BatonCrypto
import BiscuitSchema
import Foundation
import Testing

@testable import Biscuit

/// Hostile bytes must give an error naming what is wrong: never a crash, never a hang.
@Suite struct MalformedTokenTests {
    static let root = Ed25519.PrivateKey.derived(from: "malformed-root")
    static var rootPublic: BiscuitPublicKey { BiscuitPublicKey(root.publicKey) }

    static func validToken() throws -> BiscuitToken {
        try BiscuitToken.mint(
            authority: DatalogParser.parseBlock(#"right("file1", "read"); check if time($t), $t <= 2030-01-01T00:00:00Z;"#),
            root: root, nextKey: .derived(from: "m1")
        )
        .appending(DatalogParser.parseBlock(#"check if operation("read");"#), nextKey: .derived(from: "m2"))
    }

    @Test func everyTruncationIsRejected() throws {
        let bytes = try Self.validToken().serialized()
        for n in 0..<bytes.count {
            #expect(throws: BiscuitError.self, "truncated to \(n) bytes") {
                try BiscuitToken(bytes: Array(bytes.prefix(n)), root: Self.rootPublic)
            }
        }
    }

    @Test func everySingleBitFlipIsRejectedOrHarmless() throws {
        let token = try Self.validToken()
        let bytes = token.serialized()
        var accepted = 0
        for i in 0..<bytes.count {
            for bit in [0, 3, 7] {
                var copy = bytes
                copy[i] ^= UInt8(1 << bit)
                if let t = try? BiscuitToken(bytes: copy, root: Self.rootPublic) {
                    // Only a flip that leaves every signed byte identical may pass
                    // (e.g. inside the proof's unused high bits is impossible: the proof must match).
                    #expect(t.allBlocks == token.allBlocks, "flip at \(i) bit \(bit) changed signed content yet verified")
                    accepted += 1
                }
            }
        }
        #expect(accepted == 0, "\(accepted) bit flips verified")
    }

    @Test func garbageIsRejectedWithAFormatError() {
        for garbage: [UInt8] in [[], [0x00], [0xff, 0xff, 0xff], Array(repeating: 0x0a, count: 1000), Array(repeating: 0xff, count: 64)] {
            do {
                _ = try BiscuitToken(bytes: garbage, root: Self.rootPublic)
                Issue.record("garbage accepted: \(garbage.prefix(8))")
            } catch {
                #expect(error.referenceKind.hasPrefix("Format."), "\(error)")
            }
        }
    }

    @Test func oversizedTokenIsRefusedBeforeParsing() {
        let huge = [UInt8](repeating: 0, count: BiscuitToken.maxSerializedSize + 1)
        #expect(throws: BiscuitError.format(.deserialization("token is \(huge.count) bytes, over the \(BiscuitToken.maxSerializedSize)-byte limit")))
        {
            try BiscuitToken(bytes: huge)
        }
    }

    @Test func base64IsStrict() throws {
        let token = try Self.validToken()
        let b64 = token.base64()
        #expect(try BiscuitToken(base64: b64, root: Self.rootPublic) == token)
        #expect(try BiscuitToken(base64: b64.replacingOccurrences(of: "=", with: ""), root: Self.rootPublic) == token, "unpadded input is accepted")
        for bad in [b64.replacingOccurrences(of: "-", with: "+"), "!" + b64, String(b64.dropLast(3)) + "=A="] where bad != b64 {
            #expect(throws: BiscuitError.self) { try BiscuitToken(base64: bad, root: Self.rootPublic) }
        }
    }

    @Test func wrongKeyAndSignatureSizes() throws {
        var token = try Self.validToken()
        token.authority.signature.removeLast()
        #expect(throws: BiscuitError.format(.invalidSignatureSize(63))) { try token.verifySignatures(root: Self.rootPublic) }
        var bad = try Self.validToken()
        bad.authority.nextKey.bytes.append(0)
        #expect(throws: BiscuitError.self) { try BiscuitToken(bytes: bad.serialized(), root: Self.rootPublic) }
    }

    @Test func p256RootIsUnsupportedNotCrashing() throws {
        let token = try Self.validToken()
        let p256 = BiscuitPublicKey(algorithm: .secp256r1, bytes: [0x02] + [UInt8](repeating: 7, count: 32))
        #expect(throws: BiscuitError.self) { try token.verifySignatures(root: p256) }
        do { try token.verifySignatures(root: p256) } catch { #expect(error.code == "unsupported_algorithm") }
    }

    /// A block whose symbol table repeats a default symbol, or a symbol twice, is refused.
    @Test func repeatedSymbolsAreRejected() throws {
        for symbols in [["read"], ["x", "x"]] {
            var block = Biscuit_Format_Schema_Block()
            block.symbols = symbols
            block.version = 3
            let token = try Self.forged(authority: block)
            #expect(throws: BiscuitError.format(.symbolTableOverlap(symbols.last!))) { try token.decodedBlocks() }
        }
    }

    @Test func unknownSymbolIndexIsRejected() throws {
        var block = Biscuit_Format_Schema_Block()
        block.version = 3
        var fact = Biscuit_Format_Schema_Fact()
        fact.predicate.name = 5000
        block.facts = [fact]
        #expect(throws: BiscuitError.format(.unknownSymbol(5000))) { try Self.forged(authority: block).decodedBlocks() }
    }

    @Test func hugeSymbolTableIsRejected() throws {
        var block = Biscuit_Format_Schema_Block()
        block.version = 3
        block.symbols = (0..<50_000).map { "s\($0)" }
        let token = try Self.forged(authority: block)
        do {
            _ = try token.decodedBlocks()
            Issue.record("a token with 50,000 symbols was decoded")
        } catch {
            #expect(error.code == "deserialization", "\(error)")
        }
    }

    @Test func deeplyNestedExpressionsAreRejected() throws {
        // 10,000 closures nested inside each other, written as raw protobuf (inside out)
        // so that building the hostile input does not itself recurse.
        func wrap(_ field: UInt8, _ inner: [UInt8]) -> [UInt8] {
            var out: [UInt8] = [field << 3 | 2]
            var n = inner.count
            while n >= 0x80 { out.append(UInt8(n & 0x7f) | 0x80); n >>= 7 }
            out.append(UInt8(n))
            return out + inner
        }
        var op: [UInt8] = wrap(1, [0x30, 0x01])  // Op.value = Term.bool(true)
        for _ in 0..<10_000 { op = wrap(4, wrap(2, op)) }  // Op.closure(OpClosure.ops = [op])
        let expression = wrap(1, op)  // Expression.ops
        let rule = [0x0a, 0x02, 0x08, 0x1b] + wrap(3, expression)  // Rule.head = query, Rule.expressions
        let check = wrap(1, rule)  // Check.queries
        let payload = wrap(6, check) + [0x18, 0x06]  // Block.checks, Block.version = 6
        var token = try Self.validToken()
        token.authority.payload = payload
        #expect(throws: BiscuitError.self) { try token.decodedBlocks() }
    }

    @Test func versionOutOfRangeIsRejected() throws {
        for version: UInt32 in [0, 2, 7, 1000] {
            var block = Biscuit_Format_Schema_Block()
            block.version = version
            #expect(throws: BiscuitError.format(.unsupportedVersion(minimum: 3, maximum: 6, actual: version))) {
                try Self.forged(authority: block).decodedBlocks()
            }
        }
    }

    /// A token whose authority block is the given protobuf, properly signed.
    static func forged(authority block: Biscuit_Format_Schema_Block) throws -> BiscuitToken {
        let payload: [UInt8] = try block.serializedBytes()
        let next = Ed25519.PrivateKey.derived(from: "forged-next")
        let nextKey = BiscuitPublicKey(next.publicKey)
        let signature = root.signature(
            for: SignaturePayload.block(payload: payload, nextKey: nextKey, externalSignature: nil, previousSignature: nil, version: 0))
        return BiscuitToken(
            authority: SignedBlock(payload: payload, nextKey: nextKey, signature: signature), blocks: [], proof: .nextSecret(next.seed))
    }
}
