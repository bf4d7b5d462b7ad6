/// How reports and traces show agents.
public enum AgentName {
    /// An agent's name for display: the scenario domain's prefix dropped
    /// (`aip:web:acme.com/writer` → `writer`).
    public static func short(_ id: String?) -> String {
        guard let id else { return "?" }
        for prefix in ["aip:web:acme.com/", "spiffe://acme.com/acme/delegation/agent/"] where id.hasPrefix(prefix) {
            return String(id.dropFirst(prefix.count))
        }
        return id
    }
}
