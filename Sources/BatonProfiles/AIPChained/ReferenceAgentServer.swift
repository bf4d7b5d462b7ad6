import AIP
import BatonCrypto
import BatonModel
import BatonRuntime
import Foundation
import Synchronization

/// The reference agents on HTTP: `POST /agents/<name>` takes an A2A `tasks/send`
/// (token at `params.metadata.aip_token`), verifies it as agent `<name>` would,
/// and answers 200 with a completed task or 401/403 with `{error: {code, message}}`.
/// `GET /agents/<name>/.well-known/agent.json` serves the agent card.
///
/// Test control (Baton's own extension, ignored by real agents): `params.metadata.baton`
/// may carry `now`, `required_scope`, `root_key`, `require_signed_delegation`,
/// `identities` and `revocation`, with the meanings of the testee protocol's `verify`.
public struct ReferenceAgentServer: Sendable {
    public var verifier: any ImplementationUnderTest
    public var domain: String
    /// The root key agents trust when a request does not say.
    public var trustedRoot: Ed25519.PublicKey

    public init(
        verifier: any ImplementationUnderTest = ReferenceImplementation(), domain: String = "acme.com",
        trustedRoot: Ed25519.PublicKey = Ed25519.PrivateKey.derived(from: "baton:agent:aip:web:acme.com/orchestrator").publicKey
    ) {
        self.verifier = verifier
        self.domain = domain
        self.trustedRoot = trustedRoot
    }

    public func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[0] == "agents", parts[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            return json(404, ["error": ["code": "not_found", "message": "no agent at \(request.path)"]])
        }
        let name = parts[1]
        let identity = "aip:web:\(domain)/\(name)"
        if request.method == "GET", parts.dropFirst(2) == [".well-known", "agent.json"] {
            let card = AgentCard(
                name: name, url: "/agents/\(name)", skills: [],
                aipIdentity: .init(id: identity, documentURL: "https://\(domain)/.well-known/aip/\(name).json"))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return .init(status: 200, body: (try? encoder.encode(card)) ?? Data())
        }
        guard request.method == "POST", parts.count == 2 else {
            return json(404, ["error": ["code": "not_found", "message": "\(request.method) \(request.path)"]])
        }
        let task: A2ATaskRequest
        do { task = try A2ATaskRequest.parse(request.body) } catch {
            return .init(status: 400, body: A2ATaskResponse.failed(id: "", error).json())
        }
        let control =
            ((try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any])
            .flatMap { ($0["params"] as? [String: Any])?["metadata"] as? [String: Any] }?["baton"] as? [String: Any] ?? [:]
        // Test control fails closed: a field that is present but does not decode is a bad request,
        // never a check quietly left out.
        func badControl(_ field: String) -> LoopbackHTTPServer.Response {
            json(400, ["error": ["code": "bad_request", "message": "params.metadata.baton.\(field) does not decode"]])
        }
        var rootKey = trustedRoot
        if let text = control["root_key"] {
            guard let hex = text as? String, let key = try? Ed25519.PublicKey(hex: hex) else { return badControl("root_key") }
            rootKey = key
        }
        var verify = VerifyRequest(
            profile: .aipChained, token: task.token, rootKey: rootKey, audience: identity,
            requiredScope: control["required_scope"] as? String,
            now: (control["now"] as? NSNumber)?.int64Value ?? Int64(Date().timeIntervalSince1970),
            requireSignedDelegation: control["require_signed_delegation"] as? Bool ?? false, identities: nil, revocation: nil)
        if let ids = control["identities"] {
            guard let data = try? JSONSerialization.data(withJSONObject: ids),
                let entries = try? JSONDecoder().decode([IdentityEntry].self, from: data)
            else { return badControl("identities") }
            verify.identities = entries
        }
        if let rev = control["revocation"] {
            guard let data = try? JSONSerialization.data(withJSONObject: rev),
                let status = try? JSONDecoder().decode(RevocationStatus.self, from: data)
            else { return badControl("revocation") }
            verify.revocation = status
        }
        let outcome = Self.wait { [verifier, verify] in await verifier.verify(verify) }
        switch outcome.verdict {
        case .accept:
            return .init(status: 200, body: A2ATaskResponse.completed(id: task.id, text: "\(name) accepted the task").json())
        case .reject:
            let code = outcome.code ?? "aip_token_malformed"
            let status = AIPErrorCode.httpStatus(for: code)
            return .init(
                status: status,
                body: A2ATaskResponse.failed(id: task.id, A2AError(aipCode: code, status: status, message: outcome.message ?? "")).json())
        case .error:
            return .init(status: 500, body: A2ATaskResponse.failed(id: task.id, A2AError(rpcCode: -32603, message: outcome.message ?? "")).json())
        }
    }

    func json(_ status: Int, _ object: [String: Any]) -> LoopbackHTTPServer.Response {
        .init(status: status, body: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    /// Runs an async call to completion on the calling thread. The hand-written loopback server
    /// calls its handler synchronously on a thread of its own (never a thread of the cooperative
    /// pool), so blocking it here starves nothing; the server moves to SwiftNIO with issue 18.
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<T?>(nil)
        Task {
            let value = await body()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }
}
