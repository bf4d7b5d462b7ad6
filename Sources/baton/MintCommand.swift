import AIP
import ArgumentParser
import BatonCrypto
import BatonRuntime
import Biscuit
import Foundation

/// `baton mint`: builds AIP chained tokens with the reference issuer.
struct MintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mint", abstract: "Build AIP chained tokens with the reference issuer.",
        subcommands: [Authority.self, Delegate.self, Datalog.self])

    struct Authority: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mint an authority token (block 0).")

        @Option(help: "The issuer's AIP identifier.") var issuer: String
        @Option(help: "The issuer's private key (32-byte seed, hex); or --key-label to derive one.") var key: String?
        @Option(help: "Derive the issuer key from this label (reproducible).") var keyLabel: String?
        @Option(name: .customLong("scope"), help: "A granted scope (repeatable).") var scopes: [String] = []
        @Option(help: "The principal on whose behalf the chain acts.") var principal: String?
        @Option(help: "Budget ceiling in cents.") var budget: Int64?
        @Option(help: "Maximum delegation depth.") var maxDepth: Int64 = 3
        @Option(help: "Lifetime in seconds.") var ttl: Int64 = 3600
        @Option(help: "Issue time (RFC 3339); default: now.") var at: String?

        func run() throws {
            let issuerKey = try MintCommand.key(key, label: keyLabel)
            let token = try ChainedIssuer().createAuthority(
                .init(
                    issuer: issuer, issuerKey: issuerKey, scopes: scopes, principal: principal, budgetCents: budget,
                    maxDepth: maxDepth, ttlSeconds: ttl, now: try MintCommand.time(at)))
            Console.err("root public key: \(issuerKey.publicKey.hex)")
            Console.out(token.base64())
        }
    }

    struct Delegate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Append a delegation block.")

        @Option(help: "The token to delegate (base64, @file or -).") var token: String
        @Option(help: "Who delegates (the current holder).") var delegator: String
        @Option(help: "Who receives.") var delegate: String
        @Option(name: .customLong("scope"), help: "A delegated scope (repeatable; none keeps the parent's).") var scopes: [String] = []
        @Option(help: "Why (required, non-empty).") var context: String
        @Option(help: "Budget ceiling in cents.") var budget: Int64?
        @Option(help: "Lifetime of this delegation in seconds.") var expiresIn: Int64?
        @Option(help: "Sign the block with the delegator's key (hex) — a signed delegation.") var signWith: String?
        @Option(help: "Issue time (RFC 3339); default: now.") var at: String?

        func run() throws {
            let now = try MintCommand.time(at)
            let parsed = try BiscuitToken(bytes: BiscuitToken.decodeBase64(Console.readToken(token)))
            let result = try ChainedIssuer().delegate(
                parsed,
                .init(
                    delegator: delegator, delegate: delegate, scopes: scopes, context: context, budgetCents: budget,
                    expiresAt: expiresIn.map { now + $0 }, now: now,
                    delegatorKey: try signWith.map { try Ed25519.PrivateKey(hex: $0) }))
            Console.out(result.base64())
        }
    }

    struct Datalog: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "datalog", abstract: "Mint a Biscuit from Datalog files: the authority block, then each attenuation block.")

        @Option(help: "The root private key (hex).") var key: String?
        @Option(help: "Derive the root key from this label (reproducible).") var keyLabel: String?
        @Option(help: "Seal the token after the last block.") var seal = false
        @Argument(help: "Datalog files: the first is the authority block.") var files: [String]

        func run() throws {
            guard let first = files.first else { throw ValidationError("give at least the authority block's file") }
            let root = try MintCommand.key(key, label: keyLabel)
            func block(_ path: String) throws -> BlockSource {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                do { return try DatalogParser.parseBlock(text) } catch {
                    throw ValidationError("\(path):\(error.line):\(error.column): \(error.message)")
                }
            }
            var token = try BiscuitToken.mint(authority: block(first), root: root, nextKey: .derived(from: "mint:\(root.hex):0"))
            for (i, path) in files.dropFirst().enumerated() {
                token = try token.appending(block(path), nextKey: .derived(from: "mint:\(root.hex):\(i + 1)"))
            }
            if seal { token = try token.sealed() }
            Console.err("root public key: \(root.publicKey.hex)")
            Console.out(token.base64())
        }
    }

    static func key(_ hex: String?, label: String?) throws -> Ed25519.PrivateKey {
        if let hex { return try Ed25519.PrivateKey(hex: hex) }
        if let label { return .derived(from: label) }
        throw ValidationError("give --key HEX or --key-label LABEL")
    }

    static func time(_ text: String?) throws -> Int64 {
        guard let text else { return Int64(Date().timeIntervalSince1970) }
        guard let t = VirtualClock.parse(text) else { throw ValidationError("time must be RFC 3339, e.g. 2026-06-01T00:00:00Z") }
        return t
    }
}
