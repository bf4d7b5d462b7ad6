import BatonRuntime
import Foundation
import MCP
import Synchronization

/// A tool server's MCP endpoint on 127.0.0.1 (`POST /mcp`), served with the SDK's stateless
/// streamable-HTTP transport on the project's `LoopbackHTTPServer`.
///
/// Each HTTP request gets a fresh MCP `Server` and `StatelessHTTPServerTransport` (so any number of
/// clients may `initialize`), all over the one `ToolServer`: its ledger and call log are shared.
/// The token comes from the `X-AIP-Token` header, the caller from `X-Baton-Caller`. Malformed JSON
/// gets the transport's JSON-RPC parse error (HTTP 400); another path gets 404.
public final class MCPHTTPToolEndpoint: Sendable {
    /// The path the endpoint serves.
    public static let path = "/mcp"
    /// How long one request may take before the endpoint answers 500, by default.
    public static let defaultTimeoutSeconds = 30

    /// The tool server behind the endpoint; nil when the endpoint hands calls to a function of its own.
    public let toolServer: ToolServer?
    private let http: LoopbackHTTPServer

    /// Binds 127.0.0.1:`port` (0 picks a free port); call `start()` to serve. A request that takes
    /// longer than `timeoutSeconds` is answered 500 (the tool server's work runs on the shared
    /// concurrency pool, which a loaded machine can keep busy for a while).
    public convenience init(toolServer: ToolServer, port: UInt16 = 0, timeoutSeconds: Int = defaultTimeoutSeconds) throws {
        try self.init(catalog: toolServer.catalog, toolServer: toolServer, port: port, timeoutSeconds: timeoutSeconds) { await toolServer.call($0) }
    }

    /// An endpoint that lists `catalog` and hands every `tools/call` to `call` (which decides it: a
    /// harness that places calls through its own gateway and ledger, or a tool server).
    public convenience init(
        catalog: ToolCatalog, port: UInt16 = 0, timeoutSeconds: Int = defaultTimeoutSeconds,
        call: @escaping @Sendable (ToolCallRequest) async -> ToolCallResult
    ) throws {
        try self.init(catalog: catalog, toolServer: nil, port: port, timeoutSeconds: timeoutSeconds, call: call)
    }

    private init(
        catalog: ToolCatalog, toolServer: ToolServer?, port: UInt16, timeoutSeconds: Int,
        call: @escaping @Sendable (ToolCallRequest) async -> ToolCallResult
    ) throws {
        self.toolServer = toolServer
        http = try LoopbackHTTPServer(port: port) { request in
            LoopbackHTTPServer.awaiting(timeoutSeconds: timeoutSeconds, timedOut: Self.timedOut) {
                await Self.handle(request) { await ToolServer.mcpServer(catalog: catalog, call: call) }
            }
        }
    }

    /// `http://127.0.0.1:<port>/mcp`.
    public var url: URL {
        URL(string: "http://127.0.0.1:\(http.port)\(Self.path)")!
    }

    /// Serves on a background thread until `stop()`.
    public func start() {
        http.start()
    }

    public func stop() {
        http.stop()
    }

    /// The answer to a request that took too long.
    static let timedOut = LoopbackHTTPServer.Response(
        status: 500, body: Data(#"{"error":{"code":-32603,"message":"the tool server did not answer in time"},"id":null,"jsonrpc":"2.0"}"#.utf8))

    /// One HTTP request through a fresh MCP server on the SDK's stateless transport.
    static func handle(_ request: LoopbackHTTPServer.Request, server makeServer: @Sendable () async -> Server) async -> LoopbackHTTPServer.Response {
        let path = request.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.path
        guard path == Self.path else {
            return response(.error(statusCode: 404, .invalidRequest("Not Found: the MCP endpoint is \(Self.path)")))
        }
        var headers: [String: String] = [:]
        for header in request.headers where headers[header.name] == nil { headers[header.name] = header.value }
        let httpRequest = HTTPRequest(method: request.method, headers: headers, body: request.body, path: path)
        let server = await makeServer()
        let transport = StatelessHTTPServerTransport()
        do {
            try await server.start(transport: transport)
        } catch {
            return response(.error(statusCode: 500, .internalError("the MCP server did not start: \(error)")))
        }
        let answer = await transport.handleRequest(httpRequest)
        await server.stop()
        return response(answer)
    }

    /// The SDK's HTTP response as the loopback server's (a stream, never produced by the stateless transport, is a 500).
    static func response(_ answer: HTTPResponse) -> LoopbackHTTPServer.Response {
        var headers = answer.headers
        let contentType = headers.first { $0.key.lowercased() == "content-type" }?.value ?? "application/json"
        headers = headers.filter { !["content-type", "content-length", "connection"].contains($0.key.lowercased()) }
        let extra = headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        if case .stream = answer {
            return LoopbackHTTPServer.Response(
                status: 500, body: Data(#"{"error":{"code":-32603,"message":"unexpected stream"},"id":null,"jsonrpc":"2.0"}"#.utf8))
        }
        return LoopbackHTTPServer.Response(status: answer.statusCode, body: answer.bodyData ?? Data(), contentType: contentType, headers: extra)
    }
}
