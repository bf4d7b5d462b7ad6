import BatonAudit
import BatonRuntime

/// Builds audit records from bus exchanges, from what the profile's driver read of the token
/// (never verified: the record says what was presented and what was decided).
enum AuditTrail {
    static func record(
        session: String, time: Int64, caller: String, receiver: String, scope: String,
        reading: ChainReading, response: A2ATaskResponse, step: String? = nil
    ) -> AuditRecord {
        AuditRecord(
            sequence: 0, time: time, session: session, principal: reading.principal, issuer: reading.issuer, caller: caller,
            receiver: receiver, chain: reading.hops, scope: scope, decision: response.error == nil ? "accept" : "reject",
            step: response.error == nil ? nil : step, code: response.error?.aipCode, revocationIds: reading.revocationIDs,
            previousHash: "", hash: "", signature: "")
    }
}
