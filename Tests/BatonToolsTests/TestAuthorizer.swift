import BatonTools
import Synchronization

/// A stand-in for the harness's verifier. Tokens are strings such as
/// `scopes=tool:research.search,tool:docs.write;hops=root:50,child:-;aud=alice`:
/// `scopes` the scopes granted, `hops` the chain's budget hops (`key:ceiling`, `-` for none),
/// `aud` (optional) the only caller allowed. Every call it sees is recorded.
final class TestAuthorizer: ToolCallAuthorizer {
    static let budgetRefusal = ToolRefusal(code: "aip_budget_exceeded", step: "V7", message: "budget exceeded")

    private let seen = Mutex<[ToolCallRequest]>([])

    /// The calls it was asked about, in order.
    var requests: [ToolCallRequest] { seen.withLock { $0 } }

    func authorize(_ call: ToolCallRequest, tool: ToolSpec) async -> ToolAuthorization {
        seen.withLock { $0.append(call) }
        guard let token = call.token else {
            return .refused(ToolRefusal(code: "aip_token_missing", step: "V1", message: "no token"))
        }
        var fields: [String: String] = [:]
        for part in token.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { return .refused(ToolRefusal(code: "aip_token_malformed", step: "V1", message: "bad field \(part)")) }
            fields[pair[0]] = pair[1]
        }
        if let audience = fields["aud"], audience != call.caller {
            return .refused(ToolRefusal(code: "aip_audience_mismatch", step: "V5", message: "token is for \(audience), not \(call.caller)"))
        }
        let scopes = Set((fields["scopes"] ?? "").split(separator: ",").map(String.init))
        guard scopes.contains(tool.scope) else {
            return .refused(ToolRefusal(code: "aip_scope_insufficient", step: "V6", message: "\(tool.scope) not granted"))
        }
        var hops: [BudgetHop] = []
        for hop in (fields["hops"] ?? "").split(separator: ",") {
            let pair = hop.split(separator: ":").map(String.init)
            guard pair.count == 2 else { return .refused(ToolRefusal(code: "aip_token_malformed", step: "V1", message: "bad hop \(hop)")) }
            hops.append(BudgetHop(key: pair[0], ceilingCents: pair[1] == "-" ? nil : Int64(pair[1])))
        }
        return .allowed(hops: hops, budgetRefusal: Self.budgetRefusal)
    }
}
