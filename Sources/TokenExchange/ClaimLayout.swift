/// How an identity server lays out the claims of the tokens it issues. Both are seen in
/// identity servers for agents; Baton tests each as its own sub-profile.
public enum ClaimLayout: String, Hashable, Sendable, CaseIterable, Codable {
    /// `sub` is the agent holding the token; `act` names only the immediate delegator
    /// (one level); `scopes` is a JSON array; the person at the root travels in `principal`.
    case agentSubject = "agent-subject"
    /// RFC 8693 §4.1: `sub` stays the person at the root; `act` nests one level per hop with
    /// the current actor outermost; `scope` is a space-separated string.
    case rfc8693

    /// The name of the scope claim in this layout.
    public var scopeClaim: String { self == .agentSubject ? "scopes" : "scope" }
}
