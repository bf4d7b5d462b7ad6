import BatonModel
import Synchronization

/// The tool server: a catalog, an authorizer and a budget ledger.
///
/// `call(_:)` is the one decision path; the MCP server (in process and over HTTP) goes through it.
/// The ledger and the call log live in a mutex, so they survive across calls and across MCP
/// sessions; the charge of one call is atomic (checked and added under the lock).
public final class ToolServer: Sendable {
    /// The refusal code of a call to a tool the catalog does not have.
    public static let unknownToolCode = "unknown_tool"

    public let catalog: ToolCatalog
    public let authorizer: any ToolCallAuthorizer

    private struct State {
        var ledger = BudgetLedger()
        var calls: [ToolCallResult] = []
    }

    private let state = Mutex(State())

    public init(catalog: ToolCatalog, authorizer: any ToolCallAuthorizer) {
        self.catalog = catalog
        self.authorizer = authorizer
    }

    /// What every hop has spent so far.
    public var ledger: BudgetLedger {
        state.withLock { $0.ledger }
    }

    /// Every call's result, in the order they were decided.
    public var calls: [ToolCallResult] {
        state.withLock { $0.calls }
    }

    /// Decides one call: an unknown tool is refused with `unknown_tool`; otherwise the authorizer
    /// decides, and an allowed call runs only if its price fits every hop's ceiling (then it is
    /// charged along all of them). Refused calls are charged nothing.
    public func call(_ request: ToolCallRequest) async -> ToolCallResult {
        guard let tool = catalog.tool(named: request.tool) else {
            return record(
                .refused(request.tool, ToolRefusal(code: Self.unknownToolCode, message: "no tool named \"\(request.tool)\" on this server")))
        }
        switch await authorizer.authorize(request, tool: tool) {
        case .refused(let refusal):
            return record(.refused(tool.name, refusal))
        case .allowed(let hops, let budgetRefusal):
            return state.withLock { state in
                let result: ToolCallResult
                switch state.ledger.charge(tool.priceCents, along: hops) {
                case .charged(let remaining):
                    result = ToolCallResult(
                        tool: tool.name, outcome: .accepted, output: Self.output(of: tool.name, arguments: request.arguments),
                        chargedCents: max(0, tool.priceCents), remainingCents: remaining)
                case .exceeded(let hop, let spent, let cents):
                    let ceiling = hop.ceilingCents.map(String.init) ?? "none"
                    var refusal = budgetRefusal
                    let detail = "\(tool.name) costs \(cents) cents; hop \(hop.key) has spent \(spent) of \(ceiling)"
                    refusal.message = refusal.message.isEmpty ? detail : "\(refusal.message): \(detail)"
                    result = .refused(tool.name, refusal)
                }
                state.calls.append(result)
                return result
            }
        }
    }

    private func record(_ result: ToolCallResult) -> ToolCallResult {
        state.withLock { $0.calls.append(result) }
        return result
    }
}
