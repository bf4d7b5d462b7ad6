/// Why a JSON document is not an agent definition in auth51-checksum's dict form
/// (``AgentDefinition/init(components:)``).
public enum AgentDefinitionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A member the library requires is absent (`agent_id`, `prompt_template`; a tool's `name`,
    /// `signature`, `description`).
    case missingMember(String)
    /// A member has a JSON type the library does not read there.
    case wrongType(member: String, expected: String, found: String)

    public var description: String {
        switch self {
        case let .missingMember(name): return "agent definition: missing member \(name)"
        case let .wrongType(member, expected, found): return "agent definition: \(member) is a \(found), expected a \(expected)"
        }
    }
}
