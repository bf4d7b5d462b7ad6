import BatonModel
import BatonTools
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite struct MCPHTTPTests {
    static let token = "scopes=tool:research.search,tool:files.read;hops=root:50;aud=alice"
    /// Seconds an endpoint in these tests waits for the tool server (and the raw client for it).
    static let timeout = 600

    /// POSTs `body` to the endpoint as an MCP client would; returns the status and the JSON body.
    static func post(_ url: URL, _ body: String, token: String? = nil) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json, text/event-stream", forHTTPHeaderField: "Accept")
        if let token { request.setValue(token, forHTTPHeaderField: "X-AIP-Token") }
        request.setValue("alice", forHTTPHeaderField: "X-Baton-Caller")
        request.httpBody = Data(body.utf8)
        // Generous: the whole test suite runs in parallel on two cores, and the endpoint's work waits
        // for the shared concurrency pool.
        request.timeoutInterval = TimeInterval(Self.timeout)
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return (status, try #require(json, "not a JSON object: \(String(decoding: data, as: UTF8.self))"))
    }

    static func withEndpoint(_ authorizer: TestAuthorizer, _ body: (MCPHTTPToolEndpoint) async throws -> Void) async throws {
        let endpoint = try MCPHTTPToolEndpoint(toolServer: ToolServer(catalog: .standard, authorizer: authorizer), timeoutSeconds: Self.timeout)
        endpoint.start()
        defer { endpoint.stop() }
        try await body(endpoint)
    }

    @Test func tokenHeaderReachesTheAuthorizer() async throws {
        let authorizer = TestAuthorizer()
        try await Self.withEndpoint(authorizer) { endpoint in
            let client = MCPToolClient(url: endpoint.url)
            let tools = try await client.tools()
            #expect(tools == ToolCatalog.standard.tools)
            let result = await client.call(tool: "files.read", token: Self.token, caller: "alice", arguments: ["path": "/notes.txt"])
            #expect(
                result
                    == ToolCallResult(tool: "files.read", outcome: .accepted, output: "contents of /notes.txt", chargedCents: 2, remainingCents: 48))
            #expect(
                authorizer.requests.last == ToolCallRequest(tool: "files.read", token: Self.token, caller: "alice", arguments: ["path": "/notes.txt"])
            )
            let missing = await client.call(tool: "files.read", token: nil, caller: "alice")
            #expect(missing.outcome.code == "aip_token_missing")
            #expect(endpoint.toolServer?.ledger.spent("root") == 2)
        }
    }

    @Test func budgetIsEnforcedAcrossHTTPCalls() async throws {
        try await Self.withEndpoint(TestAuthorizer()) { endpoint in
            let client = MCPToolClient(url: endpoint.url)
            let outcomes = await [
                client.call(tool: "research.search", token: Self.token, caller: "alice"),
                client.call(tool: "research.search", token: Self.token, caller: "alice"),
                client.call(tool: "research.search", token: Self.token, caller: "alice"),
            ].map { $0.outcome.code ?? "accept" }
            #expect(outcomes == ["accept", "accept", "aip_budget_exceeded"])
            #expect(endpoint.toolServer?.ledger.spent("root") == 40)
        }
    }

    @Test func refusalShapeOverHTTP() async throws {
        let authorizer = TestAuthorizer()
        try await Self.withEndpoint(authorizer) { endpoint in
            let call = #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"email.send","arguments":{"to":"bob"}}}"#
            let (status, json) = try await Self.post(endpoint.url, call, token: Self.token)
            #expect(status == 200)
            #expect(json["id"] as? Int == 7)
            let result = try #require(json["result"] as? [String: Any])
            #expect(result["isError"] as? Bool == true)
            let content = try #require(result["content"] as? [[String: Any]])
            #expect(content.count == 1)
            #expect(content.first?["type"] as? String == "text")
            #expect(content.first?["text"] as? String == #"{"code":"aip_scope_insufficient","message":"tool:email.send not granted","step":"V6"}"#)
            #expect(authorizer.requests.last?.token == Self.token)
            #expect(authorizer.requests.last?.caller == "alice")

            let client = MCPToolClient(url: endpoint.url)
            let refused = await client.call(tool: "email.send", token: Self.token, caller: "alice")
            #expect(refused.outcome == .rejected("aip_scope_insufficient", step: "V6", message: "tool:email.send not granted"))
        }
    }

    @Test func metaTokenIsIgnoredOverHTTP() async throws {
        let authorizer = TestAuthorizer()
        try await Self.withEndpoint(authorizer) { endpoint in
            let call = """
                {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"files.read","_meta":{"aip_token":"\(Self.token)"}}}
                """
            let (status, json) = try await Self.post(endpoint.url, call)
            #expect(status == 200)
            let result = try #require(json["result"] as? [String: Any])
            #expect(result["isError"] as? Bool == true)
            #expect(authorizer.requests.count == 1)
            #expect(authorizer.requests.first?.token == nil, "over HTTP only the X-AIP-Token header carries the token")
        }
    }

    @Test func malformedJSONGetsAJSONRPCError() async throws {
        try await Self.withEndpoint(TestAuthorizer()) { endpoint in
            let (status, json) = try await Self.post(endpoint.url, #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"#, token: Self.token)
            #expect(status == 400)
            #expect(json["jsonrpc"] as? String == "2.0")
            let error = try #require(json["error"] as? [String: Any])
            #expect(error["code"] as? Int == -32700)
            // Still serving afterwards.
            let result = await MCPToolClient(url: endpoint.url).call(tool: "files.read", token: Self.token, caller: "alice")
            #expect(result.outcome == .accepted)
        }
    }

    @Test func unreachableServerIsAnErrorOutcome() async throws {
        let endpoint = try MCPHTTPToolEndpoint(toolServer: ToolServer(catalog: .standard, authorizer: TestAuthorizer()), timeoutSeconds: Self.timeout)
        let url = endpoint.url
        endpoint.stop()
        let result = await MCPToolClient(url: url).call(tool: "files.read", token: Self.token, caller: "alice")
        #expect(result.outcome.verdict == .error)
        #expect(result.outcome.message?.hasPrefix("MCP call of files.read failed") == true, "\(result.outcome)")
    }
}
