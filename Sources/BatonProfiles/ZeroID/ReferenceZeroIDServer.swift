import BatonCrypto
import BatonModel
import BatonRuntime
import Foundation
import JOSE
import Synchronization
import TokenExchange
import ZeroID

/// The reference ZeroID service behind ZeroID's own HTTP API (`baton serve-sts --profile zeroid`), so
/// that `ZeroIDTarget` (`--iut zeroid:URL`) is tested end to end. Routes (paths may carry a query,
/// which is ignored), with the bodies of `../shared/specs/zeroid.md`:
///
/// - `GET /.well-known/oauth-authorization-server`: `issuer`, `token_endpoint`, `jwks_uri`,
///   `introspection_endpoint`, `revocation_endpoint`, `grant_types_supported`, and the Baton extension
///   members `baton_setup_endpoint` and `baton_session_header`;
/// - `GET /.well-known/jwks.json`;
/// - `POST /oauth2/token`: JSON or form; `client_credentials` (`client_id` = the identity's
///   `external_id` or WIMSE URI; the root lives `default_ttl`, capped by its policy) and RFC 8693
///   token exchange (Z0–Z8). A repeated form parameter or another content type gets ZeroID's
///   non-OAuth 400 body; an empty form value counts as absent;
/// - `POST /oauth2/token/introspect` and `POST /oauth2/token/revoke` (`{"token"}`, JSON or form);
/// - `GET /api/v1/delegations/by-jti/{jti}`: `{"jti","edges":[{jti,parent_jti,identity,mission_id}…]}`
///   up to the root, 404 when unknown;
/// - `POST /baton/zeroid/setup` (Baton extension): a `TokenServiceSetup` whose `profile_settings` is
///   the scenario's ZeroID deployment (identities with WIMSE URIs and keys, policies, token profile,
///   compatibility, default TTL); answers the `TokenServiceInfo`.
///
/// One service per session: a request names its session in the `X-Baton-Session` header (a real
/// ZeroID ignores it); without one, the service set up last answers. Errors are ZeroID's
/// `{"error","error_description"}` with its status, plus the Baton extension member `baton_check`
/// (the check that refused, Z0–Z8). Times are the real clock; the handlers never crash on input.
public final class ReferenceZeroIDServer: Sendable {
    public static let sessionHeader = "X-Baton-Session"
    public static let setupPath = "/baton/zeroid/setup"
    static let defaultSession = "default"

    private let sessions = ZeroIDSessions()
    private let state = Mutex<(base: String, current: String)>((base: "", current: ReferenceZeroIDServer.defaultSession))

    public init() {}

    /// Starts serving at `baseURL` (`http://127.0.0.1:PORT`) with an empty service (no identities) whose issuer is `baseURL`.
    public func start(baseURL: String) throws {
        state.withLock { $0 = (base: baseURL, current: Self.defaultSession) }
        let deployment = ZeroIDDeployment(wimseDomain: "zeroid.dev", profile: .legacy, compat: .spec, defaultTTL: 3600, policies: [], identities: [])
        var setup = TokenServiceSetup(
            session: Self.defaultSession, issuer: baseURL, layout: ZeroIDTokenProfile.legacy.rawValue, algorithm: JWSAlgorithm.es256.rawValue,
            signingKey: HexBytes(TokenEndpoint.p256Scalar()), tokenLifetime: 3600, maxAssertionLifetime: 0, maxDepth: 0, agents: [], now: Self.now)
        setup.profileSettings = deployment.jsonText
        _ = try sessions.setUp(setup, flaws: [])
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// Answers one request.
    public func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let (base, current) = state.withLock { ($0.base, $0.current) }
        guard !base.isEmpty else { return Self.oauthError("server_error", "the server is starting", status: 503) }
        let session = Self.header(Self.sessionHeader, in: request).flatMap { $0.isEmpty ? nil : $0 } ?? current
        let path = String(request.path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        switch (request.method, path) {
        case ("GET", "/.well-known/oauth-authorization-server"): return metadata(base: base, session: session)
        case ("GET", "/.well-known/jwks.json"):
            return serviceCall(session) { service, _ in Self.json(service.jwks.json) }
        case ("POST", Self.setupPath): return setUp(request.body)
        case ("POST", "/oauth2/token"):
            switch Self.parameters(request, formDuplicatesAllowed: false) {
            case let .failure(response): return response
            case let .success(pairs): return token(pairs, session: session)
            }
        case ("POST", "/oauth2/token/introspect"), ("POST", "/oauth2/token/revoke"):
            switch Self.parameters(request, formDuplicatesAllowed: false) {
            case let .failure(response): return response
            case let .success(pairs):
                let token = pairs.first { $0.0 == "token" }?.1 ?? ""
                if path.hasSuffix("revoke") { return serviceCall(session) { service, _ in Self.json(service.revoke(token)) } }
                return serviceCall(session) { service, _ in
                    switch service.introspect(token, now: Self.now) {
                    case let .success(answer): return Self.json(answer)
                    case .failure: return Self.json(["active": false])
                    }
                }
            }
        case let ("GET", p) where p.hasPrefix("/api/v1/delegations/by-jti/"):
            let jti = String(p.dropFirst("/api/v1/delegations/by-jti/".count)).removingPercentEncoding ?? ""
            return serviceCall(session) { service, _ in
                guard let edges = service.lineage(of: jti) else { return Self.nonOAuthError("credential \(jti) not found", status: 404) }
                return Self.json(["jti": .string(jti), "edges": .array(edges.map(JSONValue.object))])
            }
        default: return Self.nonOAuthError("no route \(request.method) \(path)", status: 404)
        }
    }

    func metadata(base: String, session: String) -> LoopbackHTTPServer.Response {
        let issuer = (try? sessions.with(session) { service, _ in service.configuration.issuer }) ?? base
        let m: JSONObject = [
            "issuer": .string(issuer), "token_endpoint": .string("\(base)/oauth2/token"), "jwks_uri": .string("\(base)/.well-known/jwks.json"),
            "introspection_endpoint": .string("\(base)/oauth2/token/introspect"), "revocation_endpoint": .string("\(base)/oauth2/token/revoke"),
            "grant_types_supported": .array(["client_credentials", .string(TokenExchangeRequest.grantType)]),
            "baton_setup_endpoint": .string(base + Self.setupPath), "baton_session_header": .string(Self.sessionHeader),
        ]
        return Self.json(m)
    }

    func setUp(_ body: Data) -> LoopbackHTTPServer.Response {
        guard let setup = try? JSONDecoder().decode(TokenServiceSetup.self, from: body), !setup.session.isEmpty else {
            return Self.oauthError("invalid_request", "the body is not a TokenServiceSetup")
        }
        do {
            let info = try sessions.setUp(setup, flaws: [])
            state.withLock { $0.current = setup.session }
            return LoopbackHTTPServer.Response(status: 200, body: try JSONEncoder().encode(info))
        } catch {
            return Self.oauthError("invalid_request", "cannot set up: \(error)")
        }
    }

    func token(_ pairs: [(String, String)], session: String) -> LoopbackHTTPServer.Response {
        let grantType = pairs.first { $0.0 == "grant_type" }?.1
        if grantType == "client_credentials" {
            let clientID = pairs.first { $0.0 == "client_id" }?.1 ?? ""
            let scopes = (pairs.first { $0.0 == "scope" }?.1 ?? "").split(separator: " ").map(String.init)
            return serviceCall(session) { service, uris in
                let identity = uris[clientID] ?? clientID
                guard service.identities[identity] != nil else { return Self.oauthError("invalid_client", "unknown client \(clientID)", status: 401) }
                do {
                    let token = try service.issueRootCredential(
                        identity: identity, scopes: scopes, ttl: service.configuration.defaultTTL, now: Self.now)
                    let claims = (try? JWS.parse(token).claims) ?? [:]
                    let exp = claims["exp"]?.intValue ?? Self.now
                    let iat = claims["iat"]?.intValue ?? Self.now
                    let granted = claims["scopes"]?.arrayValue?.compactMap(\.stringValue) ?? []
                    return Self.json([
                        "access_token": .string(token), "token_type": "Bearer", "expires_in": .int(exp - iat),
                        "scope": .string(granted.joined(separator: " ")), "jti": claims["jti"] ?? .null, "iat": .int(iat),
                    ])
                } catch let e as ZeroIDError {
                    return Self.refusal(e)
                } catch {
                    return Self.oauthError("server_error", "an unexpected error occurred", status: 500)
                }
            }
        }
        let request: TokenExchangeRequest
        do { request = try TokenExchangeRequest(form: pairs) } catch {
            return Self.oauthError("invalid_request", "\(error)")
        }
        return serviceCall(session) { service, _ in
            switch service.exchange(request, now: Self.now) {
            case let .success(response): return Self.json(response.json)
            case let .failure(e): return Self.refusal(e)
            }
        }
    }

    /// Runs `body` on the session's service; a session that was never set up is a 400 naming it.
    func serviceCall(
        _ session: String, _ body: (inout ZeroIDService, [String: String]) -> LoopbackHTTPServer.Response
    ) -> LoopbackHTTPServer.Response {
        do { return try sessions.with(session, body) } catch {
            return Self.oauthError("invalid_request", "no ZeroID service was set up for session \(session)")
        }
    }

    // MARK: Bodies

    /// The request's parameters as ZeroID reads them: a JSON object of strings, or a form whose
    /// repeated parameters are refused (ZeroID's non-OAuth 400) and whose empty values are dropped.
    static func parameters(_ request: LoopbackHTTPServer.Request, formDuplicatesAllowed: Bool) -> Parsed {
        let type = (header("Content-Type", in: request) ?? "").lowercased()
        if type.hasPrefix("application/json") {
            guard let o = try? JSONParser.parseObject(Array(request.body)) else {
                return .failure(nonOAuthError("malformed JSON body", status: 400))
            }
            var pairs: [(String, String)] = []
            for (name, value) in o {
                guard case let .string(s) = value else { return .failure(nonOAuthError("parameter \(name) must be a string", status: 400)) }
                pairs.append((name, s))
            }
            return .success(pairs)
        }
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            return .failure(nonOAuthError("Content-Type must be application/json, got: \(type)", status: 400))
        }
        guard let text = String(data: request.body, encoding: .utf8), let pairs = FormURLEncoding.decode(text) else {
            return .failure(nonOAuthError("malformed form body", status: 400))
        }
        var seen = Set<String>()
        for (name, _) in pairs where !seen.insert(name).inserted && !formDuplicatesAllowed {
            return .failure(nonOAuthError("duplicate OAuth parameter: \(name)", status: 400))
        }
        return .success(pairs.filter { !$0.1.isEmpty })
    }

    enum Parsed {
        case success([(String, String)])
        case failure(LoopbackHTTPServer.Response)
    }

    static func header(_ name: String, in request: LoopbackHTTPServer.Request) -> String? {
        request.headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    static func json(_ object: JSONObject, status: Int = 200) -> LoopbackHTTPServer.Response {
        LoopbackHTTPServer.Response(status: status, body: Data(object.canonicalString.utf8))
    }

    static func refusal(_ e: ZeroIDError) -> LoopbackHTTPServer.Response {
        json(
            ["error": .string(e.code.rawValue), "error_description": .string(e.reason), "baton_check": .string(e.check.rawValue)],
            status: e.code.httpStatus)
    }

    static func oauthError(_ code: String, _ description: String, status: Int = 400) -> LoopbackHTTPServer.Response {
        json(["error": .string(code), "error_description": .string(description)], status: status)
    }

    /// ZeroID's error body outside OAuth (huma's): `{"error":{"code","message","status"}}`.
    static func nonOAuthError(_ message: String, status: Int) -> LoopbackHTTPServer.Response {
        let name = status == 404 ? "NOT_FOUND" : "BAD_REQUEST"
        return json(["error": .object(["code": .int(Int64(status)), "message": .string(message), "status": .string(name)])], status: status)
    }
}
