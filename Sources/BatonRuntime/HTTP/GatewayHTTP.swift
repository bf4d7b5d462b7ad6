/// How a gateway under test is reached over HTTP (`--iut gateway:…`, `baton serve-gateway`): the
/// header fields Baton sends through it and the ones it adds to what it forwards. Calls are the
/// ones agents make: MCP `tools/call` at `POST /mcp`, A2A `tasks/send` at `POST /agents/<name>`,
/// token in `X-AIP-Token` (tool calls) or `params.metadata.aip_token` (tasks). The gateway forwards
/// what it lets through to its upstream at the same path, body unchanged, with its assertion of who
/// the call is from and for (`X-AIP-Caller`, `-Principal`, `-Holder`): its record of the call.
public enum GatewayHTTP {
    /// The tool call's token (as the MCP tool server takes it).
    public static let token = "X-AIP-Token"
    /// The caller's identity as transport authentication gives it: a stand-in for the client
    /// certificate a real deployment's mTLS would present.
    public static let transportIdentity = "X-Baton-Transport-Identity"
    /// The caller the call claims to be from (a rogue may claim another's identity).
    public static let claimedCaller = "X-Baton-Caller"
    /// A task's receiver, by identity (what the route's upstream certificate would name).
    public static let targetIdentity = "X-Baton-Target-Identity"
    /// Baton's test control: the whole call as Baton sees it, base64url JSON (`GatewayCall`: trust
    /// anchor, time, registry and revocation to verify with). Real gateways ignore it and use their
    /// own configuration; Baton's reference gateway reads its verification settings from it.
    public static let control = "X-Baton-Gateway-Call"
    /// What the gateway asserts to the upstream when it forwards: the caller it authenticated.
    public static let assertedCaller = "X-AIP-Caller"
    /// … the natural person at the root of the chain.
    public static let assertedPrincipal = "X-AIP-Principal"
    /// … the token's holder.
    public static let assertedHolder = "X-AIP-Holder"
    /// The path of tool calls.
    public static let toolPath = "/mcp"
    /// The path prefix of tasks (`/agents/<name>`).
    public static let taskPrefix = "/agents/"
}
