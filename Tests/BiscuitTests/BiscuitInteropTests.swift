import BatonCrypto
import Foundation
import Testing

@testable import Biscuit

/// Interop both ways with biscuit-python (the Rust reference): tokens minted on
/// one side must verify, print and authorize identically on the other, and
/// tampered tokens must be refused by both.
@Suite(.serialized) struct BiscuitInteropTests {
    static let root = Ed25519.PrivateKey.derived(from: "interop-root")
    static let thirdParty = Ed25519.PrivateKey.derived(from: "interop-third-party")
    static var rootPublic: BiscuitPublicKey { BiscuitPublicKey(root.publicKey) }

    static let authorityCode = """
        identity("aip:web:acme.com/orchestrator");
        right("research:read");
        max_depth(3);
        budget_ceiling(500);
        check if tool($t), ["research:read", "write:draft"].contains($t);
        check if time($t), $t <= 2030-01-01T00:00:00Z;
        """
    static let delegationCode = """
        delegator("aip:web:acme.com/orchestrator");
        delegate("aip:web:acme.com/researcher");
        context("literature review");
        budget_ceiling(100);
        check if tool($t), ["research:read"].contains($t);
        """
    /// Generous run limits: the default (1 ms) makes outcomes depend on the machine's load.
    static let limits = RunLimits(maxTime: .seconds(5))
    static let allowRead = "tool(\"research:read\");\ntime(2026-06-01T00:00:00Z);\nallow if true;\n"
    static let allowWrite = "tool(\"write:draft\");\ntime(2026-06-01T00:00:00Z);\nallow if true;\n"

    func swiftChain() throws -> BiscuitToken {
        try BiscuitToken.mint(
            authority: DatalogParser.parseBlock(Self.authorityCode), root: Self.root,
            nextKey: .derived(from: "interop-next-1")
        )
        .appending(DatalogParser.parseBlock(Self.delegationCode), nextKey: .derived(from: "interop-next-2"))
    }

    @Test func swiftMintedVerifiesAndAuthorizesInPython() throws {
        let peer = try PythonPeer.start()
        let token = try swiftChain()
        let inspected = try peer.call(["op": "inspect", "token": token.base64(), "root_public": Self.rootPublic.bytes.hex])
        #expect(inspected["error"] == nil, "\(inspected)")
        let printed = try token.decodedBlocks().map { DatalogPrinter.printBlock($0.source) }
        #expect(inspected["blocks"] as? [String] == printed)
        #expect(inspected["revocation_ids"] as? [String] == token.revocationIds.map(Hex.encode))

        let read = try peer.call(["op": "authorize", "token": token.base64(), "root_public": Self.rootPublic.bytes.hex, "code": Self.allowRead])
        #expect(read["ok"] as? Bool == true)
        let write = try peer.call(["op": "authorize", "token": token.base64(), "root_public": Self.rootPublic.bytes.hex, "code": Self.allowWrite])
        #expect(write["ok"] as? Bool == false, "the delegation block narrowed the tools to research:read")
        #expect((try? Authorizer(code: Self.allowWrite, limits: Self.limits).authorize(token)) == nil)
    }

    @Test func pythonMintedVerifiesInSwiftWithIdenticalBlockBytes() throws {
        let peer = try PythonPeer.start()
        let minted = try peer.call(["op": "mint", "root": Self.root.hex, "code": Self.authorityCode])
        let appended = try peer.call([
            "op": "append", "token": try #require(minted["token"] as? String),
            "root_public": Self.rootPublic.bytes.hex, "code": Self.delegationCode,
        ])
        let token = try BiscuitToken(base64: try #require(appended["token"] as? String), root: Self.rootPublic)
        // Same Datalog, same symbol table: the serialized blocks must be byte-identical.
        let ours = try swiftChain()
        #expect(token.authority.payload == ours.authority.payload)
        #expect(token.blocks.map(\.payload) == ours.blocks.map(\.payload))
        #expect(try Authorizer(code: Self.allowRead, limits: Self.limits).authorize(token) == 0)
        #expect(throws: BiscuitError.self) { try Authorizer(code: Self.allowWrite, limits: Self.limits).authorize(token) }
    }

    @Test func thirdPartyBlocksBothWays() throws {
        let peer = try PythonPeer.start()
        let signerPublic = BiscuitPublicKey(Self.thirdParty.publicKey)
        // Swift appends a third-party block; Python verifies it.
        let base = try BiscuitToken.mint(
            authority: DatalogParser.parseBlock("right(\"read\");\ncheck if group(\"admin\") trusting \(signerPublic.text);"),
            root: Self.root, nextKey: .derived(from: "tp-1"))
        let block = try base.thirdPartyRequest.sign(DatalogParser.parseBlock("group(\"admin\");"), with: Self.thirdParty)
        let token = try base.appendingThirdParty(block, expectedSigner: signerPublic, nextKey: .derived(from: "tp-2"))
        let inPython = try peer.call(["op": "authorize", "token": token.base64(), "root_public": Self.rootPublic.bytes.hex, "code": "allow if true;"])
        #expect(inPython["ok"] as? Bool == true, "\(inPython)")
        #expect(try Authorizer(code: "allow if true;", limits: Self.limits).authorize(token) == 0)

        // Python appends a third-party block; Swift verifies it and trusts it through the scope.
        let pyBase = try peer.call([
            "op": "mint", "root": Self.root.hex,
            "code": "right(\"read\");\ncheck if group(\"admin\") trusting \(signerPublic.text);",
        ])
        let pyToken = try peer.call([
            "op": "append_third_party", "token": try #require(pyBase["token"] as? String),
            "root_public": Self.rootPublic.bytes.hex, "signer": Self.thirdParty.hex, "code": "group(\"admin\");",
        ])
        let decoded = try BiscuitToken(base64: try #require(pyToken["token"] as? String), root: Self.rootPublic)
        #expect(decoded.blocks.first?.externalSignature?.publicKey == signerPublic)
        #expect(try Authorizer(code: "allow if true;", limits: Self.limits).authorize(decoded) == 0)
    }

    @Test func sealedSwiftTokenVerifiesInPython() throws {
        let peer = try PythonPeer.start()
        let sealed = try swiftChain().sealed()
        #expect(sealed.isSealed)
        let answer = try peer.call(["op": "authorize", "token": sealed.base64(), "root_public": Self.rootPublic.bytes.hex, "code": Self.allowRead])
        #expect(answer["ok"] as? Bool == true, "\(answer)")
        #expect(throws: BiscuitError.alreadySealed) { try sealed.appending(BlockSource()) }
    }

    @Test func tamperedTokensAreRejectedByBoth() throws {
        let peer = try PythonPeer.start()
        let good = try swiftChain()
        var tampered: [(String, [UInt8])] = []
        // A byte of the delegation block's Datalog, really flipped.
        var t1 = good
        t1.blocks[0].payload[t1.blocks[0].payload.count / 2] ^= 0x01
        tampered.append(("payload byte", t1.serialized()))
        // A signature bit.
        var t2 = good
        t2.authority.signature[5] ^= 0x80
        tampered.append(("signature bit", t2.serialized()))
        // Dropping the delegation block (the proof then no longer matches).
        var t3 = good
        t3.blocks.removeAll()
        tampered.append(("dropped block", t3.serialized()))
        // The sealed signature altered.
        var t4 = try good.sealed()
        if case var .finalSignature(s) = t4.proof { s[0] ^= 1; t4.proof = .finalSignature(s) }
        tampered.append(("seal", t4.serialized()))

        for (what, bytes) in tampered {
            #expect(throws: BiscuitError.self, "\(what)") { try BiscuitToken(bytes: bytes, root: Self.rootPublic) }
            let answer = try peer.call(["op": "inspect", "token": Base64URL.encode(bytes), "root_public": Self.rootPublic.bytes.hex])
            #expect(answer["error"] != nil, "python accepted a token with a tampered \(what)")
        }
    }
}

extension Array where Element == UInt8 {
    var hex: String { Hex.encode(self) }
}
