import AIP
import AIPJWT
import ArgumentParser
import BatonCrypto
import Biscuit
import Foundation
import JOSE

/// `baton inspect TOKEN`: decodes an AIP chained token (Biscuit), an AIP compact token or a
/// token-exchange JWT without verifying it.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Decode a token (Biscuit chain, AIP compact JWT or token-exchange JWT) without verifying it.")

    @Argument(help: "The token (URL-safe base64), @file, or - for standard input.")
    var token: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let text = try Console.readToken(token)
        if JWTChainFormat.looksLikeChain(text) { return try inspectJWTChain(text) }
        if text.hasPrefix("eyJ") && text.split(separator: ".", omittingEmptySubsequences: false).count == 3 {
            return try inspectJWT(text)
        }
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
        Console.out(
            "Biscuit token: \(parsed.blockCount) block(s), depth \(parsed.blockCount - 1)\(parsed.isSealed ? ", sealed" : "")"
                + (parsed.rootKeyId.map { ", root key id \($0)" } ?? ""))
        if let chain {
            Console.out(
                "issuer \(chain.links[0].identity ?? "?"), holder \(chain.effective.holder)"
                    + (chain.principal.map { ", on behalf of \($0)" } ?? ""))
        }
        for (i, (block, signed)) in zip(blocks, parsed.allBlocks).enumerated() {
            Console.out(
                "\n— block \(i) (Datalog v\(block.version), signature v\(signed.signatureVersion))"
                    + (block.externalKey.map { ", third-party, signed by \($0.text)" } ?? ""))
            Console.out("  next key:      \(signed.nextKey.text)")
            Console.out("  revocation id: \(Hex.encode(signed.signature))")
            for line in DatalogPrinter.printBlock(block.source, includingScopes: true).split(separator: "\n") { Console.out("  | \(line)") }
        }
    }

    /// Prints a JWT's header and claims, and what they say about delegation.
    /// An AIP JWT chain: each link's header and claims, in order.
    func inspectJWTChain(_ text: String) throws {
        let segments = text.split(separator: JWTChainFormat.separator, omittingEmptySubsequences: false).map(String.init)
        var links: [JWS] = []
        for (i, segment) in segments.enumerated() {
            do { links.append(try JWS.parse(segment)) } catch {
                Console.err("error: link \(i) is not a compact JWT: \(error)")
                throw ExitCode(2)
            }
        }
        if json {
            let doc: JSONObject = [
                "format": "jwt-chain", "profile": "aip-jwt-chain",
                "links": .array(links.map { .object(["header": .object($0.header), "claims": .object($0.claims)]) }),
            ]
            Console.out(String(decoding: JSONValue.object(doc).serialized(), as: UTF8.self))
            return
        }
        Console.out("AIP JWT chain (aip-jwt-chain): \(links.count) link(s)")
        for (i, jws) in links.enumerated() {
            Console.out("link \(i): alg \(jws.algorithmName ?? "none given"), typ \(jws.type ?? "none"), header \(jws.header.canonicalString)")
            for (name, value) in jws.claims { Console.out("  \(name): \(value.canonicalString)\(Self.timeNote(name, value))") }
        }
    }

    func inspectJWT(_ text: String) throws {
        let jws: JWS
        do { jws = try JWS.parse(text) } catch let e as JOSEError {
            Console.err("error: \(e.code): \(e)")
            throw ExitCode(2)
        }
        let claims = JWTClaims(jws.claims)
        let profile = jws.type == "aip+jwt" ? "aip-compact" : "token-exchange"
        if json {
            let doc: JSONObject = [
                "format": "jwt", "profile": .string(profile), "header": .object(jws.header), "claims": .object(jws.claims),
                "signature_bytes": .int(Int64(jws.signature.count)),
            ]
            Console.out(String(decoding: JSONValue.object(doc).serialized(), as: UTF8.self))
            return
        }
        Console.out(
            "JWT (\(profile)): alg \(jws.algorithmName ?? "none given"), typ \(jws.type ?? "none")"
                + (jws.keyID.map { ", kid \($0)" } ?? "") + ", \(jws.signature.count)-byte signature")
        Console.out("header: \(jws.header.canonicalString)")
        for (name, value) in jws.claims { Console.out("  \(name): \(value.canonicalString)\(Self.timeNote(name, value))") }
        if let actors = try? claims.actorChain {
            Console.out("act chain (current actor first): \(actors.joined(separator: " ← "))")
        }
        if let depth = try? claims.delegationDepth { Console.out("delegation depth: \(depth)") }
        for header in JWSHeaderPolicy.keyCarryingHeaders where jws.header.contains(header) {
            Console.out("warning: the header carries \(header): a verifier must never use it to find the key")
        }
    }

    static func timeNote(_ name: String, _ value: JSONValue) -> String {
        guard ["exp", "iat", "nbf"].contains(name), let t = value.intValue else { return "" }
        return " (\(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(t)))))"
    }
}
