import AIP
import AIPJWT
import BatonCrypto
import JOSE
import Testing

/// The AIP JWT chain's issuer and verifier on their own: what an honest issuer makes verifies,
/// and each defence refuses what it must with the spec's code at its step.
@Suite struct JWTChainTests {
    static let now: Int64 = 1_780_000_000
    static func key(_ name: String) -> Ed25519.PrivateKey { .derived(from: "jwt-chain-tests:\(name)") }
    static func id(_ name: String) -> String { "aip:web:acme.com/\(name)" }

    /// orchestrator (holding its own authority) → researcher → writer.
    static func chain(tools: [String] = ["research:read", "write:draft"]) throws -> String {
        let issuer = JWTChainIssuer()
        let t0 = try issuer.createRoot(
            .init(
                issuer: id("orchestrator"), delegate: id("orchestrator"), holderKey: key("orchestrator").publicKey, tools: tools,
                budgetCents: 500, principal: "user:alice", issuerKey: key("orchestrator"), now: now))
        let t1 = try issuer.append(
            t0,
            .init(
                holderKey: key("orchestrator"), delegate: id("researcher"), nextHolderKey: key("researcher").publicKey,
                context: "review", tools: ["research:read", "write:draft"], budgetCents: 200, now: now))
        return try issuer.append(
            t1,
            .init(
                holderKey: key("researcher"), delegate: id("writer"), nextHolderKey: key("writer").publicKey, context: "draft",
                tools: ["write:draft"], now: now))
    }

    static func verify(
        _ token: String, audience: String? = id("writer"), tool: String? = "write:draft", at time: Int64 = now,
        flaws: Set<JWTChainFlaw> = []
    ) -> JWTChainVerificationReport {
        var options = JWTChainVerifier.Options()
        options.flaws = flaws
        return JWTChainVerifier(options: options).verify(
            .init(
                token: token, rootKey: key("orchestrator").publicKey, audience: audience,
                requiredScope: tool, now: time))
    }

    @Test func anHonestChainVerifies() throws {
        let token = try Self.chain()
        #expect(token.split(separator: "~").count == 3)
        let report = Self.verify(token)
        #expect(report.error == nil, "\(report.steps)")
        guard case let .success(verified) = report.result else { return }
        #expect(verified.effective.tools == ["write:draft"])
        #expect(verified.effective.budgetCents == 200)
        #expect(verified.effective.principal == "user:alice")
        #expect(JWTChainFormat.looksLikeChain(token))
    }

    @Test func eachLinkIsBoundToThePreviousHolder() throws {
        let token = try Self.chain()
        var links = token.split(separator: "~").map(String.init)
        links.remove(at: 1)
        let report = Self.verify(links.joined(separator: "~"))
        #expect(report.error?.code == .signatureInvalid)
        #expect(report.error?.step == .v1)
    }

    /// A link is read only after its signature: an attacker's link with a mistyped claim is refused
    /// at V1 as a bad signature, not at V4 as malformed.
    @Test func claimsAreReadOnlyAfterTheSignature() throws {
        var links = try Self.chain().split(separator: "~").map(String.init)
        let leaf = try JWS.parse(links[2])
        var claims = leaf.claims
        claims[JWTChainLink.Claim.budgetCents] = "lots"
        links[2] = try JWS.sign(header: ["typ": .string(JWTChainFormat.linkType)], claims: claims, key: .ed25519(.derived(from: "mallory"))).compact
        let report = Self.verify(links.joined(separator: "~"))
        #expect(report.error?.code == .signatureInvalid)
        #expect(report.error?.step == .v1)
    }

    @Test func aPrefixIsStoppedOnlyByTheAudience() throws {
        let prefix = try Self.chain().split(separator: "~").prefix(2).joined(separator: "~")
        #expect(Self.verify(prefix, audience: Self.id("writer"), tool: "research:read").error?.code == .audienceMismatch)
        #expect(Self.verify(prefix, audience: Self.id("researcher"), tool: "research:read").error == nil)
        #expect(Self.verify(prefix, audience: Self.id("writer"), tool: "research:read", flaws: [.skipAudience]).error == nil)
    }

    @Test func wildcardsCoverPrefixesAndNeverWiden() {
        #expect(JWTChainVerifier.covers("research:*", "research:read"))
        #expect(JWTChainVerifier.covers("*", "email:send"))
        #expect(!JWTChainVerifier.covers("research:read", "research:*"))
        #expect(!JWTChainVerifier.covers("research:*", "email:send"))
    }

    @Test func theHonestIssuerRefusesWhatTheVerifierWould() throws {
        let issuer = JWTChainIssuer()
        let t0 = try issuer.createRoot(
            .init(
                issuer: Self.id("orchestrator"), delegate: Self.id("researcher"), holderKey: Self.key("researcher").publicKey,
                tools: ["research:read"], maxDepth: 1, budgetCents: 100, issuerKey: Self.key("orchestrator"), now: Self.now))
        func refusal(_ d: JWTChainIssuer.Delegation) -> AIPError? {
            do { _ = try issuer.append(t0, d); return nil } catch { return error }
        }
        let writer = Self.key("writer").publicKey
        #expect(
            refusal(
                .init(
                    holderKey: Self.key("researcher"), delegate: Self.id("writer"), nextHolderKey: writer, context: "x",
                    tools: ["email:send"], now: Self.now))?.code == .scopeInsufficient)
        #expect(
            refusal(
                .init(
                    holderKey: Self.key("researcher"), delegate: Self.id("writer"), nextHolderKey: writer, context: "x",
                    budgetCents: 900, now: Self.now))?.code == .budgetExceeded)
        #expect(
            refusal(
                .init(
                    holderKey: Self.key("researcher"), delegate: Self.id("writer"), nextHolderKey: writer, context: " ",
                    now: Self.now))?.step == .v5)
        #expect(
            refusal(
                .init(
                    holderKey: Self.key("writer"), delegate: Self.id("writer"), nextHolderKey: writer, context: "x",
                    now: Self.now))?.code == .signatureInvalid)
        let t1 = try issuer.append(
            t0,
            .init(
                holderKey: Self.key("researcher"), delegate: Self.id("writer"), nextHolderKey: writer,
                context: "x", now: Self.now))
        #expect(throws: AIPError.self) {
            try issuer.append(
                t1, .init(holderKey: Self.key("writer"), delegate: Self.id("writer"), nextHolderKey: writer, context: "x", now: Self.now))
        }
    }

    @Test func expiryAndHeadersFailClosed() throws {
        let token = try Self.chain()
        #expect(Self.verify(token, at: Self.now + 3600).error?.code == .tokenExpired)
        #expect(Self.verify("", audience: nil).error?.code == .tokenMissing)
        #expect(Self.verify(token + "~", audience: nil).error?.code == .tokenMalformed)
        // The leaf re-signed by its rightful holder but typed as a compact token.
        var links = token.split(separator: "~").map(String.init)
        let leaf = try JWS.parse(links[2])
        links[2] = try JWS.sign(header: ["typ": "aip+jwt"], claims: leaf.claims, key: .ed25519(Self.key("researcher"))).compact
        #expect(Self.verify(links.joined(separator: "~")).error?.code == .signatureInvalid)
    }
}
