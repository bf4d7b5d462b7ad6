import Foundation
import MCP

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An MCP client of a tool server, with a real MCP `Client` speaking JSON-RPC: in process (an
/// in-memory transport pair to the server's own MCP `Server`) or over loopback HTTP.
///
/// In process the token and caller travel in `_meta` (`aip_token`, `baton_caller`); over HTTP in the
/// `X-AIP-Token` and `X-Baton-Caller` headers, with one short MCP session (initialize, call) per call
/// so that each call carries its own headers. A transport failure is an `.error` outcome, never a throw.
public final class MCPToolClient: Sendable {
    private enum Connection: Sendable {
        case inProcess(client: Client, server: Server)
        case http(URL)
    }

    private let connection: Connection
    static let clientName = "baton-tools-client"

    private init(_ connection: Connection) {
        self.connection = connection
    }

    /// Connects to `server` in process: its MCP server on one end of an in-memory pair, an MCP client on the other.
    public static func connect(to server: ToolServer) async throws -> MCPToolClient {
        let (clientEnd, serverEnd) = await InMemoryTransport.createConnectedPair()
        let mcpServer = await server.mcpServer()
        try await mcpServer.start(transport: serverEnd)
        let client = Client(name: clientName, version: "1.0.0")
        _ = try await client.connect(transport: clientEnd)
        return MCPToolClient(.inProcess(client: client, server: mcpServer))
    }

    /// A client of the MCP endpoint at `url` (e.g. `MCPHTTPToolEndpoint.url`).
    public init(url: URL) {
        connection = .http(url)
    }

    /// The server's tools, read back from `tools/list` (tools without Baton's price and scope are left out).
    public func tools() async throws -> [ToolSpec] {
        try await withClient(token: nil, caller: nil) { client in
            try await client.listTools().tools.compactMap(MCPWire.spec)
        }
    }

    /// Calls `tool` with this token and caller (nil: none stated; the transport says who calls);
    /// refusals come back as `.rejected` outcomes with the server's code, step and message, transport
    /// failures as `.error` outcomes.
    public func call(tool: String, token: String?, caller: String?, arguments: [String: String] = [:]) async -> ToolCallResult {
        let mcpArguments = arguments.mapValues { Value.string($0) }
        do {
            let result = try await withClient(token: token, caller: caller) { client in
                let meta: Metadata? =
                    switch connection {
                    case .inProcess: MCPWire.meta(token: token, caller: caller ?? "")
                    case .http: nil
                    }
                return try await client.send(CallTool.request(.init(name: tool, arguments: mcpArguments, meta: meta))).value
            }
            return MCPWire.toolCallResult(result, tool: tool)
        } catch {
            return .failed(tool, "MCP call of \(tool) failed: \(Self.describe(error))")
        }
    }

    /// Ends the in-process session (nothing to do over HTTP).
    public func close() async {
        if case .inProcess(let client, let server) = connection {
            await client.disconnect()
            await server.stop()
        }
    }

    private func withClient<T: Sendable>(token: String?, caller: String?, _ body: @Sendable (Client) async throws -> T) async throws -> T {
        switch connection {
        case .inProcess(let client, _):
            return try await body(client)
        case .http(let url):
            let transport = HTTPClientTransport(
                endpoint: url, streaming: false,
                requestModifier: { request in
                    var request = request
                    if let token { request.setValue(token, forHTTPHeaderField: MCPWire.tokenHeader) }
                    if let caller { request.setValue(caller, forHTTPHeaderField: MCPWire.callerHeader) }
                    return request
                })
            let client = Client(name: Self.clientName, version: "1.0.0")
            do {
                _ = try await client.connect(transport: transport)
                let value = try await body(client)
                await client.disconnect()
                return value
            } catch {
                await client.disconnect()
                throw error
            }
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let mcp = error as? MCPError { return "\(mcp.code) \(mcp.errorDescription ?? "\(mcp)")" }
        return "\(error)"
    }
}
