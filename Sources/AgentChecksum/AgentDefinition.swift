import JOSE

/// What an Agentic JWT agent is: its identifier, system prompt, tools and configuration, the input
/// of its checksums (auth51-checksum 0.4.0's `AgentComponents`).
///
/// Equality is Swift's: strings compare by canonical equivalence, so two definitions that differ only
/// in Unicode normalisation are equal here yet have different v1 checksums.
public struct AgentDefinition: Sendable, Hashable {
    /// The agent's identifier (the library's `agent_id`).
    public var id: String
    /// The system prompt (the library's `prompt_template`).
    public var prompt: String
    /// The agent's tools, in any order (every version sorts them by name).
    public var tools: [AgentTool]
    /// The agent's configuration (model, temperature …): any JSON object.
    ///
    /// Integers are exact within `Int64`; JOSE's parser reads larger ones as doubles, which Python
    /// would print as integers, so such configurations do not interoperate.
    public var configuration: JSONObject

    public init(id: String, prompt: String, tools: [AgentTool] = [], configuration: JSONObject = [:]) {
        self.id = id
        self.prompt = prompt
        self.tools = tools
        self.configuration = configuration
    }
}
