/// What a resource server remembers between calls: the proof ids it has accepted (until they
/// expire) and, per workflow, the steps completed and the agents that completed them, in the order
/// each step first completed.
/// The chain and sequence hashes of a token are checked against this view, not the client's word.
public struct ResourceServerView: Hashable, Sendable {
    /// Accepted DPoP proof ids (and legacy proof signatures) and when each may be forgotten.
    public var seenProofs: [String: Int64] = [:]
    /// Per workflow id, the steps completed, each once, in the order they first completed.
    public var completedSteps: [String: [String]] = [:]
    /// Per workflow id, the agent that completed each of `completedSteps`.
    public var chain: [String: [String]] = [:]

    public init() {}
}
