import BatonCrypto
import Testing

@testable import Biscuit

/// The hand-written fast decoders must never disagree with the SwiftProtobuf path:
/// whenever the fast path accepts input, the slow path gives the same value.
/// (A fast path that accepted what the slow one refuses would be an acceptance bug.)
@Suite struct FastPathEquivalenceTests {
    static func tokens() throws -> [BiscuitToken] {
        let root = Ed25519.PrivateKey.derived(from: "fast-root")
        let signer = Ed25519.PrivateKey.derived(from: "fast-third")
        let base = try BiscuitToken.mint(
            authority: DatalogParser.parseBlock(
                #"identity("aip:web:a.com/o"); right("r"); max_depth(3); check if tool($t), ["r", "w"].contains($t) or tool($t), $t.starts_with("x:"); check if time($t), $t <= 2030-01-01T00:00:00Z;"#
            ),
            root: root, nextKey: .derived(from: "f1"))
        let chain = try base.appending(
            DatalogParser.parseBlock(
                #"delegator("o"); delegate("r"); context("c"); budget_ceiling(-5); f({1, 2}, [true, null], {"k": hex:00ff}); r($x) <- f($x, $y), $x.length() > 0; reject if g($z), $z.all($p -> $p > 1);"#
            ), nextKey: .derived(from: "f2"))
        let third = try chain.appendingThirdParty(
            chain.thirdPartyRequest.sign(DatalogParser.parseBlock("group(\"admin\");"), with: signer), nextKey: .derived(from: "f3"))
        return [base, chain, third, try third.sealed()]
    }

    @Test func tokenParsingAgreesOnMutations() throws {
        var fastAccepted = 0
        for token in try Self.tokens() {
            let bytes = token.serialized()
            var inputs: [[UInt8]] = [bytes]
            for i in stride(from: 0, to: bytes.count, by: 3) {
                var flipped = bytes; flipped[i] ^= UInt8(1 << (i % 8)); inputs.append(flipped)
                inputs.append(Array(bytes.prefix(i)))
                var inserted = bytes; inserted.insert(UInt8(i & 0xff), at: i); inputs.append(inserted)
            }
            for input in inputs {
                guard let fast = try? FastTokenParser.parse(input) else { continue }
                fastAccepted += 1
                let slow = Result { () throws(BiscuitError) in try BiscuitToken(protobuf: input) }
                #expect(try slow.get() == fast, "fast and protobuf parsers disagree")
                if let slowBlocks = try? fast.protobufDecodedBlocks(), let fastBlocks = try? fast.fastDecodedBlocks() {
                    #expect(slowBlocks == fastBlocks)
                } else if (try? fast.fastDecodedBlocks()) != nil {
                    Issue.record("the fast block decoder accepted blocks the protobuf decoder refuses")
                }
            }
        }
        #expect(fastAccepted > 4, "the fast path is exercised")
    }

    @Test func blockDecodingAgreesOnPayloadMutations() throws {
        for token in try Self.tokens() {
            for (index, block) in token.allBlocks.enumerated() {
                for i in 0..<block.payload.count {
                    var mutated = token
                    var payload = block.payload
                    payload[i] ^= UInt8(1 << (i % 8))
                    if index == 0 { mutated.authority.payload = payload } else { mutated.blocks[index - 1].payload = payload }
                    guard let fast = try? mutated.fastDecodedBlocks() else { continue }
                    let slow = Result { () throws(BiscuitError) in try mutated.protobufDecodedBlocks() }
                    #expect(try slow.get() == fast, "block \(index) byte \(i)")
                }
            }
        }
    }
}
