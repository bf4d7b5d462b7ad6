import BatonModel
import BatonTools
import MCP
import Testing

@Suite struct MCPInProcessTests {
    static let token = "scopes=tool:research.search,tool:docs.write;hops=root:50;aud=alice"

    /// A raw MCP client on an in-memory pair with the tool server's MCP server.
    static func rawClient(_ server: ToolServer) async throws -> (Client, Server) {
        let (clientEnd, serverEnd) = await InMemoryTransport.createConnectedPair()
        let mcpServer = await server.mcpServer()
        try await mcpServer.start(transport: serverEnd)
        let client = Client(name: "test", version: "1")
        _ = try await client.connect(transport: clientEnd)
        return (client, mcpServer)
    }

    @Test func realClientListsAndCallsTools() async throws {
        let server = ToolServer(catalog: .standard, authorizer: TestAuthorizer())
        let (client, mcpServer) = try await Self.rawClient(server)
        let tools = try await client.listTools().tools
        #expect(tools.map(\.name) == ToolCatalog.standard.tools.map(\.name))
        let search = try #require(tools.first)
        #expect(search.description?.contains("20 cents") == true)
        #expect(search._meta?["baton_price_cents"]?.intValue == 20)
        #expect(search._meta?["baton_scope"]?.stringValue == "tool:research.search")
        #expect(search.inputSchema.objectValue?["type"] == "object")

        let meta = Metadata(additionalFields: ["aip_token": .string(Self.token), "baton_caller": "alice"])
        let result = try await client.send(CallTool.request(.init(name: "research.search", arguments: ["query": "delegation"], meta: meta))).value
        #expect(result.isError == false)
        #expect(result.content == [.text(text: "3 sources on delegation", annotations: nil, _meta: nil)])
        #expect(
            result.structuredContent
                == .object(["tool": "research.search", "output": "3 sources on delegation", "chargedCents": 20, "remainingCents": 30]))
        #expect(server.ledger.spent("root") == 20)
        await client.disconnect()
        await mcpServer.stop()
    }

    @Test func refusalIsAnErrorResultWithSortedJSON() async throws {
        let server = ToolServer(catalog: .standard, authorizer: TestAuthorizer())
        let (client, mcpServer) = try await Self.rawClient(server)
        let meta = Metadata(additionalFields: ["aip_token": .string(Self.token), "baton_caller": "alice"])
        let refused = try await client.send(CallTool.request(.init(name: "email.send", arguments: [:], meta: meta))).value
        #expect(refused.isError == true)
        #expect(
            refused.content == [
                .text(text: #"{"code":"aip_scope_insufficient","message":"tool:email.send not granted","step":"V6"}"#, annotations: nil, _meta: nil)
            ])
        let unknown = try await client.send(CallTool.request(.init(name: "shell.exec", arguments: [:], meta: meta))).value
        #expect(unknown.isError == true)
        #expect(
            unknown.content == [
                .text(
                    text: #"{"code":"unknown_tool","message":"no tool named \"shell.exec\" on this server","step":null}"#, annotations: nil,
                    _meta: nil)
            ])
        #expect(server.ledger.spent("root") == 0)
        await client.disconnect()
        await mcpServer.stop()
    }

    @Test func toolClientRoundTrips() async throws {
        let authorizer = TestAuthorizer()
        let server = ToolServer(catalog: .standard, authorizer: authorizer)
        let client = try await MCPToolClient.connect(to: server)
        #expect(try await client.tools() == ToolCatalog.standard.tools)

        let first = await client.call(tool: "research.search", token: Self.token, caller: "alice", arguments: ["query": "budgets"])
        #expect(
            first == ToolCallResult(tool: "research.search", outcome: .accepted, output: "3 sources on budgets", chargedCents: 20, remainingCents: 30)
        )
        #expect(
            authorizer.requests.last == ToolCallRequest(tool: "research.search", token: Self.token, caller: "alice", arguments: ["query": "budgets"]))
        _ = await client.call(tool: "research.search", token: Self.token, caller: "alice")
        let third = await client.call(tool: "research.search", token: Self.token, caller: "alice")
        #expect(third.outcome == .rejected("aip_budget_exceeded", step: "V7", message: third.outcome.message))
        #expect(third.outcome.message?.hasPrefix("budget exceeded: research.search costs 20 cents") == true)
        #expect(third.chargedCents == 0)
        #expect(server.calls == [first, server.calls[1], third], "the client reads back exactly what the server decided")

        let wrongCaller = await client.call(tool: "docs.write", token: Self.token, caller: "mallory")
        #expect(wrongCaller.outcome.code == "aip_audience_mismatch", "the caller travels in _meta")
        let missing = await client.call(tool: "docs.write", token: nil, caller: "alice")
        #expect(missing.outcome.code == "aip_token_missing")
        #expect(authorizer.requests.last?.token == nil)
        let unknown = await client.call(tool: "shell.exec", token: Self.token, caller: "alice")
        #expect(unknown.outcome.code == "unknown_tool")
        #expect(unknown.outcome.step == nil)
        await client.close()
    }

    @Test func ledgerSurvivesAcrossSessions() async throws {
        let server = ToolServer(catalog: .standard, authorizer: TestAuthorizer())
        let one = try await MCPToolClient.connect(to: server)
        let two = try await MCPToolClient.connect(to: server)
        #expect(await one.call(tool: "research.search", token: Self.token, caller: "alice").outcome == .accepted)
        await one.close()
        #expect(await two.call(tool: "research.search", token: Self.token, caller: "alice").remainingCents == 10)
        #expect(await two.call(tool: "research.search", token: Self.token, caller: "alice").outcome.code == "aip_budget_exceeded")
        await two.close()
        #expect(server.calls.count == 3)
    }

    @Test func closedClientFailsWithAnErrorOutcome() async throws {
        let server = ToolServer(catalog: .standard, authorizer: TestAuthorizer())
        let client = try await MCPToolClient.connect(to: server)
        await client.close()
        let result = await client.call(tool: "research.search", token: Self.token, caller: "alice")
        #expect(result.outcome.verdict == .error)
        #expect(result.outcome.message?.contains("MCP call of research.search failed") == true, "\(result.outcome)")
        #expect(server.calls.isEmpty)
    }
}
