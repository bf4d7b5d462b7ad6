import AIP
import BatonCrypto
import Biscuit
import Testing

/// The reference issuer writes canonical Datalog and refuses what the spec forbids.
@Suite struct ChainedIssuerTests {
    @Test func authorityBlockIsCanonical() throws {
        let token = try F.standard.authority(scopes: ["research:read", "tool:*"], budget: 500, maxDepth: 3)
        let printed = try DatalogPrinter.printBlock(token.decodedBlocks()[0].source)
        #expect(
            printed == """
                identity("aip:web:acme.com/orchestrator");
                principal("user:alice@acme.com");
                right("research:read");
                right("tool:*");
                max_depth(3);
                budget_ceiling(500);
                check if tool($t), ["research:read"].contains($t) or tool($t), $t.starts_with("tool:");
                check if time($t), $t <= 2026-05-28T21:26:40Z;

                """)
    }

    @Test func delegationBlockIsCanonical() throws {
        let token = try F.standard.twoHops()
        let printed = try DatalogPrinter.printBlock(token.decodedBlocks()[2].source)
        #expect(
            printed == """
                delegator("aip:web:acme.com/researcher");
                delegate("aip:web:acme.com/writer");
                context("draft the summary");
                budget_ceiling(100);
                check if tool($t), ["write:draft"].contains($t);

                """)
    }

    @Test func sameInputsGiveTheSameBytes() throws {
        #expect(try F.standard.twoHops().serialized() == F.standard.twoHops().serialized())
    }

    func expectRefused(_ code: AIPErrorCode, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("the issuer did not refuse (expected \(code.rawValue))", sourceLocation: sourceLocation)
        } catch let error as AIPError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Tokens §7.1 req 4: in the Simple profile "tool:*" is a literal scope. The issuer writes it
    /// into the allowlist, and delegating tool:search from it is a widening, refused; the verifier
    /// reads the literal as a literal and the Standard prefix as a prefix.
    @Test func aSimpleProfileStarIsALiteral() throws {
        let simple = try F.issuer.createAuthority(
            .init(issuer: F.orchestrator, issuerKey: F.key(F.orchestrator), scopes: ["tool:*"], now: F.now, profile: .simple))
        let printed = try DatalogPrinter.printBlock(simple.decodedBlocks()[0].source)
        #expect(printed.contains(#"check if tool($t), ["tool:*"].contains($t);"#))
        var search = F.delegation(F.orchestrator, F.researcher, scopes: ["tool:search"])
        #expect(throws: AIPError.self) { try F.issuer.delegate(simple, search) }
        search.profile = .simple
        #expect(throws: AIPError.self) { try F.issuer.delegate(simple, search) }
        var literal = F.delegation(F.orchestrator, F.researcher, scopes: ["tool:*"])
        #expect(throws: AIPError.self, "the Standard reading of tool:* is a prefix, wider than the literal") {
            try F.issuer.delegate(simple, literal)
        }
        literal.profile = .simple
        let t1 = try F.issuer.delegate(simple, literal)
        #expect(F.verify(t1, audience: F.researcher, scope: "tool:*").error == nil)
        #expect(F.verify(t1, audience: F.researcher, scope: "tool:search").error?.code == .scopeInsufficient)
        // The Standard profile's tool:* does allow tool:search.
        let standard = try F.issuer.createAuthority(.init(issuer: F.orchestrator, issuerKey: F.key(F.orchestrator), scopes: ["tool:*"], now: F.now))
        let t1s = try F.issuer.delegate(standard, F.delegation(F.orchestrator, F.researcher, scopes: ["tool:search"]))
        #expect(F.verify(t1s, audience: F.researcher, scope: "tool:search").error == nil)
    }

    @Test func refusesWhatTheSpecForbids() throws {
        let authority = try F.standard.authority(scopes: ["research:read", "write:draft"], budget: 500, maxDepth: 1)
        expectRefused(.scopeInsufficient) { _ = try F.issuer.delegate(authority, F.delegation(F.orchestrator, F.researcher, scopes: ["email:send"])) }
        expectRefused(.scopeInsufficient) { _ = try F.issuer.delegate(authority, F.delegation(F.orchestrator, F.researcher, scopes: ["*"])) }
        expectRefused(.tokenMalformed) {
            _ = try F.issuer.delegate(authority, F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"], context: ""))
        }
        expectRefused(.tokenMalformed) {
            _ = try F.issuer.delegate(authority, F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"], context: " \t"))
        }
        expectRefused(.budgetExceeded) {
            _ = try F.issuer.delegate(authority, F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"], budget: 501))
        }
        expectRefused(.budgetExceeded) {
            _ = try F.issuer.delegate(authority, F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"], budget: -1))
        }
        expectRefused(.tokenExpired) {
            _ = try F.issuer.delegate(authority, F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"], expiresAt: F.now + 99_999))
        }
        expectRefused(.tokenMalformed) { _ = try F.issuer.delegate(authority, F.delegation(F.mallory, F.researcher, scopes: ["write:draft"])) }
        expectRefused(.tokenMalformed) {
            _ = try F.issuer.delegate(
                authority, F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"], context: "a\"); allow if true; //"))
        }
        let hop = try F.issuer.delegate(authority, F.delegation(F.orchestrator, F.researcher, scopes: ["write:draft"]))
        expectRefused(.depthExceeded) { _ = try F.issuer.delegate(hop, F.delegation(F.researcher, F.writer, scopes: ["write:draft"])) }
        expectRefused(.tokenMalformed) { _ = try F.standard.authority(scopes: []) }
        expectRefused(.budgetExceeded) { _ = try F.standard.authority(budget: -5) }
    }
}
