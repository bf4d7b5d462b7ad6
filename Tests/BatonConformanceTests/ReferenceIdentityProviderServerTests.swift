import AgenticJWT
import BatonRuntime
import BatonTargets
import Foundation
import JOSE
import Testing

@testable import BatonProfiles

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The reference Agentic JWT identity provider over loopback HTTP (`baton serve-sts --profile
/// agentic-jwt`): registration, minting and refusals with their codes and statuses, and a minted
/// token that the reference resource server accepts under the served JWKS.
@Suite struct ReferenceIdentityProviderServerTests {
    static let now: Int64 = 1_780_272_000
    let agentKey = try! JWSSigningKey.p256(scalar: Array(repeating: 5, count: 32))

    func post(_ port: UInt16, _ path: String, _ body: JSONObject) async throws -> (status: Int, body: JSONObject) {
        var request = URLRequest(url: try #require(URL(string: "http://127.0.0.1:\(port)\(path)")))
        request.httpMethod = "POST"
        request.httpBody = Data(body.canonicalString.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, status, _) = await LoopbackHTTPClient.send(request, timeout: 5)
        return (status, try JSONParser.parseObject(Array(try #require(data))))
    }

    func tokenRequest(checksum: String) -> JSONObject {
        IntentTokenRequest(
            agentID: "researcher", computedChecksum: checksum, workflowID: "report",
            step: .init(stepID: "research", agentID: "researcher", toolName: "research.search"), requestedScopes: ["research:read"],
            completedSteps: [], chain: [], audience: "tools"
        ).json
    }

    @Test func registersMintsAndRefusesOverHTTP() async throws {
        let idp = ReferenceIdentityProviderServer(now: { Self.now })
        let server = try LoopbackHTTPServer(port: 0) { idp.handle($0) }
        idp.start(baseURL: "http://127.0.0.1:\(server.port)")
        server.start()
        defer { server.stop() }
        let port = server.port
        let pop = try #require(agentKey.verificationKey)

        let registered = try await post(
            port, "/intent/register/agent", ["agent_id": "researcher", "agent_checksum": "c-1", "pop_jwk": .object(JWK(key: pop).json)])
        #expect(registered.status == 200 && registered.body["registration_id"] == "reg_researcher")
        let copy = try await post(
            port, "/intent/register/agent", ["agent_id": "mallory", "agent_checksum": "c-1", "pop_jwk": .object(JWK(key: pop).json)])
        #expect(copy.status == 400 && copy.body["error"] == "ajwt_duplicate_checksum")
        let workflow = Workflow(
            id: "report", steps: [.init(id: "research", agent: "researcher", action: "research.search", scopes: ["research:read"])])
        #expect(try await post(port, "/intent/register/workflow", workflow.json).status == 200)

        let tampered = try await post(port, "/intent/token", tokenRequest(checksum: "c-2"))
        #expect(tampered.status == 401 && tampered.body["error"] == "ajwt_checksum_mismatch" && tampered.body["step"] == "M3")
        let garbage = try await post(port, "/intent/token", ["grant_type": "agent_checksum"])
        #expect(garbage.status == 400 && garbage.body["error"] == "ajwt_invalid_request")

        let minted = try await post(port, "/intent/token", tokenRequest(checksum: "c-1"))
        #expect(minted.status == 200 && minted.body["token_type"] == "DPoP" && minted.body["expires_in"] == 300)
        let token = try #require(minted.body["access_token"]?.stringValue)

        // The token verifies under the served keys, with a DPoP proof by the registered key.
        let url = "https://rs.acme.com/tools/research.search"
        let verifier = IntentTokenVerifier(
            issuer: ReferenceIdentityProviderServer.issuer, keys: ReferenceIdentityProviderServer.jwks, audience: "tools",
            agents: [AgentRegistration(agentID: "researcher", checksum: "c-1", popKey: pop, registrationID: "reg_researcher")], workflows: [workflow])
        let proof = try DPoPProof(method: "POST", url: url, issuedAt: Self.now, id: "p-1", accessToken: token).signed(with: agentKey)
        var view = ResourceServerView()
        let report = verifier.verify(
            ResourceCall(token: token, method: "POST", url: url, dpop: proof, action: "research.search", requiredScope: "research:read"), view: &view,
            now: Self.now)
        #expect((try? report.result.get()) != nil, "\(report.details)")
    }

    @Test func answersUnknownRoutesAndMethodsWithErrors() {
        let idp = ReferenceIdentityProviderServer(now: { Self.now })
        let get = idp.handle(.init(method: "GET", path: "/intent/token", body: Data()))
        #expect(get.status == 405)
        let unknown = idp.handle(.init(method: "GET", path: "/nowhere", body: Data()))
        #expect(unknown.status == 404)
        let notJSON = idp.handle(.init(method: "POST", path: "/intent/token", body: Data("grant_type=x".utf8)))
        #expect(notJSON.status == 400)
    }
}
