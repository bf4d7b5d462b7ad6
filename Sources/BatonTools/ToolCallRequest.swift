/// A tool call as the server sees it.
public struct ToolCallRequest: Hashable, Sendable {
    /// The tool's name.
    public var tool: String
    /// The caller's delegation token, nil when none was presented.
    public var token: String?
    /// The caller's identity as the transport knows it (empty when unknown).
    public var caller: String
    /// The call's arguments, as strings.
    public var arguments: [String: String]

    public init(tool: String, token: String?, caller: String, arguments: [String: String] = [:]) {
        self.tool = tool
        self.token = token
        self.caller = caller
        self.arguments = arguments
    }
}
