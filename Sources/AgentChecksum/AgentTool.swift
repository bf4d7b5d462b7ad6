import JOSE

/// One tool of an agent, as auth51-checksum 0.4.0 reads it (its `Tool`).
///
/// Two kinds of tool are not part of an agent's identity and are left out: sub-agents
/// (``isSubAgent``, the library's `is_agent`: a delegation edge) are left out of every version;
/// tools served over MCP (``origin`` ``Origin/mcp``, the library's `source: "mcp"`) are left out of
/// v4 and v5 only. v1 and v2 still hash MCP tools, whatever the library's module comment says.
public struct AgentTool: Sendable, Hashable {
    /// Where a tool runs (the library's `source`).
    public enum Origin: String, Sendable, Hashable, CaseIterable {
        /// In the agent's own process: part of its identity. The library treats any `source` other
        /// than `"mcp"` (and a missing one) as in-process.
        case process
        /// Rented over MCP: part of the grant, not of the identity; left out of v4 and v5.
        case mcp
    }

    /// The tool's name. v4 strips surrounding whitespace; v1 and v2 hash it as given.
    public var name: String
    /// The tool's signature as text, e.g. `(query: str) -> str`. v4 hashes it only when
    /// ``parameters`` is absent.
    public var signature: String
    /// What the tool does. v1 hashes it as given; v2 and v4 normalise it like the prompt.
    public var description: String
    /// The tool's source code. v1 hashes it when non-empty, v2 always (absent is `null`); v5 hashes
    /// it through Python's `ast.unparse`, which Baton does not reproduce.
    public var sourceCode: String?
    /// A sub-agent reached through this tool (the library's `is_agent`): left out of every version.
    public var isSubAgent: Bool
    /// Where the tool runs: ``Origin/mcp`` tools are left out of v4 and v5.
    public var origin: Origin
    /// The function-calling JSON schema of the tool's arguments, hashed by v4 in place of
    /// ``signature``. `nil` when absent (a JSON `null` counts as absent, as in the library).
    public var parameters: JSONValue?

    public init(
        name: String, signature: String, description: String, sourceCode: String? = nil, isSubAgent: Bool = false,
        origin: Origin = .process, parameters: JSONValue? = nil
    ) {
        self.name = name
        self.signature = signature
        self.description = description
        self.sourceCode = sourceCode
        self.isSubAgent = isSubAgent
        self.origin = origin
        self.parameters = parameters
    }

    /// Whether v1 and v2 hash this tool: it is not a sub-agent.
    var countsForFullForms: Bool { !isSubAgent }

    /// Whether v4 and v5 hash this tool: it runs in process and is not a sub-agent.
    var countsForIdentity: Bool { !isSubAgent && origin != .mcp }
}
