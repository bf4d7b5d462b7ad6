/// Why an agent itself refuses to act (before any token is issued or sent).
public enum AgentRefusal: String, Hashable, Sendable, CaseIterable {
    /// The agent received no token, so it has no authority to pass on.
    case noAuthority = "agent_no_authority"
    /// The peer is not on the bus.
    case unknownPeer = "agent_unknown_peer"
    /// The peer's card does not prove the identity it claims.
    case cardUnverified = "agent_card_unverified"

    /// The step a card refusal is reported at.
    public static let cardStep = "CARD"
}
