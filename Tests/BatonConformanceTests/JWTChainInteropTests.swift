import AIP
import AIPJWT
import BatonCrypto
import BatonModel
import BatonTargets
import BatonTestSupport
import BatonTestSupportTesting
import Foundation
import Testing

/// AIP JWT chains interoperate with agent-identity-protocol 0.6.0 both ways: chains Baton's issuer
/// makes verify in the package (and tampered ones do not), and chains the package makes verify in
/// Baton's verifier. The package is driven through `Interop/aip_adapter.py`.
@Suite(.serialized) struct JWTChainInteropTests {
    static let now: Int64 = 1_900_000_000
    static let chain = StandardChain(seed: "jwt-chain-interop", now: now)

    static func adapter() throws -> TesteeProcess {
        let python = try Interop.require(
            PythonInterpreter.venv.flatMap { PythonInterpreter.canImport("aip_token.jwt_chain", with: $0) ? $0 : nil },
            needs: "agent-identity-protocol", notChecked: "JWT chains were NOT checked against the AIP package")
        return TesteeProcess(command: [python, PackagePaths.interop.appendingPathComponent("aip_adapter.py").path], timeout: .seconds(20))
    }

    static func id(_ agent: String) -> String { "aip:web:acme.com/\(agent)" }
    static func key(_ agent: String) -> Ed25519.PrivateKey { chain.key(id(agent)) }

    /// orchestrator → researcher → writer, made by Baton's issuer.
    static func batonChain() throws -> String {
        let issuer = JWTChainIssuer()
        let t0 = try issuer.createRoot(
            .init(
                issuer: id("orchestrator"), delegate: id("orchestrator"), holderKey: key("orchestrator").publicKey,
                tools: ["research:read", "write:draft"], budgetCents: 500, principal: "user:alice", issuerKey: key("orchestrator"), now: now))
        let t1 = try issuer.append(
            t0,
            .init(
                holderKey: key("orchestrator"), delegate: id("researcher"), nextHolderKey: key("researcher").publicKey, context: "review",
                tools: ["research:read", "write:draft"], budgetCents: 200, now: now))
        return try issuer.append(
            t1,
            .init(
                holderKey: key("researcher"), delegate: id("writer"), nextHolderKey: key("writer").publicKey, context: "draft",
                tools: ["write:draft"], now: now))
    }

    static func verifyRequest(_ token: String, scope: String = "write:draft") -> VerifyRequest {
        VerifyRequest(
            profile: TokenProfile("aip-jwt-chain"), token: token, rootKey: key("orchestrator").publicKey,
            audience: id("writer"), requiredScope: scope, now: now + 10, requireSignedDelegation: false, identities: nil,
            revocation: nil)
    }

    @Test func batonChainsVerifyInThePackage() async throws {
        let package = try Self.adapter()
        defer { package.close() }
        let token = try Self.batonChain()
        let accepted = await package.verify(Self.verifyRequest(token))
        #expect(accepted.verdict == .accept, "\(accepted)")
        // The package refuses what Baton's verifier refuses: a dropped link, a tool outside the leaf.
        var links = token.split(separator: "~").map(String.init)
        links.remove(at: 1)
        #expect(await package.verify(Self.verifyRequest(links.joined(separator: "~"))).verdict == .reject)
        #expect(await package.verify(Self.verifyRequest(token, scope: "research:read")).verdict == .reject)
    }

    @Test func packageChainsVerifyInBaton() async throws {
        let package = try Self.adapter()
        defer { package.close() }
        let profile = TokenProfile("aip-jwt-chain")
        guard
            case let .token(t0) = await package.mint(
                MintRequest(
                    profile: profile, issuer: Self.id("orchestrator"), issuerKey: Self.key("orchestrator"),
                    scopes: ["research:read", "write:draft"],
                    budgetCents: 500, maxDepth: 3, ttlSeconds: 3600, now: Self.now, subject: Self.id("orchestrator"),
                    subjectKey: Self.key("orchestrator").publicKey))
        else { Issue.record("the package did not mint"); return }
        func delegate(_ token: String, by: String, to: String, scopes: [String]) async -> String? {
            let answer = await package.delegate(
                DelegateRequest(
                    profile: profile, token: token, delegator: Self.id(by), delegate: Self.id(to), scopes: scopes, context: "\(by) to \(to)",
                    now: Self.now, delegatorKey: Self.key(by), delegateKey: Self.key(to).publicKey))
            if case let .token(t) = answer { return t }
            Issue.record("the package did not delegate: \(answer)")
            return nil
        }
        guard let t1 = await delegate(t0, by: "orchestrator", to: "researcher", scopes: ["research:read", "write:draft"]),
            let t2 = await delegate(t1, by: "researcher", to: "writer", scopes: ["write:draft"])
        else { return }
        let verifier = JWTChainVerifier()
        let report = verifier.verify(
            .init(
                token: t2, rootKey: Self.key("orchestrator").publicKey, audience: Self.id("writer"),
                requiredScope: "write:draft", now: Self.now + 10))
        #expect(report.error == nil, "\(report.steps)")
        let outside = verifier.verify(
            .init(
                token: t2, rootKey: Self.key("orchestrator").publicKey, audience: Self.id("writer"),
                requiredScope: "research:read", now: Self.now + 10))
        #expect(outside.error?.code == .scopeInsufficient)
    }
}
