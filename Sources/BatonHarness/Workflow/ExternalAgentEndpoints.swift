import BatonAgents
import BatonModel
import BatonRuntime
import BatonTools
import Foundation
import Synchronization

/// What an external agent reaches the workflow's world through over loopback HTTP while it handles
/// one task, as a real agent would: an MCP tool endpoint (`POST /mcp`, token in `X-AIP-Token`) and
/// an A2A endpoint for its peers (`POST /agents/<peer>`, a `tasks/send` with the token at
/// `params.metadata.aip_token`). Both are opened for this one agent and this one task, so what
/// arrives on them comes from that agent: the URL stands for the transport identity mTLS would
/// give. A tool call that names another caller (`X-Baton-Caller`) is placed as a call that claims
/// to be from that caller. Everything that arrives is kept, in order, for the world to judge against
/// the agent's plan after the task.
final class ExternalAgentEndpoints: Sendable {
    /// One thing the agent did through the endpoints.
    enum Arrival: Sendable {
        /// A tool call and the tool server's answer.
        case call(ToolInvocation, ToolAnswer)
        /// A task sent to a peer (`to`), with the token it carried, and the peer's answer.
        case task(A2ATaskRequest, to: String, A2ATaskResponse)
    }

    private let tools: MCPHTTPToolEndpoint
    private let peers: LoopbackHTTPServer
    private let arrivals = Arrivals()

    /// The arrivals, shared with the endpoints' handlers.
    final class Arrivals: Sendable {
        let items = Mutex<[Arrival]>([])
        func append(_ arrival: Arrival) { items.withLock { $0.append(arrival) } }
    }

    /// Opens both endpoints for `agent` (its name on the bus) on free loopback ports; `start()` serves
    /// them. `naming` is told of each task before it is sent, with the number of things that arrived
    /// before it (so a delegated token can be kept under its plan's name before the peer sees it).
    init(world: WorkflowWorld, agent: String, naming: @escaping @Sendable (A2ATaskRequest, _ to: String, _ position: Int) async -> Void) throws {
        let arrivals = self.arrivals
        tools = try MCPHTTPToolEndpoint(catalog: world.run.scenario.tools) { request in
            let caller = request.caller.isEmpty ? agent : request.caller
            let invocation = ToolInvocation(tool: request.tool, arguments: request.arguments, token: request.token, caller: caller, placedBy: agent)
            let answer = await world.callTool(invocation)
            arrivals.append(.call(invocation, answer))
            return ToolCallResult(
                tool: request.tool, outcome: answer.outcome, output: answer.output, chargedCents: answer.chargedCents,
                remainingCents: answer.remainingCents)
        }
        peers = try LoopbackHTTPServer { request in
            LoopbackHTTPServer.awaiting(
                timeoutSeconds: MCPHTTPToolEndpoint.defaultTimeoutSeconds,
                timedOut: Self.answer(.failed(id: "", A2AError(rpcCode: -32603, message: "the peer did not answer in time")), status: 500)
            ) {
                await Self.deliver(request, from: agent, world: world, arrivals: arrivals, naming: naming)
            }
        }
    }

    /// The MCP endpoint's URL.
    var toolServerURL: URL { tools.url }

    /// The base URL of the peers' A2A endpoints (`<base>/agents/<peer>`).
    var peersURL: URL { URL(string: "http://127.0.0.1:\(peers.port)")! }

    func start() {
        tools.start()
        peers.start()
    }

    func stop() {
        tools.stop()
        peers.stop()
    }

    /// What arrived so far, in order.
    var arrived: [Arrival] { arrivals.items.withLock { $0 } }

    /// A task for a peer: sent over the world's bus from the agent, answered with the peer's answer
    /// and its HTTP status.
    static func deliver(
        _ request: LoopbackHTTPServer.Request, from agent: String, world: WorkflowWorld, arrivals: Arrivals,
        naming: @Sendable (A2ATaskRequest, String, Int) async -> Void
    ) async -> LoopbackHTTPServer.Response {
        let parts = request.path.split(separator: "/").map(String.init)
        guard request.method == "POST", parts.count == 2, parts[0] == "agents" else {
            return answer(
                .failed(id: "", A2AError(rpcCode: -32601, message: "POST /agents/<peer> only, not \(request.method) \(request.path)")), status: 404)
        }
        let task: A2ATaskRequest
        do { task = try A2ATaskRequest.parse(request.body) } catch {
            return answer(.failed(id: "", error), status: 400)
        }
        await naming(task, parts[1], arrivals.items.withLock { $0.count })
        let response = await world.send(task, from: agent, to: parts[1])
        arrivals.append(.task(task, to: parts[1], response))
        return answer(response, status: response.httpStatus)
    }

    static func answer(_ response: A2ATaskResponse, status: Int) -> LoopbackHTTPServer.Response {
        LoopbackHTTPServer.Response(status: status, body: response.json())
    }
}
