import MCP

extension ToolServer {
    /// The name the MCP server reports.
    public static let mcpServerName = "baton-tools"

    /// A new MCP server for this tool server: `tools/list` lists the catalog, `tools/call` goes
    /// through `call(_:)` (so every session shares one ledger and one call log). The call's token and
    /// caller are read as `MCPWire` describes. Start it on any transport.
    public func mcpServer() async -> Server {
        await Self.mcpServer(catalog: catalog) { [self] in await self.call($0) }
    }

    /// A new MCP server that lists `catalog` and hands each `tools/call` (token and caller read as
    /// `MCPWire` describes) to `call`.
    public static func mcpServer(catalog: ToolCatalog, call: @escaping @Sendable (ToolCallRequest) async -> ToolCallResult) async -> Server {
        let server = Server(name: mcpServerName, version: "1.0.0", capabilities: .init(tools: .init(listChanged: false)))
        let tools = catalog.tools.map(MCPWire.tool)
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools) }
        await server.withMethodHandler(CallTool.self) { params in
            let request = MCPWire.request(params, http: Server.currentHandlerContext?.httpContext)
            return MCPWire.result(await call(request))
        }
        return server
    }
}
