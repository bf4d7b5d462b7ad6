import AIP
import ArgumentParser
import BatonCrypto
import BatonRuntime
import Foundation
import JOSE
import TokenExchange

/// `baton verify`: runs the reference verifier for the token's profile (AIP chained V1–V7,
/// AIP compact, or a token-exchange JWT) and prints a JSON verdict.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a token (AIP chained or compact, or a token-exchange JWT); prints {valid, code, step, message}; exit 0 or 1.")

    @Option(help: "AIP tokens: the issuer's root public key (hex).")
    var rootKey: String?

    @Option(help: "Token-exchange JWTs: the token service's JWKS (a file).")
    var jwks: String?

    @Option(help: "Token-exchange JWTs: the token service's issuer (iss).")
    var issuer: String?

    @Option(help: "Token-exchange JWTs: the deepest delegation_depth accepted.")
    var maxDepth: Int64?

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
        let now: Int64
        if let at {
            guard let t = VirtualClock.parse(at) else { throw ValidationError("--at must be RFC 3339, e.g. 2026-06-01T00:00:00Z") }
            now = t
        } else {
            now = Int64(Date().timeIntervalSince1970)
        }
        let text = try Console.readToken(token)
        if text.hasPrefix("eyJ") { return try verifyJWT(text, now: now) }
        guard let rootKey, let root = try? Ed25519.PublicKey(hex: rootKey) else { throw ValidationError("--root-key must be 32 bytes of hex") }
        let report = ChainedVerifier(options: .init(requireSignedDelegation: requireSignedDelegation)).verify(
            .init(
                token: text, rootKey: root, audience: audience, requiredScope: scope, now: now))
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

    /// AIP compact tokens (`typ: aip+jwt`) against --root-key; other JWTs against --jwks and --issuer.
    func verifyJWT(_ text: String, now: Int64) throws {
        var doc: [String: Any]
        if (try? JWS.parse(text))?.type == "aip+jwt" {
            guard let rootKey, let root = try? Ed25519.PublicKey(hex: rootKey) else { throw ValidationError("compact tokens need --root-key (hex)") }
            let report = CompactVerifier(trust: .key(root, issuer: nil)).verify(text, audience: audience, requiredScope: scope, now: now)
            doc = [
                "profile": "aip-compact", "valid": report.error == nil, "code": report.code?.rawValue ?? NSNull(),
                "step": report.step?.rawValue ?? NSNull(), "message": report.error == nil ? "verified" : report.message,
            ]
            if steps { doc["steps"] = report.details.map { ["step": $0.check.rawValue, "status": $0.status.rawValue, "detail": $0.detail] } }
        } else {
            guard let jwks, let issuer else { throw ValidationError("token-exchange JWTs need --jwks FILE and --issuer") }
            let keys: JWKSet
            do { keys = try JWKSet(jsonText: String(contentsOfFile: jwks, encoding: .utf8)) } catch {
                throw ValidationError("cannot read the JWKS \(jwks): \(error)")
            }
            let report = ExchangedTokenVerifier(issuer: issuer, keys: keys, maxDepth: maxDepth)
                .verify(text, audience: audience, requiredScope: scope, now: now)
            switch report.result {
            case .success: doc = ["profile": "token-exchange", "valid": true, "code": NSNull(), "step": NSNull(), "message": "verified"]
            case let .failure(e):
                doc = ["profile": "token-exchange", "valid": false, "code": e.code.rawValue, "step": e.check.rawValue, "message": e.reason]
            }
            if steps { doc["steps"] = report.details }
        }
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys, .withoutEscapingSlashes])
        Console.out(String(decoding: data, as: UTF8.self))
        if doc["valid"] as? Bool != true { throw ExitCode(1) }
    }
}
