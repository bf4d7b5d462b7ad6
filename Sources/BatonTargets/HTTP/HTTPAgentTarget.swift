import BatonModel
import BatonRuntime
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real agent (or a server hosting several) over HTTP on loopback: Baton posts
/// A2A `tasks/send` requests carrying honest and forged tokens to
/// `<base>/agents/<name>` and judges the HTTP status, the error code and, when the agent reports
/// it at `error.data.step`, the refusing step.
/// Verification cases are sent to the agent named by their audience; cases with
/// no audience are skipped (an agent only ever verifies for itself).
public struct HTTPAgentTarget: ImplementationUnderTest {
    public var baseURL: URL
    public var timeout: TimeInterval

    public init(baseURL: URL, timeout: TimeInterval = 10) {
        self.baseURL = baseURL
        self.timeout = timeout
    }

    public var descriptor: ImplementationDescriptor {
        ImplementationDescriptor(
            name: "http-agent", version: baseURL.absoluteString, profiles: [TokenProfile("aip-chained")],
            roles: [.agent, .verifier], options: [.clock, .registry, .revocation, .signedDelegation])
    }

    public func mint(_ request: MintRequest) async -> IssueResult {
        .refused(Outcome.unsupported("an agent does not mint"))
    }
    public func delegate(_ request: DelegateRequest) async -> IssueResult {
        .refused(Outcome.unsupported("not an issuer"))
    }

    public func verify(_ r: VerifyRequest) async -> Outcome {
        guard let audience = r.audience, let name = audience.split(separator: "/").last else {
            return Outcome.unsupported("an agent verifies only tasks addressed to it")
        }
        var metadata: [String: Any] = [:]
        if let token = r.token { metadata["aip_token"] = token }
        var control: [String: Any] = ["now": r.now, "root_key": r.rootKey.hex, "require_signed_delegation": r.requireSignedDelegation]
        if let scope = r.requiredScope { control["required_scope"] = scope }
        let encoder = JSONEncoder()
        if let ids = r.identities, let d = try? encoder.encode(ids), let o = try? JSONSerialization.jsonObject(with: d) { control["identities"] = o }
        if let rev = r.revocation, let d = try? encoder.encode(rev), let o = try? JSONSerialization.jsonObject(with: d) { control["revocation"] = o }
        metadata["baton"] = control
        let body: [String: Any] = [
            "jsonrpc": "2.0", "id": "baton", "method": "tasks/send",
            "params": [
                "id": "task", "message": ["role": "user", "parts": [["type": "text", "text": "use \(r.requiredScope ?? "")"]]], "metadata": metadata,
            ] as [String: Any],
        ]
        var request = URLRequest(url: baseURL.appendingPathComponent("agents").appendingPathComponent(String(name)))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        request.timeoutInterval = timeout
        let (data, status, error) = await LoopbackHTTPClient.send(request, timeout: timeout)
        if let error { return .failed("HTTP request failed: \(error)") }
        guard let data, let response = try? A2ATaskResponse.parse(data) else {
            return .failed("HTTP \(status): the body is not a JSON-RPC answer")
        }
        if status == 200, response.error == nil { return .accepted }
        guard let code = response.error?.aipCode else { return .failed("HTTP \(status): \(response.error?.message ?? "no error code")") }
        // The refusing step, when the agent reports it (`error.data.step`).
        return Outcome(verdict: .reject, code: code, step: response.error?.step, message: "HTTP \(status): \(response.error?.message ?? "")")
    }
}
