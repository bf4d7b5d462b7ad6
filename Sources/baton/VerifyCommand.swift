import AIP
import ArgumentParser
import BatonCrypto
import BatonRuntime
import Foundation

/// `baton verify`: runs the reference verifier (V1–V7) and prints a JSON verdict.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify", abstract: "Verify an AIP chained token; prints {valid, code, step, message}; exit 0 or 1.")

    @Option(help: "The issuer's root public key (hex).")
    var rootKey: String

    @Option(help: "The receiving agent's identity (the last delegate must be it).")
    var audience: String?

    @Option(help: "The tool being invoked.")
    var scope: String?

    @Option(help: "Verification time (RFC 3339); default: now.")
    var at: String?

    @Flag(help: "Require every delegation to be signed by its delegator (needs aip:key: delegators without a registry).")
    var requireSignedDelegation = false

    @Flag(help: "Also print each step's verdict.")
    var steps = false

    @Argument(help: "The token (URL-safe base64), @file, or - for standard input.")
    var token: String

    func run() throws {
        guard let root = try? Ed25519.PublicKey(hex: rootKey) else { throw ValidationError("--root-key must be 32 bytes of hex") }
        let now: Int64
        if let at {
            guard let t = VirtualClock.parse(at) else { throw ValidationError("--at must be RFC 3339, e.g. 2026-06-01T00:00:00Z") }
            now = t
        } else {
            now = Int64(Date().timeIntervalSince1970)
        }
        let report = ChainedVerifier(options: .init(requireSignedDelegation: requireSignedDelegation)).verify(.init(
            token: try Console.readToken(token), rootKey: root, audience: audience, requiredScope: scope, now: now))
        var doc: [String: Any] = ["valid": report.error == nil]
        if let e = report.error {
            doc["code"] = e.code.rawValue
            doc["step"] = e.step?.rawValue ?? NSNull()
            doc["message"] = e.message
        } else {
            doc["code"] = NSNull()
            doc["step"] = NSNull()
            doc["message"] = "verified"
        }
        if steps { doc["steps"] = report.steps.map { ["step": $0.step.rawValue, "status": $0.status.rawValue, "detail": $0.detail] } }
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys, .withoutEscapingSlashes])
        Console.out(String(decoding: data, as: UTF8.self))
        if report.error != nil { throw ExitCode(1) }
    }
}
