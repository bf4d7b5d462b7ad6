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

    public let toolServer: ToolServer
    private let http: LoopbackHTTPServer

    /// Binds 127.0.0.1:`port` (0 picks a free port); call `start()` to serve. A request that takes
    /// longer than `timeoutSeconds` is answered 500 (the tool server's work runs on the shared
    /// concurrency pool, which a loaded machine can keep busy for a while).
    public init(toolServer: ToolServer, port: UInt16 = 0, timeoutSeconds: Int = defaultTimeoutSeconds) throws {
        self.toolServer = toolServer
        http = try LoopbackHTTPServer(port: port) { [toolServer] request in
            Self.blocking(timeoutSeconds: timeoutSeconds) { await Self.handle(request, toolServer: toolServer) }
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

    /// One HTTP request through a fresh MCP server on the SDK's stateless transport.
    static func handle(_ request: LoopbackHTTPServer.Request, toolServer: ToolServer) async -> LoopbackHTTPServer.Response {
        let path = request.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.path
        guard path == Self.path else {
            return response(.error(statusCode: 404, .invalidRequest("Not Found: the MCP endpoint is \(Self.path)")))
        }
        var headers: [String: String] = [:]
        for header in request.headers where headers[header.name] == nil { headers[header.name] = header.value }
        let httpRequest = HTTPRequest(method: request.method, headers: headers, body: request.body, path: path)
        let server = await toolServer.mcpServer()
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

    /// Runs `body` from the loopback server's own (synchronous) thread, waiting at most `timeoutSeconds`.
    static func blocking(
        timeoutSeconds: Int, _ body: @escaping @Sendable () async -> LoopbackHTTPServer.Response
    ) -> LoopbackHTTPServer.Response {
        let answer = Mutex<LoopbackHTTPServer.Response?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let value = await body()
            answer.withLock { $0 = value }
            done.signal()
        }
        let timedOut = done.wait(timeout: .now() + .seconds(timeoutSeconds)) == .timedOut
        let value = answer.withLock { $0 }
        guard !timedOut, let value else {
            return LoopbackHTTPServer.Response(
                status: 500,
                body: Data(#"{"error":{"code":-32603,"message":"the tool server did not answer in time"},"id":null,"jsonrpc":"2.0"}"#.utf8))
        }
        return value
    }
}
