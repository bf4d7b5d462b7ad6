import AgenticJWT
import BatonHarness
import BatonRuntime
import Foundation
import JOSE
import Synchronization

/// The reference Agentic JWT identity provider on loopback HTTP (`baton serve-sts --profile
/// agentic-jwt`), with the proof of concept's routes, for agents and resource servers outside
/// Baton (auth51-verifier in CI fetches its JWKS). It signs with the same fixed RSA key as in
/// process (``FixedRSAKeys``, kid `idp-1`) and publishes the fixed ES256 key too (kid
/// `idp-es256`), so its keys and issuer are the same for every run. It keeps the wall clock.
///
/// - `GET /.well-known/jwks.json`: the JWKS;
/// - `GET /.well-known/oauth-authorization-server` and `/.well-known/openid-configuration`:
///   `issuer`, `jwks_uri`, `token_endpoint`, `grant_types_supported`;
/// - `POST /intent/register/agent` `{agent_id, agent_checksum, pop_jwk}` → `{registration_id}`
///   (400 `ajwt_duplicate_checksum` for a copy of a registered agent);
/// - `POST /intent/register/workflow` `{workflow_id, steps: [...]}` (see ``Workflow/json``);
/// - `POST /intent/approve` `{workflow_id, step_id}`: a person approves a gated step;
/// - `POST /intent/token`: the `agent_checksum` grant (the JSON body of ``IntentTokenRequest``) →
///   `{access_token, token_type: "DPoP", expires_in, scope}`, or `{error, error_description, step}`
///   with the code's HTTP status (M1–M6).
///
/// Requests are JSON; a query is ignored; anything else is a 4xx with an `error` member. An agent or
/// workflow id is registered once (409 `ajwt_already_registered` after that). The server
/// authenticates nobody (the proof of concept asks for the application's bearer token with scope
/// `generate:intent-token`): it is for rehearsals on loopback, never for a deployment.
public final class ReferenceIdentityProviderServer: Sendable {
    /// The `iss` of the reference identity provider's intent tokens (the default domain, acme.com).
    public static let issuer = "https://idp.acme.com"

    /// The published keys: the fixed RSA and P-256 keys as the reference identity provider publishes them.
    public static var jwks: JWKSet {
        // The fixed keys load by construction and have distinct kids; a failure here is a programming error.
        let p256 = RunState.providerP256Key
        guard let ec = try? IntentIdentityProvider(configuration: .init(issuer: issuer, keyID: ProviderSettings.es256KeyID), signingKey: p256),
            let set = try? JWKSet(keys: makeProvider().jwks.keys + ec.jwks.keys)
        else { preconditionFailure("the reference identity provider's keys do not load") }
        return set
    }

    static func makeProvider() -> IntentIdentityProvider {
        // The fixed RSA key loads by construction; a failure here is a programming error.
        guard
            let p = try? IntentIdentityProvider(
                configuration: .init(issuer: issuer, keyID: ProviderSettings.rsaKeyID), signingKey: FixedRSAKeys.issuer)
        else { preconditionFailure("the reference identity provider cannot be made with its fixed key") }
        return p
    }

    /// `http://127.0.0.1:PORT`, where the server listens (known once it is bound).
    private let base = Mutex("")
    private let provider = Mutex(ReferenceIdentityProviderServer.makeProvider())
    /// The clock (seconds since the epoch); the wall clock by default.
    private let now: @Sendable () -> Int64

    public init(now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.now = now
    }

    /// Starts answering as the server at `baseURL` (`http://127.0.0.1:PORT`).
    public func start(baseURL: String) {
        base.withLock { $0 = baseURL }
    }

    /// Answers one request.
    public func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let path = String(request.path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        switch (request.method, path) {
        case ("GET", "/.well-known/jwks.json"):
            return Self.json(Self.jwks.json)
        case ("GET", "/.well-known/oauth-authorization-server"), ("GET", "/.well-known/openid-configuration"):
            let baseURL = base.withLock { $0 }
            guard !baseURL.isEmpty else { return Self.error("temporarily_unavailable", "the server is starting", status: 503) }
            return Self.json([
                "issuer": .string(Self.issuer), "jwks_uri": .string("\(baseURL)/.well-known/jwks.json"),
                "token_endpoint": .string("\(baseURL)/intent/token"),
                "grant_types_supported": [.string(IntentTokenRequest.grantTypeURN), .string(IntentTokenRequest.bareGrantType)],
            ])
        case ("POST", "/intent/register/agent"): return body(request) { try registerAgent($0) }
        case ("POST", "/intent/register/workflow"): return body(request) { try registerWorkflow($0) }
        case ("POST", "/intent/approve"): return body(request) { try approve($0) }
        case ("POST", "/intent/token"): return body(request) { mint($0) }
        case (_, "/intent/register/agent"), (_, "/intent/register/workflow"), (_, "/intent/approve"), (_, "/intent/token"):
            return Self.error("invalid_request", "\(path) takes POST", status: 405)
        default:
            return Self.error("not_found", "no route \(request.method) \(path)", status: 404)
        }
    }

    /// Parses the JSON object body, then answers with `handle`; a thrown ``AgenticJWTError`` is its
    /// code and status, anything else a 400.
    func body(_ request: LoopbackHTTPServer.Request, _ handle: (JSONObject) throws -> LoopbackHTTPServer.Response) -> LoopbackHTTPServer.Response {
        guard let o = try? JSONParser.parseObject(Array(request.body), maxDepth: 16) else {
            return Self.error(AgenticJWTCode.invalidRequest.rawValue, "the body is not a JSON object", status: 400)
        }
        do { return try handle(o) } catch let e as AgenticJWTError {
            return Self.refusal(e)
        } catch {
            return Self.error(AgenticJWTCode.invalidRequest.rawValue, "\(error)", status: 400)
        }
    }

    func registerAgent(_ o: JSONObject) throws -> LoopbackHTTPServer.Response {
        guard let id = try o.string("agent_id"), let checksum = try o.string("agent_checksum") ?? o.string("checksum"),
            let jwk = try o.object("pop_jwk")
        else { throw AgenticJWTError(.invalidRequest, at: .m1, "an agent registration needs agent_id, agent_checksum and pop_jwk") }
        let registration = AgentRegistration(agentID: id, checksum: checksum, popKey: try JWK(json: jwk).key, registrationID: "reg_\(id)")
        try provider.withLock { p throws(AgenticJWTError) in try p.register(registration) }
        return Self.json(["agent_id": .string(id), "registration_id": .string(registration.registrationID)])
    }

    func registerWorkflow(_ o: JSONObject) throws -> LoopbackHTTPServer.Response {
        let workflow = try Workflow(json: o)
        try provider.withLock { p throws(AgenticJWTError) in try p.register(workflow) }
        return Self.json(["workflow_id": .string(workflow.id), "steps": .int(Int64(workflow.steps.count))])
    }

    func approve(_ o: JSONObject) throws -> LoopbackHTTPServer.Response {
        guard let workflow = try o.string("workflow_id"), let step = try o.string("step_id") else {
            throw AgenticJWTError(.invalidRequest, at: .m1, "an approval needs workflow_id and step_id")
        }
        provider.withLock { $0.approve(workflow: workflow, step: step) }
        return Self.json(["workflow_id": .string(workflow), "step_id": .string(step), "approved": true])
    }

    func mint(_ o: JSONObject) -> LoopbackHTTPServer.Response {
        let request: IntentTokenRequest
        do { request = try IntentTokenRequest(json: o) } catch { return Self.refusal(error) }
        let time = now()
        switch provider.withLock({ $0.mint(request, now: time) }) {
        case let .success(minted):
            return Self.json([
                "access_token": .string(minted.token), "token_type": "DPoP", "expires_in": .int(minted.claims.expiresAt - minted.claims.issuedAt),
                "scope": .string(minted.claims.scopes.joined(separator: " ")),
            ])
        case let .failure(e): return Self.refusal(e)
        }
    }

    static func refusal(_ e: AgenticJWTError) -> LoopbackHTTPServer.Response {
        json(
            ["error": .string(e.code.rawValue), "error_description": .string(e.reason), "step": .string(e.step.rawValue)], status: e.code.httpStatus)
    }

    static func error(_ code: String, _ description: String, status: Int) -> LoopbackHTTPServer.Response {
        json(["error": .string(code), "error_description": .string(description)], status: status)
    }

    static func json(_ o: JSONObject, status: Int = 200) -> LoopbackHTTPServer.Response {
        LoopbackHTTPServer.Response(status: status, body: Data(o.canonicalString.utf8))
    }
}
