/// One tool: its name, its price in cents, the scope a token must grant to call it (by default
/// `tool:<name>`) and a one-line description.
public struct ToolSpec: Hashable, Sendable, Codable {
    /// The tool's name as called over MCP (`research.search`).
    public var name: String
    /// What one call costs, in cents; charged against every budget hop of the caller's chain.
    public var priceCents: Int64
    /// The scope a delegation token must grant for this tool (`tool:research.search`).
    public var scope: String
    /// A one-line description, shown in `tools/list`.
    public var summary: String

    /// A tool; `scope` defaults to `tool:<name>`.
    public init(name: String, priceCents: Int64, scope: String? = nil, summary: String) {
        self.name = name
        self.priceCents = priceCents
        self.scope = scope ?? "tool:\(name)"
        self.summary = summary
    }
}
