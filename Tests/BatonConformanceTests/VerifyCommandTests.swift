import AIP
import AIPJWT
import BatonCrypto
import Foundation
import Testing

/// `baton verify` as a user runs it: it fails closed when nothing binds the root key to an
/// identity, and lists every step it ran.
@Suite struct VerifyCommandTests {
    /// The `baton` executable built beside the test bundle.
    static let baton: URL? = {
        // The test runner is .build/<triple>/debug/BatonPackageTests.xctest; products are beside it.
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let dir = runner.deletingLastPathComponent()
        for candidate in [dir.appendingPathComponent("baton"), dir.deletingLastPathComponent().appendingPathComponent("baton")]
        where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        return nil
    }()

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        guard let executable = Self.baton else { throw CocoaError(.fileNoSuchFile) }
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let diagnostics = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: diagnostics, as: UTF8.self))
    }

    @Test(.enabled(if: baton != nil)) func aipTokensAreBoundToTheirIssuerOrRefused() throws {
        let minted = try Self.run([
            "mint", "authority", "--issuer", "aip:web:acme.com/orchestrator", "--key-label", "cli-test", "--scope", "research:read",
        ])
        let key = try #require(
            minted.stderr.split(separator: "\n").first { $0.hasPrefix("root public key: ") }?.split(separator: " ").last.map(String.init))
        let token = try #require(minted.stdout.split(separator: "\n").last.map(String.init))
        let unbound = try Self.run(["verify", "--root-key", key, "--scope", "research:read", token])
        #expect(unbound.status == 1)
        #expect(unbound.stdout.contains(#""code":"aip_identity_unresolvable""#))
        #expect(unbound.stdout.contains(#""step":"V2""#))
        let bound = try Self.run(["verify", "--root-key", key, "--issuer", "aip:web:acme.com/orchestrator", "--scope", "research:read", token])
        #expect(bound.status == 0, "\(bound.stdout)")
        #expect(bound.stdout.contains(#""valid":true"#))
        #expect(bound.stdout.contains(#""step":"V2""#), "every step it ran is listed")
        let other = try Self.run(["verify", "--root-key", key, "--issuer", "aip:web:acme.com/mallory", "--scope", "research:read", token])
        #expect(other.status == 1)
        #expect(other.stdout.contains(#""code":"aip_identity_unresolvable""#))
    }

    /// A registry resolves an issuer's keys, but the token must still be signed by --root-key: a compact
    /// token mallory signs under her own self-certifying aip:key: identifier is refused.
    @Test(.enabled(if: baton != nil)) func aRegistryDoesNotReplaceTheRootKey() throws {
        let mallory = Ed25519.PrivateKey.derived(from: "cli-test:mallory")
        let orchestrator = Ed25519.PrivateKey.derived(from: "cli-test:orchestrator")
        let now = Int64(Date().timeIntervalSince1970)
        let token = try CompactIssuer().mint(
            CompactClaims(
                iss: AIPIdentifier.key(mallory.publicKey).description, sub: "aip:web:acme.com/researcher", scope: ["tool:search"],
                iat: now, exp: now + 600), key: mallory)
        let registry = FileManager.default.temporaryDirectory.appendingPathComponent("baton-cli-registry-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: registry) }
        let doc = #"[{"id": "aip:web:acme.com/orchestrator", "keys": [""# + orchestrator.publicKey.hex + #""]}]"#
        try Data(doc.utf8).write(to: registry)
        let forged = try Self.run([
            "verify", "--root-key", orchestrator.publicKey.hex, "--registry", registry.path, "--audience", "aip:web:acme.com/researcher",
            "--scope", "tool:search", token,
        ])
        #expect(forged.status == 1, "\(forged.stdout)")
        #expect(forged.stdout.contains(#""code":"aip_identity_unresolvable""#))
    }
}
