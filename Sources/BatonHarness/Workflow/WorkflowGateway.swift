import BatonAudit
import BatonModel

/// The reference gateway of a workflow (`gateway: true` in a scenario): every agent-to-agent and
/// agent-to-tool call passes through it. Per call it compares the transport identity of the caller
/// (what mTLS would tell it: the agent that really sent the call) with the token's holder, verifies
/// the token, and the call's record names the person at the root, the chain and the authority at
/// each hop. The tool server then takes calls only from the gateway.
public struct WorkflowGateway: Hashable, Sendable {
    /// Whether the tool server refuses calls that did not come through the gateway.
    public var toolServerRequiresGateway: Bool

    /// A gateway; by default the tool server takes calls only from it.
    public init(toolServerRequiresGateway: Bool = true) {
        self.toolServerRequiresGateway = toolServerRequiresGateway
    }

    /// The gateway's own refusals.
    public enum Refusal: String, Hashable, Sendable, CaseIterable {
        /// The transport identity of the caller is not the token's holder (or the receiver of a task
        /// is not the token's last delegate).
        case identityMismatch = "gateway_identity_mismatch"
        /// A call reached the tool server around the gateway.
        case required = "gateway_required"
    }

    /// The step the gateway's refusals are reported at.
    public static let step = "GW"

    /// `gateway: true`, or `{tool_server_requires_gateway: false}`.
    static func parse(_ f: YAMLField) throws -> WorkflowGateway? {
        guard f.exists else { return nil }
        if case .scalar? = f.node { return try f.bool() ? WorkflowGateway() : nil }
        try f.rejectUnknownKeys(["tool_server_requires_gateway"])
        return WorkflowGateway(toolServerRequiresGateway: try f["tool_server_requires_gateway"].optionalBool() ?? true)
    }

    /// The holder of a token as its chain reads: the last delegate, or the issuer of a root token.
    public static func holder(_ reading: ChainReading) -> String? { reading.hops.last?.delegate ?? reading.issuer }

    /// A tool call: the caller the transport authenticated must be the token's holder.
    public static func checkToolCall(_ reading: ChainReading, transportIdentity: String) -> Outcome? {
        guard let holder = holder(reading) else { return nil }
        guard holder == transportIdentity else {
            return .rejected(
                Refusal.identityMismatch.rawValue, step: step,
                message: "the call comes from \(transportIdentity) (transport identity) but the token's holder is \(holder)")
        }
        return nil
    }

    /// A task between agents: the sender must be the one who delegated the last hop (or the holder
    /// itself, for a root token), and the receiver the token's last delegate.
    public static func checkTask(_ reading: ChainReading, sender: String, receiver: String) -> Outcome? {
        guard let last = reading.hops.last else {
            // A root token is its issuer's own: handing it to anyone else is forwarding it.
            guard let issuer = reading.issuer, receiver != issuer else { return nil }
            return .rejected(
                Refusal.identityMismatch.rawValue, step: step, message: "the task goes to \(receiver) with a root token of \(issuer)'s own")
        }
        guard last.delegate == receiver else {
            return .rejected(
                Refusal.identityMismatch.rawValue, step: step,
                message: "the task goes to \(receiver) (transport identity) but the token was delegated to \(last.delegate)")
        }
        guard last.delegator == sender else {
            return .rejected(
                Refusal.identityMismatch.rawValue, step: step,
                message: "the task comes from \(sender) (transport identity) but the token's last hop was delegated by \(last.delegator)")
        }
        return nil
    }
}
