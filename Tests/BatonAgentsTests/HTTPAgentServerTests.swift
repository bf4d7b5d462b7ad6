import AIP
import BatonAgents
import BatonCrypto
import BatonModel
import BatonProfiles
import BatonRuntime
import BatonTargets
import BatonTestSupport
import Biscuit
import BiscuitForge
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The same `Agent` behind `baton serve-agent`: tasks posted over loopback HTTP are verified by the
/// agent through its HTTP world, and refusals carry the code, the status and the step.
@Suite(.serialized) struct HTTPAgentServerTests {
    /// Seconds a request may take: the whole suite runs in parallel on two cores, and the server's
    /// verification waits for the shared concurrency pool.
    static let timeout: Double = 600
    /// The standard chain, rooted at the key the server trusts by default.
    static let chain = StandardChain(rootKey: .derived(from: "baton:agent:aip:web:acme.com/orchestrator"))

    static func withServer(_ body: (URL) async throws -> Void) async throws {
        let agents = ReferenceAgentServer(verifier: ReferenceImplementation())
        let server = try LoopbackHTTPServer(port: 0) { agents.handle($0) }
        server.start()
        defer { server.stop() }
        try await body(try #require(URL(string: "http://127.0.0.1:\(server.port)")))
    }

    static func post(_ url: URL, to name: String, token: String, control: [String: Any]) async throws -> (Int, A2ATaskResponse) {
        var baton: [String: Any] = ["now": chain.now]
        baton.merge(control) { $1 }
        let body: [String: Any] = [
            "jsonrpc": "2.0", "id": "http-1", "method": "tasks/send",
            "params": [
                "id": "task-1", "message": ["role": "user", "parts": [["type": "text", "text": "draft the summary"]]],
                "metadata": ["aip_token": token, "baton": baton],
            ] as [String: Any],
        ]
        var request = URLRequest(url: url.appendingPathComponent("agents").appendingPathComponent(name))
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        let (data, status, error) = await LoopbackHTTPClient.send(request, timeout: Self.timeout)
        #expect(error == nil)
        return (status, try A2ATaskResponse.parse(try #require(data)))
    }

    @Test func aValidTokenIsAcceptedAndATamperedOneRefusedAtV1() async throws {
        let token = try Self.chain.twoHops()
        let tampered = try Forge.tamperPayload(token, block: 1, byte: 20)
        try await Self.withServer { url in
            let (ok, accepted) = try await Self.post(url, to: "writer", token: token.base64(), control: ["required_scope": "write:draft"])
            #expect(ok == 200)
            #expect(accepted.error == nil)
            #expect(accepted.state == "completed")
            #expect(accepted.text == "writer accepted the task")

            let (refused, refusal) = try await Self.post(url, to: "writer", token: tampered.base64(), control: ["required_scope": "write:draft"])
            #expect(refused == 401)
            #expect(refusal.error?.aipCode == AIPErrorCode.signatureInvalid.rawValue)
            #expect(refusal.error?.status == 401)
            #expect(refusal.error?.step == "V1")
        }
    }

    @Test func theRequiredScopeReachesTheAgentAsTheSkill() async throws {
        let token = try Self.chain.twoHops().base64()
        try await Self.withServer { url in
            let (status, response) = try await Self.post(url, to: "writer", token: token, control: ["required_scope": "research:read"])
            #expect(status == 403)
            #expect(response.error?.aipCode == AIPErrorCode.scopeInsufficient.rawValue)
            #expect(response.error?.step != nil)
            // At another agent the audience does not match.
            let (elsewhere, misaddressed) = try await Self.post(url, to: "researcher", token: token, control: [:])
            #expect(elsewhere == 403)
            #expect(misaddressed.error?.aipCode == AIPErrorCode.audienceMismatch.rawValue)
        }
    }

    @Test func undecodableControlIsABadRequestBeforeTheAgentRuns() async throws {
        let token = try Self.chain.twoHops().base64()
        try await Self.withServer { url in
            for field in ["root_key", "identities", "revocation"] {
                let (status, response) = try await Self.post(url, to: "writer", token: token, control: [field: "not a \(field)"])
                #expect(status == 400, "\(field)")
                #expect(response.error?.message.contains(field) == true, "\(field)")
            }
        }
    }

    @Test func theHTTPTargetReportsTheRefusingStep() async throws {
        let tampered = try Forge.tamperPayload(Self.chain.twoHops(), block: 1, byte: 20)
        try await Self.withServer { url in
            let target = HTTPAgentTarget(baseURL: url, timeout: Self.timeout)
            let outcome = await target.verify(
                VerifyRequest(
                    profile: .aipChained, token: tampered.base64(), rootKey: Self.chain.root, audience: StandardChain.writer,
                    requiredScope: "write:draft", now: Self.chain.now, requireSignedDelegation: false))
            #expect(outcome.verdict == .reject)
            #expect(outcome.code == AIPErrorCode.signatureInvalid.rawValue)
            #expect(outcome.step == "V1")
        }
    }

    @Test func theServedCardIsTheAgentsSignedCard() async throws {
        try await Self.withServer { url in
            let request = URLRequest(url: url.appendingPathComponent("agents/writer/.well-known/agent.json"))
            let (data, status, _) = await LoopbackHTTPClient.send(request, timeout: Self.timeout)
            #expect(status == 200)
            let card = try JSONDecoder().decode(AgentCard.self, from: try #require(data))
            #expect(card.aipIdentity.id == StandardChain.writer)
            #expect(card.isSigned(by: Ed25519.PrivateKey.derived(from: "baton:agent:\(StandardChain.writer)").publicKey))
            #expect(card == ReferenceAgentServer().agent(named: "writer").card)
        }
    }
}
