import JOSE

extension AgentDefinition {
    /// Reads the dict form auth51-checksum accepts in place of its dataclasses (and its registry
    /// stores): `{"agent_id", "prompt_template", "tools": [{"name", "signature", "description",
    /// "source_code"?, "is_agent"?, "source"?, "parameters"?}], "configuration"}`.
    ///
    /// As in the library, `tools` and `configuration` may be absent or `null` (no tools, `{}`), a
    /// `source` other than `"mcp"` is in-process, and `null` for `source_code` or `parameters` is
    /// absent. Unlike the library, a configuration that is not an object is refused.
    public init(components: JSONObject) throws(AgentDefinitionError) {
        let tools = try Self.optional("tools", in: components, "array") { $0.arrayValue } ?? []
        self.init(
            id: try Self.required("agent_id", in: components),
            prompt: try Self.required("prompt_template", in: components),
            tools: try tools.enumerated().map { (index, value) throws(AgentDefinitionError) in
                guard let tool = value.objectValue else {
                    throw .wrongType(member: "tools[\(index)]", expected: "object", found: value.typeName)
                }
                return try AgentTool(components: tool, index: index)
            },
            configuration: try Self.optional("configuration", in: components, "object") { $0.objectValue } ?? [:])
    }

    static func required(_ name: String, in object: JSONObject, path: String = "") throws(AgentDefinitionError) -> String {
        guard let value = object[name] else { throw .missingMember(path + name) }
        guard let text = value.stringValue else { throw .wrongType(member: path + name, expected: "string", found: value.typeName) }
        return text
    }

    /// The member read by `read`, or `nil` when it is absent or `null`.
    static func optional<T>(
        _ name: String, in object: JSONObject, path: String = "", _ expected: String, _ read: (JSONValue) -> T?
    ) throws(AgentDefinitionError) -> T? {
        guard let value = object[name], value != .null else { return nil }
        guard let result = read(value) else { throw .wrongType(member: path + name, expected: expected, found: value.typeName) }
        return result
    }
}

extension AgentTool {
    init(components tool: JSONObject, index: Int) throws(AgentDefinitionError) {
        let path = "tools[\(index)]."
        self.init(
            name: try AgentDefinition.required("name", in: tool, path: path),
            signature: try AgentDefinition.required("signature", in: tool, path: path),
            description: try AgentDefinition.required("description", in: tool, path: path),
            sourceCode: try AgentDefinition.optional("source_code", in: tool, path: path, "string") { $0.stringValue },
            isSubAgent: try AgentDefinition.optional("is_agent", in: tool, path: path, "boolean") { $0.boolValue } ?? false,
            origin: try AgentDefinition.optional("source", in: tool, path: path, "string") { $0.stringValue } == "mcp" ? .mcp : .process,
            parameters: try AgentDefinition.optional("parameters", in: tool, path: path, "JSON value") { $0 })
    }
}
