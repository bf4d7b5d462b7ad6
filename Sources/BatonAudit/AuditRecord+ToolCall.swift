extension AuditRecord {
    /// The scheme of a tool server's identity as records name it (`mcp://tools.acme.com`).
    public static let toolServerScheme = "mcp://"

    /// Whether the record is of a call to a tool server (rather than a task between agents).
    public var isToolCall: Bool { receiver.hasPrefix(Self.toolServerScheme) }
}
