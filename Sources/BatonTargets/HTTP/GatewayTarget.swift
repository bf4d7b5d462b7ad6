import BatonAudit
import BatonModel
import BatonRuntime
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real gateway or proxy under test over HTTP (`--iut gateway:http://127.0.0.1:PORT#name&upstream=PORT2`):
/// in a workflow with `gateway: true`, Baton sends every call through it as the agent would (an MCP
/// `tools/call` to `POST /mcp`, an A2A `tasks/send` to `POST /agents/<name>`), with the caller's
/// transport identity in a header standing in for its client certificate (`GatewayHTTP`). The
/// gateway is configured to forward to Baton's upstream on 127.0.0.1:PORT2, which records what
/// arrives. The decision is judged on what reached the upstream, not on what the gateway says: a
/// call that arrived was forwarded (its record is the gateway's assertion headers), one that did not
/// was refused, with the code and step of the gateway's error answer.
public struct GatewayTarget: ImplementationUnderTest {
    public var baseURL: URL
    public var name: String
    public var profiles: [TokenProfile]
    public var timeout: TimeInterval
    let upstream: GatewayUpstream
    let calls = Counter()

    /// Counts the calls, for their JSON-RPC ids.
    final class Counter: Sendable {
        let value = Mutex(0)
        func next() -> Int {
            value.withLock {
                $0 += 1; return $0
            }
        }
    }

    /// Opens the upstream on 127.0.0.1:`upstreamPort` (where the gateway forwards; 0 picks a free port) at once.
    public init(
        baseURL: URL, upstreamPort: UInt16, name: String = "http-gateway", profiles: [TokenProfile] = [TokenProfile("aip-chained")],
        timeout: TimeInterval = 10
    )
        throws
    {
        self.baseURL = baseURL
        self.name = name
        self.profiles = profiles
        self.timeout = timeout
        upstream = try GatewayUpstream(port: upstreamPort)
    }

    /// The port of Baton's upstream (where the gateway must forward).
    public var upstreamPort: UInt16 { upstream.port }

    public var descriptor: ImplementationDescriptor {
        ImplementationDescriptor(
            name: name, version: baseURL.absoluteString, profiles: profiles, roles: [.gateway], options: [.clock, .registry, .revocation])
    }

    public func mint(_ request: MintRequest) async -> IssueResult { .refused(Outcome.unsupported("a gateway does not mint")) }
    public func delegate(_ request: DelegateRequest) async -> IssueResult { .refused(Outcome.unsupported("a gateway does not delegate")) }
    public func verify(_ request: VerifyRequest) async -> Outcome { Outcome.unsupported("a gateway is judged on the calls it forwards") }

    public func gatewayCall(_ call: GatewayCall) async -> GatewayDecision {
        let id = "baton-gateway-\(calls.next())"
        var request: URLRequest
        let body: [String: Any]
        switch call.kind {
        case .tool:
            request = URLRequest(url: baseURL.appendingPathComponent(String(GatewayHTTP.toolPath.dropFirst())))
            body = ["jsonrpc": "2.0", "id": id, "method": "tools/call", "params": ["name": call.target, "arguments": [String: String]()]]
            if let token = call.token { request.setValue(token, forHTTPHeaderField: GatewayHTTP.token) }
        case .task:
            let receiver = call.target.split(separator: "/").last.map(String.init) ?? call.target
            request = URLRequest(url: baseURL.appendingPathComponent("agents").appendingPathComponent(receiver))
            var metadata: [String: Any] = [:]
            metadata["aip_token"] = call.token
            metadata["skill"] = call.scope
            body = [
                "jsonrpc": "2.0", "id": id, "method": "tasks/send",
                "params": [
                    "id": id, "message": ["role": "user", "parts": [["type": "text", "text": "a task through the gateway"]]], "metadata": metadata,
                ],
            ]
            request.setValue(call.target, forHTTPHeaderField: GatewayHTTP.targetIdentity)
        }
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(call.transportIdentity, forHTTPHeaderField: GatewayHTTP.transportIdentity)
        request.setValue(call.claimedCaller, forHTTPHeaderField: GatewayHTTP.claimedCaller)
        if let control = try? JSONEncoder().encode(call) { request.setValue(control.base64EncodedString(), forHTTPHeaderField: GatewayHTTP.control) }
        request.httpBody = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        request.timeoutInterval = timeout
        let answer = await LoopbackHTTPClient.exchange(request, timeout: timeout)
        return Self.decision(answer: answer, arrival: upstream.take(id))
    }

    /// What the gateway did: forwarded when the call reached the upstream (whatever it answered),
    /// else refused with its error answer's code and step; an answer that is neither is an error.
    static func decision(answer: LoopbackHTTPClient.Answer, arrival: GatewayUpstream.Arrival?) -> GatewayDecision {
        if let arrival {
            let record = GatewayRecord(
                caller: arrival.header(GatewayHTTP.assertedCaller), principal: arrival.header(GatewayHTTP.assertedPrincipal),
                holder: arrival.header(GatewayHTTP.assertedHolder), hops: [])
            let said = (200..<300).contains(answer.status) ? nil : "the gateway answered HTTP \(answer.status) but forwarded the call"
            return GatewayDecision(outcome: Outcome(verdict: .accept, message: said), record: record)
        }
        if let error = answer.error { return GatewayDecision(outcome: .failed("the gateway did not answer: \(error)")) }
        if (200..<300).contains(answer.status) {
            return GatewayDecision(outcome: .failed("the gateway answered HTTP \(answer.status) but nothing reached the upstream"))
        }
        let error = answer.body.flatMap { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] }?["error"] as? [String: Any]
        guard let code = error?["code"] as? String else {
            return GatewayDecision(outcome: .failed("the gateway refused with HTTP \(answer.status) and no error code"))
        }
        let step = (error?["data"] as? [String: Any])?["step"] as? String
        return GatewayDecision(outcome: .rejected(code, step: step, message: "HTTP \(answer.status): \(error?["message"] as? String ?? "")"))
    }
}
