import BatonAudit
import BatonModel
import BatonTools
import Synchronization

/// The run's tool server (a real MCP server, reached through a real MCP client in process), and
/// the view of the run its authorizer checks tokens against. The ledger lasts the whole scenario:
/// budget spent in one request is gone for the next.
public final class WorkflowTools: Sendable {
    /// The tool server itself (its catalog, ledger and calls).
    public let server: ToolServer
    let authorizer: WorkflowToolAuthorizer
    let client: MCPToolClient

    /// The identity the tool server records as the receiver of calls.
    public static func identity(domain: String) -> String { "\(AuditRecord.toolServerScheme)tools.\(domain)" }

    /// Ends the MCP session (the runner calls it when the scenario is done).
    public func close() async { await client.close() }

    init(catalog: ToolCatalog) async throws {
        authorizer = WorkflowToolAuthorizer()
        server = ToolServer(catalog: catalog, authorizer: authorizer)
        client = try await MCPToolClient.connect(to: server)
    }

    /// Places a call with the current view of the run.
    func call(_ call: ToolCallRequest, view: ToolGate) async -> ToolCallResult {
        authorizer.gate.withLock { $0 = view }
        var result = await client.call(tool: call.tool, token: call.token, caller: call.caller, arguments: call.arguments)
        // The view holds the world it verifies for: drop it, so nothing outlives the call.
        authorizer.gate.withLock { $0 = nil }
        // A verifier that failed to answer is an implementation error, never a refusal.
        if let failure = authorizer.takeFailure() { result.outcome = failure }
        return result
    }
}
