import BatonAudit
import BatonModel

/// Builds audit records of calls (tasks between agents, tool calls), from what the profile's driver
/// read of the token (never verified: the record says what was presented and what was decided).
enum AuditTrail {
    static func record(
        session: String, time: Int64, caller: String, receiver: String, scope: String, reading: ChainReading, outcome: Outcome
    ) -> AuditRecord {
        let accepted = outcome.verdict == .accept
        return AuditRecord(
            sequence: 0, time: time, session: session, principal: reading.principal, issuer: reading.issuer, caller: caller,
            receiver: receiver, chain: reading.hops, scope: scope, decision: accepted ? "accept" : "reject",
            step: accepted ? nil : outcome.step, code: outcome.code, revocationIds: reading.revocationIDs,
            previousHash: "", hash: "", signature: "")
    }
}
