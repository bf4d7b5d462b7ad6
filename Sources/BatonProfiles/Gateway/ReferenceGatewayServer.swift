import BatonAudit
import BatonModel
import BatonRuntime
import BatonTargets
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Baton's reference gateway on HTTP (`baton serve-gateway`), so that the gateway target
/// (`--iut gateway:…`) is tested end to end: it takes MCP tool calls at `POST /mcp` and A2A tasks at
/// `POST /agents/<name>` as `GatewayHTTP` describes, decides each with `gateway` (the reference
/// gateway, or a flawed one), forwards what it lets through to `upstream` at the same path with the
/// body unchanged and its record as assertion headers, and answers a refusal with
/// `{"error": {"code", "message", "data": {"step"}}}` (403; 400 for a request it cannot read).
///
/// What it decides on comes from the request itself: the token (`X-AIP-Token`, or the task's
/// `params.metadata.aip_token`), the transport identity, the claimed caller, the tool or the
/// receiver's identity. Only its verification settings (trust anchor, time, registry, revocation)
/// come from Baton's test control header, which a deployed gateway would have as configuration.
public struct ReferenceGatewayServer: Sendable {
    /// The refusal of a call with no transport identity: nobody authenticated it.
    public static let unauthenticatedCode = "gateway_unauthenticated"

    public var gateway: any ImplementationUnderTest
    public var upstream: URL
    public var timeout: TimeInterval

    public init(gateway: any ImplementationUnderTest = ReferenceImplementation(), upstream: URL, timeout: TimeInterval = 10) {
        self.gateway = gateway
        self.upstream = upstream
        self.timeout = timeout
    }

    public func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        LoopbackHTTPServer.awaiting { [self] in await answer(request) }
    }

    /// Reads the call, decides it, and forwards it or refuses it.
    public func answer(_ request: LoopbackHTTPServer.Request) async -> LoopbackHTTPServer.Response {
        let call: GatewayCall
        switch Self.call(from: request) {
        case let .success(c): call = c
        case let .failure(bad): return Self.refusal(status: bad.status, code: bad.code, message: bad.message, step: nil)
        }
        let decision = await gateway.gatewayCall(call)
        switch decision.outcome.verdict {
        case .accept: return await forward(request, record: decision.record)
        case .reject:
            return Self.refusal(
                status: 403, code: decision.outcome.code ?? "gateway_refused", message: decision.outcome.message ?? "", step: decision.outcome.step)
        case .error:
            return Self.refusal(status: 500, code: "gateway_error", message: decision.outcome.message ?? "", step: nil)
        }
    }

    /// Why a request cannot be read as a call.
    struct BadCall: Error {
        var status: Int
        var code: String
        var message: String
    }

    /// The call a request makes, with the verification settings of Baton's test control.
    static func call(from request: LoopbackHTTPServer.Request) -> Result<GatewayCall, BadCall> {
        func bad(_ message: String, status: Int = 400, code: String = "bad_request") -> Result<GatewayCall, BadCall> {
            .failure(BadCall(status: status, code: code, message: message))
        }
        guard request.method == "POST" else {
            return bad("\(request.method) \(request.path): the gateway takes POST /mcp and POST /agents/<name>", status: 405)
        }
        guard let transport = request.header(GatewayHTTP.transportIdentity), !transport.isEmpty else {
            return bad("no \(GatewayHTTP.transportIdentity): the caller is not authenticated", status: 401, code: Self.unauthenticatedCode)
        }
        guard let text = request.header(GatewayHTTP.control), let data = Data(base64Encoded: text),
            var call = try? JSONDecoder().decode(GatewayCall.self, from: data)
        else { return bad("\(GatewayHTTP.control) is missing or does not decode: Baton's reference gateway takes its trust settings from it") }
        guard let body = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] else {
            return bad("the body is not a JSON object")
        }
        let params = body["params"] as? [String: Any] ?? [:]
        call.transportIdentity = transport
        call.claimedCaller = request.header(GatewayHTTP.claimedCaller) ?? transport
        if request.path == GatewayHTTP.toolPath {
            guard let tool = params["name"] as? String else { return bad("a tools/call needs params.name") }
            call.kind = .tool
            call.target = tool
            call.token = request.header(GatewayHTTP.token)
            // The holder must be who really calls: the audience is the transport identity.
            call.verify.audience = transport
        } else if request.path.hasPrefix(GatewayHTTP.taskPrefix), request.path.count > GatewayHTTP.taskPrefix.count {
            guard let receiver = request.header(GatewayHTTP.targetIdentity), !receiver.isEmpty else {
                return bad("a task needs \(GatewayHTTP.targetIdentity): the receiver's identity")
            }
            let metadata = params["metadata"] as? [String: Any] ?? [:]
            call.kind = .task
            call.target = receiver
            call.token = metadata["aip_token"] as? String
            call.scope = metadata["skill"] as? String
            call.verify.audience = receiver
            call.verify.requiredScope = call.scope
        } else {
            return bad("no route \(request.path): the gateway takes POST /mcp and POST /agents/<name>", status: 404, code: "not_found")
        }
        call.verify.token = call.token
        return .success(call)
    }

    /// Sends the request on to the upstream at the same path, body unchanged, with the record as
    /// assertion headers, and relays the upstream's answer.
    func forward(_ request: LoopbackHTTPServer.Request, record: GatewayRecord?) async -> LoopbackHTTPServer.Response {
        guard let url = URL(string: upstream.absoluteString.trimmingCharacters(in: ["/"]) + request.path) else {
            return Self.refusal(status: 502, code: "gateway_upstream", message: "no upstream URL for \(request.path)", step: nil)
        }
        var forwarded = URLRequest(url: url)
        forwarded.httpMethod = "POST"
        forwarded.httpBody = request.body
        forwarded.setValue(request.header("Content-Type") ?? "application/json", forHTTPHeaderField: "Content-Type")
        if let token = request.header(GatewayHTTP.token) { forwarded.setValue(token, forHTTPHeaderField: GatewayHTTP.token) }
        if let caller = record?.caller { forwarded.setValue(caller, forHTTPHeaderField: GatewayHTTP.assertedCaller) }
        if let principal = record?.principal { forwarded.setValue(principal, forHTTPHeaderField: GatewayHTTP.assertedPrincipal) }
        if let holder = record?.holder { forwarded.setValue(holder, forHTTPHeaderField: GatewayHTTP.assertedHolder) }
        let answer = await LoopbackHTTPClient.exchange(forwarded, timeout: timeout)
        guard answer.error == nil, let body = answer.body else {
            return Self.refusal(
                status: 502, code: "gateway_upstream", message: "the upstream did not answer: \(answer.error ?? "no body")", step: nil)
        }
        return LoopbackHTTPServer.Response(status: answer.status, body: body, contentType: answer.header("Content-Type") ?? "application/json")
    }

    static func refusal(status: Int, code: String, message: String, step: String?) -> LoopbackHTTPServer.Response {
        var error: [String: Any] = ["code": code, "message": message]
        if let step { error["data"] = ["step": step] }
        return LoopbackHTTPServer.Response(
            status: status, body: (try? JSONSerialization.data(withJSONObject: ["error": error], options: [.sortedKeys])) ?? Data())
    }
}
