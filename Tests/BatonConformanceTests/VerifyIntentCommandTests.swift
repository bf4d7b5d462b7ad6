import AgenticJWT
import BatonRuntime
import Foundation
import JOSE
import Testing

@testable import BatonProfiles

/// `baton verify` on an Agentic JWT intent token: it is verified as one call to a resource server,
/// never as a bearer token; without its proof it is refused, with the proof by the bound key it passes.
@Suite struct VerifyIntentCommandTests {
    @Test(.enabled(if: VerifyCommandTests.baton != nil)) func intentTokensAreVerifiedAsACall() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let idp = ReferenceIdentityProviderServer(now: { now })
        let agentKey = try JWSSigningKey.p256(scalar: Array(repeating: 3, count: 32))
        let pop = try #require(agentKey.verificationKey)
        func post(_ path: String, _ body: JSONObject) -> JSONObject? {
            let answer = idp.handle(.init(method: "POST", path: path, body: Data(body.canonicalString.utf8)))
            return try? JSONParser.parseObject(Array(answer.body))
        }
        let registration = try #require(
            post("/intent/register/agent", ["agent_id": "researcher", "agent_checksum": "c-1", "pop_jwk": .object(JWK(key: pop).json)]))
        let workflow = Workflow(
            id: "report", steps: [.init(id: "research", agent: "researcher", action: "research.search", scopes: ["research:read"])])
        _ = post("/intent/register/workflow", workflow.json)
        let request = IntentTokenRequest(
            agentID: "researcher", computedChecksum: "c-1", workflowID: "report",
            step: .init(stepID: "research", agentID: "researcher", toolName: "research.search"), requestedScopes: ["research:read"],
            completedSteps: [], chain: [], audience: "tools")
        let token = try #require(post("/intent/token", request.json)?["access_token"]?.stringValue)

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("baton-verify-intent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let jwks = dir.appendingPathComponent("jwks.json"), deployment = dir.appendingPathComponent("deployment.json")
        try ReferenceIdentityProviderServer.jwks.json.canonicalString.write(to: jwks, atomically: true, encoding: .utf8)
        let settings: JSONObject = [
            "agents": [
                .object([
                    "agent_id": "researcher", "checksum": "c-1", "pop_jwk": .object(JWK(key: pop).json),
                    "registration_id": registration["registration_id"] ?? .null,
                ])
            ],
            "workflows": [.object(workflow.json)],
        ]
        try settings.canonicalString.write(to: deployment, atomically: true, encoding: .utf8)
        let url = "https://rs.acme.com/tools/research.search"
        let common = [
            "verify", "--jwks", jwks.path, "--issuer", ReferenceIdentityProviderServer.issuer, "--audience", "tools", "--url", url, "--action",
            "research.search", "--scope", "research:read", "--deployment", deployment.path,
        ]
        let bearer = try VerifyCommandTests.run(common + [token])
        #expect(bearer.status == 1)
        #expect(bearer.stdout.contains(#""code":"ajwt_pop_missing""#), "\(bearer.stdout)\(bearer.stderr)")
        let proof = try DPoPProof(method: "POST", url: url, issuedAt: now, id: "cli-1", accessToken: token).signed(with: agentKey)
        let call = try VerifyCommandTests.run(common + ["--dpop", proof, token])
        #expect(call.status == 0, "\(call.stdout)\(call.stderr)")
        #expect(call.stdout.contains(#""profile":"agentic-jwt""#) && call.stdout.contains("A9 passed"))
        // Without the deployment it cannot be judged: a usage error, not a verdict.
        let bare = try VerifyCommandTests.run(["verify", "--jwks", jwks.path, "--issuer", ReferenceIdentityProviderServer.issuer, token])
        #expect(bare.status != 0 && bare.stderr.contains("--deployment"))
    }
}
