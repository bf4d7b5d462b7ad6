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
