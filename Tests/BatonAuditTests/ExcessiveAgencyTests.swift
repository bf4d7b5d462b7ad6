import BatonAudit
import Testing

@Suite struct ExcessiveAgencyTests {
    func record(_ caller: String, _ scope: String, decision: String = "accept", holder: String? = nil, granted: [String], session: String = "s")
        -> AuditRecord
    {
        AuditRecord(
            sequence: 0, time: 0, session: session, principal: "user:alice", issuer: "root", caller: caller, receiver: "mcp://tools.example",
            chain: [.init(delegator: "root", delegate: holder ?? caller, scopes: granted, context: "why")], scope: scope, decision: decision,
            step: nil, code: nil, revocationIds: [], previousHash: "", hash: "", signature: "")
    }

    @Test func grantsBroaderThanUseAreListedBroadestFirst() {
        let records = [
            record("writer", "tool:docs.write", granted: ["tool:docs.write", "tool:email.send", "tool:files.read"]),
            record("researcher", "tool:search", granted: ["tool:search", "tool:docs.write"]),
            record("researcher", "tool:docs.write", decision: "reject", granted: ["tool:search", "tool:docs.write"]),
            record("lean", "tool:search", granted: ["tool:search"]),
        ]
        let findings = AuditVerifier.excessiveAgency(records)
        #expect(findings.map(\.caller) == ["writer", "researcher"])
        #expect(findings[0].unused == ["tool:email.send", "tool:files.read"])
        // A refused call is not a use.
        #expect(findings[1].unused == ["tool:docs.write"])
    }

    @Test func someoneElsesTokenGrantsNothing() {
        let records = [record("mallory", "tool:docs.write", decision: "reject", holder: "writer", granted: ["tool:docs.write", "tool:email.send"])]
        #expect(AuditVerifier.excessiveAgency(records).isEmpty)
    }

    @Test func whoFindsToolCallsByTheirCaller() {
        let records = [record("aip:web:acme.com/writer", "tool:docs.write", granted: ["tool:docs.write"])]
        #expect(AuditVerifier.who(records, agent: "writer", action: "tool:docs.write").count == 1)
        #expect(AuditVerifier.who(records, agent: "researcher", action: "tool:docs.write").isEmpty)
    }
}
