import AIP
import ArgumentParser
import BatonCrypto
import Biscuit
import Foundation

/// `baton inspect TOKEN`: decodes any AIP chained token without verifying it.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Decode a token: blocks, Datalog, keys, depth (no verification).")

    @Argument(help: "The token (URL-safe base64), @file, or - for standard input.")
    var token: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let text = try Console.readToken(token)
        let parsed: BiscuitToken
        let blocks: [DecodedBlock]
        do {
            parsed = try BiscuitToken(bytes: BiscuitToken.decodeBase64(text))
            blocks = try parsed.decodedBlocks()
        } catch {
            Console.err("error: \(error.code): \(error)")
            throw ExitCode(2)
        }
        let chain = try? AIPChain(blocks: blocks, strict: false)
        if json {
            var out: [[String: Any]] = []
            for (i, (block, signed)) in zip(blocks, parsed.allBlocks).enumerated() {
                var b: [String: Any] = [
                    "index": i, "version": block.version, "signature_version": signed.signatureVersion,
                    "datalog": DatalogPrinter.printBlock(block.source, includingScopes: true),
                    "next_key": signed.nextKey.text, "revocation_id": Hex.encode(signed.signature), "symbols": block.symbols,
                ]
                if let e = block.externalKey { b["external_key"] = e.text }
                if let c = block.context { b["context"] = c }
                out.append(b)
            }
            var doc: [String: Any] = ["blocks": out, "sealed": parsed.isSealed, "depth": parsed.blockCount - 1]
            if let id = parsed.rootKeyId { doc["root_key_id"] = id }
            if let chain { doc["issuer"] = chain.links[0].identity ?? ""; doc["holder"] = chain.effective.holder }
            let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            Console.out(String(decoding: data, as: UTF8.self))
            return
        }
        Console.out("Biscuit token: \(parsed.blockCount) block(s), depth \(parsed.blockCount - 1)\(parsed.isSealed ? ", sealed" : "")"
                    + (parsed.rootKeyId.map { ", root key id \($0)" } ?? ""))
        if let chain {
            Console.out("issuer \(chain.links[0].identity ?? "?"), holder \(chain.effective.holder)"
                        + (chain.principal.map { ", on behalf of \($0)" } ?? ""))
        }
        for (i, (block, signed)) in zip(blocks, parsed.allBlocks).enumerated() {
            Console.out("\n— block \(i) (Datalog v\(block.version), signature v\(signed.signatureVersion))"
                        + (block.externalKey.map { ", third-party, signed by \($0.text)" } ?? ""))
            Console.out("  next key:      \(signed.nextKey.text)")
            Console.out("  revocation id: \(Hex.encode(signed.signature))")
            for line in DatalogPrinter.printBlock(block.source, includingScopes: true).split(separator: "\n") { Console.out("  | \(line)") }
        }
    }
}
