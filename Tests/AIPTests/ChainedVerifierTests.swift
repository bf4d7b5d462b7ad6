import AIP
import BatonCrypto
import Biscuit
import BiscuitForge
import Testing

/// The reference verifier: every V-step's failure, with its code and step.
@Suite struct ChainedVerifierTests {
    func expectRejected(
        _ report: VerificationReport, _ code: AIPErrorCode, at step: VerificationStep, _ comment: Comment? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error = report.error else {
            Issue.record("accepted; expected \(code.rawValue) \(comment?.rawValue ?? "")", sourceLocation: sourceLocation)
            return
        }
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.step == step, "\(error)", sourceLocation: sourceLocation)
    }

    @Test func legitimateChainIsAcceptedWithEveryStepReported() throws {
        let report = F.verify(try F.standard.twoHops())
        guard case let .success(verified) = report.result else { Issue.record("\(report.result)"); return }
        #expect(verified.chain.depth == 2)
        #expect(verified.chain.principal == "user:alice@acme.com")
        #expect(verified.chain.effective.scopes.patterns == ["write:draft"])
        #expect(verified.chain.effective.budgetCents == 100)
        #expect(report.steps.map(\.step) == [.binding, .v1, .v2, .v3, .v4, .v5, .audience, .v6, .v7])
        #expect(report.steps.allSatisfy { $0.status != .failed })
    }

    @Test func missingTokenAndGarbage() {
        let missing = ChainedVerifier().verify(.init(token: nil, rootKey: F.root, now: F.now))
        #expect(missing.error?.code == .tokenMissing)
        let garbage = ChainedVerifier().verify(.init(token: "not base64!", rootKey: F.root, now: F.now))
        #expect(garbage.error?.code == .tokenMalformed)
        let junk = ChainedVerifier().verify(.init(token: Base64URL.encode([1, 2, 3, 4]), rootKey: F.root, now: F.now))
        #expect(junk.error?.code == .tokenMalformed)
    }

    @Test func tamperedByteIsV1() throws {
        let token = try Forge.tamperPayload(F.standard.twoHops(), block: 1, byte: 20)
        expectRejected(F.verify(token), .signatureInvalid, at: .v1)
    }

    @Test func wrongRootKeyIsV1() throws {
        let report = ChainedVerifier(registry: F.registry).verify(
            .init(
                token: try F.standard.twoHops().base64(), rootKey: F.key(F.mallory).publicKey, audience: F.writer, requiredScope: "write:draft",
                now: F.now))
        expectRejected(report, .signatureInvalid, at: .v1)
    }

    @Test func substitutedRootIsV2() throws {
        // Mallory re-signs the whole chain under her own key and presents it with her key as root:
        // the signatures verify, but her key is not the orchestrator's.
        let forged = try Forge.substituteRoot(F.standard.twoHops(), attackerRoot: F.key(F.mallory))
        let report = ChainedVerifier(registry: F.registry).verify(
            .init(
                token: forged.base64(), rootKey: F.key(F.mallory).publicKey, audience: F.writer, requiredScope: "write:draft", now: F.now))
        expectRejected(report, .identityUnresolvable, at: .v2)
    }

    @Test func depthOverflowIsV3() throws {
        let base = try F.issuer.delegate(
            F.standard.authority(maxDepth: 1),
            F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"]))
        // The issuer refuses the second hop…
        #expect(throws: AIPError.self) { try F.issuer.delegate(base, F.delegation(F.researcher, F.writer, scopes: ["write:draft"])) }
        // …so the attacker appends it by hand.
        let forged = try Forge.appendWithoutProof(
            base,
            BlockSource(facts: [
                Fact(name: "delegator", terms: [.string(F.researcher)]), Fact(name: "delegate", terms: [.string(F.writer)]),
                Fact(name: "context", terms: [.string("x")]),
            ]), signer: proofKey(base), nextKey: .derived(from: "n"))
        expectRejected(F.verify(forged), .depthExceeded, at: .v3)
    }

    @Test func widenedScopeIsV4() throws {
        let t1 = try F.issuer.delegate(F.standard.authority(), F.delegation(F.orchestrator, F.researcher, scopes: ["research:read"]))
        let forged = try appendBlock(
            t1, from: F.researcher, to: F.writer, checks: [CanonicalDatalog.toolCheck(ScopeSet(exact: ["research:read", "write:draft"]))])
        expectRejected(F.verify(forged), .scopeInsufficient, at: .v4)
    }

    @Test func widenedScopeHiddenBehindATimeCheckIsStillV4() throws {
        // AIP 0.6.0 reads only the first check by regex; a structural walk is not fooled.
        let t1 = try F.issuer.delegate(F.standard.authority(), F.delegation(F.orchestrator, F.researcher, scopes: ["research:read"]))
        let forged = try appendBlock(
            t1, from: F.researcher, to: F.writer,
            checks: [
                CanonicalDatalog.timeCheck(expiry: UInt64(F.now + 60)),
                CanonicalDatalog.toolCheck(ScopeSet(exact: ["research:read", "email:send"])),
            ])
        expectRejected(F.verify(forged, scope: "research:read"), .scopeInsufficient, at: .v4)
    }

    @Test func raisedBudgetIsV4() throws {
        let t1 = try F.issuer.delegate(F.standard.authority(), F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"], budget: 100))
        let forged = try appendBlock(t1, from: F.researcher, to: F.writer, facts: [Fact(name: "budget_ceiling", terms: [.integer(999)])])
        expectRejected(F.verify(forged), .budgetExceeded, at: .v4)
    }

    @Test func expiredTokenAndOutlivingBlockAreV4() throws {
        expectRejected(F.verify(try F.standard.twoHops(), at: F.now + 7200), .tokenExpired, at: .v4)
        let t1 = try F.issuer.delegate(
            F.standard.authority(), F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"], expiresAt: F.now + 60))
        let forged = try appendBlock(t1, from: F.researcher, to: F.writer, checks: [CanonicalDatalog.timeCheck(expiry: UInt64(F.now + 3000))])
        expectRejected(F.verify(forged), .tokenExpired, at: .v4)
        // An expired delegation block inside an unexpired authority.
        expectRejected(F.verify(t1, audience: F.researcher, at: F.now + 120), .tokenExpired, at: .v4)
    }

    @Test func brokenDelegatorContinuityIsV4() throws {
        let t1 = try F.issuer.delegate(F.standard.authority(), F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"]))
        // Mallory claims to delegate a token she never held.
        let forged = try appendBlock(t1, from: F.mallory, to: F.writer)
        expectRejected(F.verify(forged), .tokenMalformed, at: .v4)
    }

    @Test func substitutedPrincipalIsV4() throws {
        let t1 = try F.issuer.delegate(F.standard.authority(), F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"]))
        let forged = try appendBlock(t1, from: F.researcher, to: F.writer, facts: [Fact(name: "principal", terms: [.string("user:mallory")])])
        expectRejected(F.verify(forged), .tokenMalformed, at: .v4)
    }

    @Test func emptyContextIsV5() throws {
        let t1 = try F.issuer.delegate(F.standard.authority(), F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"]))
        let forged = try appendBlock(t1, from: F.researcher, to: F.writer, context: "   ")
        expectRejected(F.verify(forged), .tokenMalformed, at: .v5)
    }

    @Test func wrongAudience() throws {
        expectRejected(F.verify(try F.standard.twoHops(), audience: F.researcher), .audienceMismatch, at: .audience)
    }

    @Test func scopeOutsideTheLeafIsV6() throws {
        expectRejected(F.verify(try F.standard.twoHops(), scope: "research:read"), .scopeInsufficient, at: .v6)
    }

    @Test func revocationIsV7AndStaleStatusFailsClosed() throws {
        let token = try F.standard.twoHops()
        var list = RevocationList(refreshedAt: F.now)
        #expect(F.verify(token, revocation: list).error == nil)
        list.revoke(revocationId: token.revocationIds[1])
        expectRejected(F.verify(token, revocation: list), .keyRevoked, at: .v7)
        let stale = RevocationList(refreshedAt: F.now - 3600)
        expectRejected(F.verify(token, revocation: stale), .keyRevoked, at: .v7)
    }

    @Test func signedDelegationClosesRetargeting() throws {
        let options = ChainedVerifier.Options(requireSignedDelegation: true)
        #expect(F.verify(try F.standard.twoHops(signed: true), options: options).error == nil)
        // Unsigned hops are refused when signatures are required.
        expectRejected(F.verify(try F.standard.twoHops(), options: options), .signatureInvalid, at: .v1)
        // A holder re-targets a captured token to Mallory with a block signed by a throwaway key.
        let t1 = try F.issuer.delegate(F.standard.authority(), F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"], signed: true))
        let retargeted = try appendBlock(t1, from: F.researcher, to: F.mallory)
        #expect(F.verify(retargeted, audience: F.mallory).error == nil, "without the option the re-targeting goes through")
        expectRejected(F.verify(retargeted, audience: F.mallory, options: options), .signatureInvalid, at: .v1)
    }

    @Test func nonCanonicalRuleIsMalformedInStrictMode() throws {
        let t1 = try F.issuer.delegate(F.standard.authority(), F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"]))
        let rule = Rule(
            head: Predicate(name: "budget_ceiling", terms: [.integer(999)]), body: [Predicate(name: "delegator", terms: [.variable("x")])])
        let forged = try appendBlock(t1, from: F.researcher, to: F.writer, rules: [rule])
        expectRejected(F.verify(forged), .tokenMalformed, at: .v4)
    }

    /// Core §2.1: a hop through a look-alike identifier (a zero-width joiner, a bidi override, a
    /// Cyrillic letter) names nobody, even when continuity holds string for string.
    @Test(arguments: ["aip:web:acme.com/wr\u{200D}iter", "aip:web:acme.com/\u{202E}retirw", "aip:web:\u{430}cme.com/writer"])
    func aLookAlikeHopIsMalformedAtV4(_ lookAlike: String) throws {
        let t1 = try F.issuer.delegate(F.standard.authority(), F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"]))
        let forged = try appendBlock(appendBlock(t1, from: F.researcher, to: lookAlike), from: lookAlike, to: F.writer)
        expectRejected(F.verify(forged), .tokenMalformed, at: .v4)
        let error = try #require(F.verify(forged).error)
        let printable = error.message.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(printable, "the message escapes the look-alike: \(error.message)")
        var lenient = ChainedVerifier.Options()
        lenient.flaws = [.lenientCanonicalForm]
        #expect(F.verify(forged, options: lenient).error == nil, "the lenient flaw lets the look-alike hop through")
    }

    /// Valid Datalog outside the canonical form: refused at V4 by the reference; the lenient flaw skips
    /// what it cannot read, so the block inherits its parent's scope, expiry or budget and the
    /// widening goes through (the conjunction of checks still allows write:draft).
    @Test(arguments: [
        #"check if tool($t), $t == "write:draft" or tool($t), $t == "email:send""#,
        #"check if tool($t), $t.ends_with(":draft")"#,
        #"check all tool($t), ["write:draft", "email:send"].contains($t)"#,
        #"check if time($t), $t < 2099-01-01T00:00:00Z"#,
        #"check if budget_ceiling($b), $b <= 99999"#,
        #"budget_ceiling("99999")"#,
    ])
    func nonCanonicalWideningIsMalformedAtV4(_ datalog: String) throws {
        let t1 = try F.issuer.delegate(F.standard.authority(), F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"], budget: 100))
        let extra = try DatalogParser.parseBlock(datalog + ";")
        let forged = try appendBlock(t1, from: F.researcher, to: F.writer, facts: extra.facts, checks: extra.checks)
        expectRejected(F.verify(forged, scope: "write:draft"), .tokenMalformed, at: .v4)
        var lenient = ChainedVerifier.Options()
        lenient.flaws = [.lenientCanonicalForm]
        #expect(F.verify(forged, scope: "write:draft", options: lenient).error == nil)
    }

    // MARK: helpers

    func proofKey(_ token: BiscuitToken) throws -> Ed25519.PrivateKey {
        guard case let .nextSecret(secret) = token.proof else { throw AIPError(.tokenMalformed, "sealed") }
        return try Ed25519.PrivateKey(seed: secret)
    }

    /// What any holder can do: append a block (signed with the proof key) with arbitrary content.
    func appendBlock(
        _ token: BiscuitToken, from: String, to: String, context: String = "forged", facts: [Fact] = [],
        rules: [Rule] = [], checks: [Check] = []
    ) throws -> BiscuitToken {
        let source = BlockSource(
            facts: [
                Fact(name: "delegator", terms: [.string(from)]), Fact(name: "delegate", terms: [.string(to)]),
                Fact(name: "context", terms: [.string(context)]),
            ] + facts, rules: rules, checks: checks)
        return try token.appending(source, nextKey: .derived(from: "forged-next"))
    }
}
