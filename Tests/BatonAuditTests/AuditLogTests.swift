import BatonAudit
import BatonCrypto
import Testing

@Suite struct AuditLogTests {
    static func log(_ n: Int) -> AuditLog {
        var log = AuditLog()
        for i in 0..<n {
            log.append(
                AuditRecord(
                    sequence: 0, time: 1_780_000_000 + Int64(i), session: "s", principal: "user:alice", issuer: "aip:web:acme.com/orchestrator",
                    caller: "aip:web:acme.com/researcher", receiver: "aip:web:acme.com/writer",
                    chain: [.init(delegator: "o", delegate: "r", scopes: ["write:draft"], context: "why")],
                    scope: i % 2 == 0 ? "write:draft" : "email:send", decision: i % 2 == 0 ? "accept" : "reject",
                    step: nil, code: i % 2 == 0 ? nil : "aip_scope_insufficient", revocationIds: ["ab"], previousHash: "", hash: "", signature: ""))
        }
        return log
    }

    static var auditor: Ed25519.PublicKey { AuditLog().auditorKey.publicKey }

    @Test func intactLogVerifies() {
        let log = Self.log(5)
        #expect(AuditVerifier.verify(log.jsonLines(), auditor: Self.auditor) == nil)
        #expect(log.records[1].previousHash == log.records[0].hash)
        #expect(log.records[0].previousHash == AuditRecord.genesis)
    }

    @Test func editedRecordIsNamed() {
        var lines = Self.log(5).jsonLines().split(separator: "\n").map(String.init)
        lines[2] = lines[2].replacingOccurrences(of: "\"decision\":\"accept\"", with: "\"decision\":\"reject\"")
        #expect(AuditVerifier.verify(lines.joined(separator: "\n"), auditor: Self.auditor) == .edited(line: 3, sequence: 2))
    }

    @Test func droppedRecordIsNamed() {
        var lines = Self.log(5).jsonLines().split(separator: "\n").map(String.init)
        lines.remove(at: 1)
        #expect(AuditVerifier.verify(lines.joined(separator: "\n"), auditor: Self.auditor) == .outOfSequence(line: 2, expected: 1, found: 2))
        // Dropping the tail cannot be detected from the log alone; dropping the head can.
        var head = Self.log(5).jsonLines().split(separator: "\n").map(String.init)
        head.removeFirst()
        #expect(AuditVerifier.verify(head.joined(separator: "\n"), auditor: Self.auditor) == .outOfSequence(line: 1, expected: 0, found: 1))
    }

    @Test func reorderedRecordsAreNamed() {
        var lines = Self.log(5).jsonLines().split(separator: "\n").map(String.init)
        lines.swapAt(1, 2)
        #expect(AuditVerifier.verify(lines.joined(separator: "\n"), auditor: Self.auditor) == .outOfSequence(line: 2, expected: 1, found: 2))
    }

    @Test func resealedByAnotherKeyIsRefused() {
        var other = AuditLog(auditorKey: .derived(from: "mallory-auditor"))
        for r in Self.log(3).records { other.append(r) }
        #expect(AuditVerifier.verify(other.jsonLines(), auditor: Self.auditor) == .badSignature(line: 1, sequence: 0))
    }

    @Test func garbageLineIsNamed() {
        let text = Self.log(2).jsonLines() + "{not json\n"
        guard case .unreadable(line: 3, _)? = AuditVerifier.verify(text, auditor: Self.auditor) else {
            Issue.record("garbage not reported"); return
        }
    }

    @Test func whoFindsTheChainBackToThePerson() {
        let found = AuditVerifier.who(Self.log(4).records, agent: "writer", action: "write:draft")
        #expect(found.count == 2)
        #expect(found.allSatisfy { $0.principal == "user:alice" && $0.chain.first?.delegator == "o" })
    }
}
