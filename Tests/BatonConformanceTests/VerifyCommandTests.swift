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
}
