import BatonCrypto
import Foundation
import Testing

@testable import Biscuit

/// ../shared/vectors: AIP-shaped tokens made by biscuit-python with fixed keys.
@Suite(.enabled(if: SharedData.vectorsAvailable, "../shared/vectors is missing: the AIP vectors were NOT tested"))
struct AIPVectorTests {
    static func vector(_ name: String) throws -> [String: Any] {
        return try #require(try SharedData.json(SharedData.vectorsDirectory.appendingPathComponent(name)) as? [String: Any])
    }

    @Test func aipVectorDecodesPrintsAndVerifies() throws {
        let v = try Self.vector("aip_vector.json")
        let root = BiscuitPublicKey(try Ed25519.PublicKey(hex: try #require(v["root_public_key_hex"] as? String)))
        let token = try BiscuitToken(base64: try #require(v["token_base64"] as? String), root: root)
        #expect(Hex.encode(token.serialized()) == v["token_hex"] as? String, "re-serialisation is byte-identical")
        let printed = try token.decodedBlocks().map { DatalogPrinter.printBlock($0.source) }
        #expect(printed == v["printed_block_source"] as? [String])
        #expect(token.revocationIds.map(Hex.encode) == v["revocation_ids"] as? [String])

        // Our encoder produces the same block bytes from the same source.
        let rootKey = try Ed25519.PrivateKey(hex: try #require(v["root_private_key_hex"] as? String))
        #expect(rootKey.publicKey.bytes == root.bytes)
        let ours = try BiscuitToken.mint(authority: DatalogParser.parseBlock(try #require(v["authority_source"] as? String)), root: rootKey)
            .appending(DatalogParser.parseBlock(try #require(v["delegation_source"] as? String)))
        #expect(ours.authority.payload == token.authority.payload)
        #expect(ours.blocks.map(\.payload) == token.blocks.map(\.payload))
    }

    @Test func aipVectorAuthorizations() throws {
        let v = try Self.vector("aip_vector.json")
        let root = BiscuitPublicKey(try Ed25519.PublicKey(hex: try #require(v["root_public_key_hex"] as? String)))
        let full = try BiscuitToken(base64: try #require(v["token_base64"] as? String), root: root)
        let authorityOnly = try BiscuitToken(base64: try #require(v["authority_only_token_base64"] as? String), root: root)
        let cases = try #require(v["authorizations"] as? [[String: Any]])
        #expect(cases.count == 6)
        for c in cases {
            let token = c["token"] as? String == "authority_only" ? authorityOnly : full
            let code = try #require(c["authorizer_code"] as? String)
            let result = Result { () throws(BiscuitError) in try Authorizer(code: code, limits: RunLimits(maxTime: .seconds(5))).authorize(token) }
            switch (result, c["result"] as? String) {
            case let (.success(i), "allow"?): #expect(i == c["policy_index"] as? Int)
            case let (.failure(error), "deny"?):
                // The reference lists the failed checks in its message: ours must name the same ones.
                guard case let .logic(logic) = error else { Issue.record("\(code): \(error)"); continue }
                let expected = c["error"] as? String ?? ""
                for check in logic.failedChecks {
                    guard case let .block(b, i, rule) = check else { continue }
                    #expect(expected.contains("Check n°\(i) in block n°\(b): \(rule)"), "\(code): \(check) not in \(expected)")
                }
                #expect(expected.components(separatedBy: "Check n°").count - 1 == logic.failedChecks.count, "\(code)")
            default: Issue.record("\(code): expected \(c["result"] ?? "?"), got \(result)")
            }
        }
    }

    @Test func extraVectors() throws {
        let v = try Self.vector("extra_vectors.json")
        let root = BiscuitPublicKey(try Ed25519.PublicKey(hex: "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c"))

        let set = try #require(v["extra_set_syntax"] as? [String: Any])
        let setToken = try BiscuitToken(base64: try #require(set["b64"] as? String), root: root)
        #expect(try setToken.decodedBlocks().map { DatalogPrinter.printBlock($0.source) } == [try #require(set["printed"] as? String)])

        let chain = try #require(v["extra_v33_chain"] as? [String: Any])
        let chainToken = try BiscuitToken(base64: try #require(chain["b64"] as? String), root: root)
        #expect(try chainToken.decodedBlocks().map { DatalogPrinter.printBlock($0.source) } == chain["printed"] as? [String])
        #expect(chainToken.blocks.map(\.signatureVersion) == [0, 1, 1], "v3.3 blocks use signature payload v1")

        let sw = try #require(v["extra_starts_with"] as? [String: Any])
        let swToken = try BiscuitToken(base64: try #require(sw["b64"] as? String), root: root)
        for tool in ["tool:search", "report:daily", "report:weekly"] {
            let expected = try #require(sw[tool] as? String)
            let result = Result { () throws(BiscuitError) in
                try Authorizer(code: "tool(\"\(tool)\");\nallow if true;", limits: RunLimits(maxTime: .seconds(5))).authorize(swToken)
            }
            switch result {
            case .success: #expect(expected == "allow", "\(tool)")
            case .failure: #expect(expected.hasPrefix("deny"), "\(tool)")
            }
        }
    }
}
