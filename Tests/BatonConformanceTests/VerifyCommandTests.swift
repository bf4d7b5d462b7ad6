import AIP
import AIPJWT
import BatonCrypto
import Foundation
import JOSE
import Testing
import TokenExchange
import ZeroID

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
    /// A two-hop ZeroID chain (legacy profile), its service's JWKS in a file, and the mission's id.
    static func zeroIDChain() throws -> (writer: String, service: ZeroIDService, jwks: URL, now: Int64) {
        let now = Int64(Date().timeIntervalSince1970)
        func key(_ name: String) -> JWSSigningKey { .p256(derivedFrom: Array("cli-zeroid:\(name)".utf8)) }
        func uri(_ name: String) -> WorkloadURI { WorkloadURI("spiffe://zeroid.dev/acme/prod/agent/\(name)")! }
        let issuer = "https://zeroid.example"
        var service = ZeroIDService(
            configuration: ZeroIDConfiguration(issuer: issuer), signingKey: key("service"),
            identities: ["orchestrator", "researcher", "writer"].map { ZeroIDIdentity(uri: uri($0), publicKeyPEM: key($0).verificationKey!.pem) },
            policies: [])
        func assertion(_ name: String) throws -> String {
            let u = uri(name).description
            return try JWS.sign(
                header: ["alg": "ES256"],
                claims: [
                    "iss": .string(u), "sub": .string(u), "aud": .string(issuer), "jti": .string("\(name)-1"), "iat": .int(now),
                    "exp": .int(now + 120),
                ], key: key(name)
            ).compact
        }
        let root = try service.issueRootCredential(
            identity: uri("orchestrator").description, scopes: ["research:read", "docs:write"], ttl: 3600, now: now)
        let h1 = try service.exchange(
            TokenExchangeRequest(subjectToken: root, actorToken: try assertion("researcher"), scope: "docs:write"), now: now
        )
        .get()
        let h2 = try service.exchange(
            TokenExchangeRequest(subjectToken: h1.accessToken, actorToken: try assertion("writer"), scope: "docs:write"), now: now
        )
        .get()
        let jwks = FileManager.default.temporaryDirectory.appendingPathComponent("baton-cli-zeroid-\(UUID().uuidString).json")
        try Data(service.jwks.json.canonicalString.utf8).write(to: jwks)
        return (h2.accessToken, service, jwks, now)
    }

    /// Re-signs `token` with the service's key after `edit` (what a compromised or buggy issuer could sign).
    static func resigned(_ token: String, by service: ZeroIDService, _ edit: (inout JSONObject) -> Void) throws -> String {
        let jws = try JWS.parse(token)
        var claims = jws.claims
        edit(&claims)
        return try JWS.sign(header: jws.header, claims: claims, key: service.signingKey).compact
    }

    /// ZeroID tokens are judged by ZeroIDTokenVerifier, both ways: recognised by ZeroID's claims
    /// (`mission_id`), or named by `--profile zeroid` when the claims that would tell are gone. Its J6
    /// refuses a token whose delegation_depth disagrees with its act chain, one without mission_id, and
    /// one of a refused mission; the plain token-exchange verifier would read the honest token's act in
    /// its own layout.
    @Test(.enabled(if: baton != nil)) func zeroIDTokensAreJudgedByTheZeroIDVerifier() throws {
        let (writer, service, jwks, _) = try Self.zeroIDChain()
        defer { try? FileManager.default.removeItem(at: jwks) }
        let common = ["verify", "--jwks", jwks.path, "--issuer", "https://zeroid.example", "--scope", "docs:write"]
        let honest = try Self.run(common + [writer])
        #expect(honest.status == 0, "\(honest.stdout) \(honest.stderr)")
        #expect(honest.stdout.contains(#""profile":"zeroid""#) && honest.stdout.contains(#""valid":true"#), "\(honest.stdout)")
        #expect(honest.stdout.contains("J6 passed"), "\(honest.stdout)")

        // delegation_depth 1 under a three-level act chain: recognised by its mission_id, refused at J6.
        let shallow = try Self.resigned(writer, by: service) { $0["delegation_depth"] = .int(1) }
        let judged = try Self.run(common + [shallow])
        #expect(judged.status == 1)
        #expect(judged.stdout.contains(#""profile":"zeroid""#) && judged.stdout.contains(#""step":"J6""#), "\(judged.stdout)")
        #expect(judged.stdout.contains(#""code":"jwt_actor_chain_invalid""#), "\(judged.stdout)")
        // The plain verifier reads act in token exchange's own layout, so it misjudges even the honest token.
        let plain = try Self.run(common + ["--profile", "token-exchange", writer])
        #expect(plain.stdout.contains(#""profile":"token-exchange""#) && plain.stdout.contains("immediate delegator"), "\(plain.stdout)")

        // No mission_id: nothing tells it is ZeroID's; --profile zeroid does, and J6 requires the mission.
        let missionless = try Self.resigned(writer, by: service) { $0["mission_id"] = nil }
        let unrecognised = try Self.run(common + [missionless])
        #expect(unrecognised.stdout.contains(#""profile":"token-exchange""#), "\(unrecognised.stdout)")
        let named = try Self.run(common + ["--profile", "zeroid", missionless])
        #expect(named.status == 1)
        #expect(named.stdout.contains(#""step":"J6""#) && named.stdout.contains("no string mission_id"), "\(named.stdout)")

        // principal_type (the rfc8693 profile's claim) tells it too.
        let typed = try Self.resigned(writer, by: service) {
            $0["mission_id"] = nil
            $0["principal_type"] = "workload"
        }
        let recognised = try Self.run(common + [typed])
        #expect(recognised.stdout.contains(#""profile":"zeroid""#) && recognised.stdout.contains("no string mission_id"), "\(recognised.stdout)")

        // A refused mission.
        let mission = try #require(try JWS.parse(writer).claims["mission_id"]?.stringValue)
        let refused = try Self.run(common + ["--refused-mission", mission, writer])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains(#""step":"J6""#) && refused.stdout.contains("is refused"), "\(refused.stdout)")

        let wrong = try Self.run(common + ["--profile", "aip-chained", writer])
        #expect(wrong.status != 0 && wrong.stderr.contains("--profile is zeroid or token-exchange"), "\(wrong.stderr)")
    }
}
