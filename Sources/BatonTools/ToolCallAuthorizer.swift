/// Decides whether a call may run: verifies the token for the tool's scope, with the caller as
/// audience, at the harness's time, and reads the chain's budget ceilings. Supplied by the harness.
/// A missing token (`call.token == nil`) is the authorizer's to refuse.
public protocol ToolCallAuthorizer: Sendable {
    func authorize(_ call: ToolCallRequest, tool: ToolSpec) async -> ToolAuthorization
}
