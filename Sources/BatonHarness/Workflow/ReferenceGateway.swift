import BatonModel

/// Baton's reference gateway: per call it binds the transport identity to the token (a tool call's
/// caller must be the token's holder; a task's receiver its last delegate and its sender the one who
/// delegated the last hop), verifies the token with the verifier it is given (the implementation under
/// test's, when that verifies, so a gateway never hides a verifier's defects), and records the person
/// at the root, the holder and every hop.
public struct ReferenceGateway: Sendable {
    /// Verifies a token as the gateway's own check.
    public var verify: @Sendable (VerifyRequest) async -> Outcome
    /// Reads a token's chain (never verified: the record says what was presented).
    public var read: @Sendable (String) -> ChainReading

    public init(verify: @escaping @Sendable (VerifyRequest) async -> Outcome, read: @escaping @Sendable (String) -> ChainReading) {
        self.verify = verify
        self.read = read
    }

    /// Decides one call: the identity binding first (its refusal at `GW`), then the token's verification.
    public func decide(_ call: GatewayCall) async -> GatewayDecision {
        let reading = call.token.map(read) ?? ChainReading()
        let record = GatewayRecord(
            caller: call.transportIdentity, principal: reading.principal, holder: WorkflowGateway.holder(reading), hops: reading.hops)
        if call.token != nil {
            let mismatch =
                switch call.kind {
                case .tool: WorkflowGateway.checkToolCall(reading, transportIdentity: call.transportIdentity)
                case .task: WorkflowGateway.checkTask(reading, sender: call.transportIdentity, receiver: call.target)
                }
            if let mismatch { return GatewayDecision(outcome: mismatch, record: record) }
        }
        let outcome = await verify(call.verify)
        return GatewayDecision(outcome: outcome, record: record)
    }
}
