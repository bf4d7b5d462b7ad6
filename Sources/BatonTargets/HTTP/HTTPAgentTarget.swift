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
        metadata["baton"] = Self.control(r)
        let body: [String: Any] = [
            "jsonrpc": "2.0", "id": "baton", "method": "tasks/send",
            "params": [
                "id": "task", "message": ["role": "user", "parts": [["type": "text", "text": "use \(r.requiredScope ?? "")"]]], "metadata": metadata,
            ] as [String: Any],
        ]
        return await post(body, to: String(name)).outcome
    }

    /// An external agent's task, posted as sent to `<base>/agents/<agent>` with Baton's test control
    /// in `params.metadata.baton`: the verify fields, and `endpoints`, `peers`, `tools` and `plan`
    /// (what Baton's own reference agents act on; a real agent acts on its own and is judged against
    /// the plan). The agent calls tools and reaches peers itself, through the endpoints; its answer
    /// is the verdict the sender sees, and its artifacts are the lines of its answer.
    public func agentTask(_ request: AgentTaskRequest) async -> AgentTaskResult {
        guard request.profile == TokenProfile("aip-chained") else {
            return .failed(Outcome.unsupported("an agent over HTTP speaks the aip-chained A2A binding, not \(request.profile)"))
        }
        guard var task = (try? JSONSerialization.jsonObject(with: Data(request.task.utf8))) as? [String: Any] else {
            return .failed(.failed("the task to hand over is not a JSON object"))
        }
        var params = task["params"] as? [String: Any] ?? [:]
        var metadata = params["metadata"] as? [String: Any] ?? [:]
        var control = Self.control(request.verify)
        let encoder = JSONEncoder()
        func json<T: Encodable>(_ value: T) -> Any? {
            (try? encoder.encode(value)).flatMap { try? JSONSerialization.jsonObject(with: $0) }
        }
        control["endpoints"] = request.endpoints.flatMap(json)
        control["peers"] = json(request.peers)
        control["tools"] = json(request.tools)
        control["plan"] = json(request.plan)
        metadata["baton"] = control
        params["metadata"] = metadata
        task["params"] = params
        let (response, outcome) = await post(task, to: request.agent)
        guard outcome.verdict == .accept else { return AgentTaskResult(outcome: outcome) }
        let artifacts = response?.text.map { $0.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) } ?? []
        return AgentTaskResult(outcome: .accepted, artifacts: artifacts)
    }

    /// The test-control fields of a verify request (`params.metadata.baton`).
    static func control(_ r: VerifyRequest) -> [String: Any] {
        var control: [String: Any] = ["now": r.now, "root_key": r.rootKey.hex, "require_signed_delegation": r.requireSignedDelegation]
        if let scope = r.requiredScope { control["required_scope"] = scope }
        let encoder = JSONEncoder()
        if let ids = r.identities, let d = try? encoder.encode(ids), let o = try? JSONSerialization.jsonObject(with: d) { control["identities"] = o }
        if let rev = r.revocation, let d = try? encoder.encode(rev), let o = try? JSONSerialization.jsonObject(with: d) { control["revocation"] = o }
        return control
    }

    /// Posts a `tasks/send` body to the agent named `agent` and reads its answer: 200 with a result
    /// is an acceptance, an AIP error code a refusal (with its step when the agent reports one at
    /// `error.data.step`), anything else an implementation error.
    func post(_ body: [String: Any], to agent: String) async -> (A2ATaskResponse?, outcome: Outcome) {
        var request = URLRequest(url: baseURL.appendingPathComponent("agents").appendingPathComponent(agent))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        request.timeoutInterval = timeout
        let (data, status, error) = await LoopbackHTTPClient.send(request, timeout: timeout)
        if let error { return (nil, .failed("HTTP request failed: \(error)")) }
        guard let data, let response = try? A2ATaskResponse.parse(data) else {
            return (nil, .failed("HTTP \(status): the body is not a JSON-RPC answer"))
        }
        if status == 200, response.error == nil { return (response, .accepted) }
        guard let code = response.error?.aipCode else { return (response, .failed("HTTP \(status): \(response.error?.message ?? "no error code")")) }
        return (
            response, Outcome(verdict: .reject, code: code, step: response.error?.step, message: "HTTP \(status): \(response.error?.message ?? "")")
        )
    }
}
