import BatonCrypto
import BatonModel
import BatonRuntime
import Foundation
import JOSE
import Synchronization
import TokenExchange
import ZeroID

/// The reference ZeroID service behind ZeroID's own HTTP API (`baton serve-sts --profile zeroid`), so
/// that `ZeroIDTarget` (`--iut zeroid:URL`) is tested end to end over the requests a real ZeroID takes.
/// Routes (paths may carry a query, which is ignored), with the bodies of ZeroID f08f979:
///
/// - `GET /.well-known/oauth-authorization-server`: `issuer`, `token_endpoint`, `jwks_uri`,
///   `introspection_endpoint`, `revocation_endpoint`, `grant_types_supported`, and (unless plain) the
///   Baton extension members `baton_setup_endpoint`, `baton_identity_endpoint`, `baton_session_header`;
/// - `GET /.well-known/jwks.json`;
/// - `POST /oauth2/token`: JSON or form; `client_credentials` with a registered OAuth client
///   (`client_id`, `client_secret`, `account_id`, `project_id`: the identity whose `external_id` is the
///   client's; the root lives `default_ttl`, capped by its policy) and RFC 8693 token exchange (Z0–Z8).
///   A repeated form parameter or another content type gets ZeroID's non-OAuth 400 body; an empty form
///   value counts as absent;
/// - `POST /oauth2/token/introspect` and `POST /oauth2/token/revoke` (`{"token"}`, JSON or form);
/// - the admin API under `/api/v1` (``ZeroIDAdminRoutes``): identities, credential policies, OAuth
///   clients and `GET /api/v1/delegations/by-jti/{jti}`, in the tenant of `X-Account-ID`/`X-Project-ID`;
/// - Baton extensions, for what ZeroID's admin API cannot express: `POST /baton/zeroid/setup`
///   (`{"session","profile","compat","default_ttl","signing_key"}`: a fresh service for the session with
///   that token profile, behaviour, default TTL and P-256 key; answers `{"issuer","jwks"}`) and
///   `POST /baton/zeroid/identity` (`{"wimse_uri","public_key_pem","status"}`: stores what an operator
///   could only write to ZeroID's database, a key that is no P-256 key or a status no transition reaches).
///
/// One service per session: a request names its session in the `X-Baton-Session` header (a real
/// ZeroID ignores it); without one, the service set up last answers. Token-endpoint errors are ZeroID's
/// `{"error","error_description"}` with its status, plus the Baton extension member `baton_check` (the
/// check that refused, Z0–Z8). The issuer is the server's base URL. Times are the real clock; the
/// handlers never crash on input.
public final class ReferenceZeroIDServer: Sendable {
    public static let sessionHeader = "X-Baton-Session"
    public static let setupPath = "/baton/zeroid/setup"
    public static let identityPath = "/baton/zeroid/identity"
    static let defaultSession = "default"

    /// Whether the metadata advertises the Baton extension routes (false: only ZeroID's own API, as a real deployment).
    let batonExtensions: Bool
    /// The behaviour of the service that answers requests naming no session.
    let compatibility: ZeroIDCompatibility
    private let sessions = ZeroIDSessions()
    private let state = Mutex<(base: String, current: String)>((base: "", current: ReferenceZeroIDServer.defaultSession))

    public init(batonExtensions: Bool = true, compatibility: ZeroIDCompatibility = .spec) {
        self.batonExtensions = batonExtensions
        self.compatibility = compatibility
    }

    /// Starts serving at `baseURL` (`http://127.0.0.1:PORT`) with an empty service (no identities) whose issuer is `baseURL`.
    public func start(baseURL: String) throws {
        state.withLock { $0 = (base: baseURL, current: Self.defaultSession) }
        _ = try install(
            Self.defaultSession, base: baseURL, profile: .legacy, compatibility: compatibility, defaultTTL: 3600, scalar: TokenEndpoint.p256Scalar())
    }

    func install(_ session: String, base: String, profile: ZeroIDTokenProfile, compatibility: ZeroIDCompatibility, defaultTTL: Int64, scalar: [UInt8])
        throws -> ZeroIDService
    {
        let configuration = ZeroIDConfiguration(issuer: base, profile: profile, compatibility: compatibility, defaultTTL: defaultTTL)
        let service = ZeroIDService(configuration: configuration, signingKey: try .p256(scalar: scalar), identities: [], policies: [])
        sessions.install(session, service)
        return service
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// Answers one request.
    public func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let (base, current) = state.withLock { ($0.base, $0.current) }
        guard !base.isEmpty else { return Self.oauthError("server_error", "the server is starting", status: 503) }
        // Without its extensions the server is one deployment, as a real ZeroID: the session header means nothing.
        let named = batonExtensions ? Self.header(Self.sessionHeader, in: request).flatMap { $0.isEmpty ? nil : $0 } : nil
        let session = named ?? current
        let path = String(request.path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        switch (request.method, path) {
        case ("GET", "/.well-known/oauth-authorization-server"): return metadata(base: base, session: session)
        case ("GET", "/.well-known/jwks.json"):
            return serviceCall(session) { service, _ in Self.json(service.jwks.json) }
        case ("POST", Self.setupPath) where batonExtensions: return setUp(request.body, base: base)
        case ("POST", Self.identityPath) where batonExtensions: return storeIdentity(request.body, session: session)
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
        case let (method, p) where p.hasPrefix(ZeroIDAdminRoutes.prefix + "/"):
            let account = Self.header("X-Account-ID", in: request) ?? "", project = Self.header("X-Project-ID", in: request) ?? ""
            return serviceCall(session) { service, _ in
                ZeroIDAdminRoutes.handle(method: method, path: p, body: request.body, tenant: (account, project), now: Self.now, service: &service)
                    ?? ZeroIDAdminRoutes.problem(404, "no route \(method) \(p)")
            }
        default: return Self.nonOAuthError("no route \(request.method) \(path)", status: 404)
        }
    }

    func metadata(base: String, session: String) -> LoopbackHTTPServer.Response {
        var m: JSONObject = [
            "issuer": .string(base), "token_endpoint": .string("\(base)/oauth2/token"), "jwks_uri": .string("\(base)/.well-known/jwks.json"),
            "introspection_endpoint": .string("\(base)/oauth2/token/introspect"), "revocation_endpoint": .string("\(base)/oauth2/token/revoke"),
            "grant_types_supported": .array(["client_credentials", .string(TokenExchangeRequest.grantType)]),
        ]
        if batonExtensions {
            m["baton_setup_endpoint"] = .string(base + Self.setupPath)
            m["baton_identity_endpoint"] = .string(base + Self.identityPath)
            m["baton_session_header"] = .string(Self.sessionHeader)
        }
        return Self.json(m)
    }

    /// The Baton extension `POST /baton/zeroid/setup`: a fresh, empty service for the session.
    func setUp(_ body: Data, base: String) -> LoopbackHTTPServer.Response {
        guard let o = try? JSONParser.parseObject(Array(body)), let session = o["session"]?.stringValue, !session.isEmpty else {
            return Self.oauthError(
                "invalid_request", "the body is not a set-up: {\"session\", \"profile\", \"compat\", \"default_ttl\", \"signing_key\"}")
        }
        guard let profile = ZeroIDTokenProfile(rawValue: o["profile"]?.stringValue ?? "legacy"),
            let compat = ZeroIDCompatibility(rawValue: o["compat"]?.stringValue ?? "spec")
        else { return Self.oauthError("invalid_request", "profile is legacy or rfc8693; compat is spec or zeroid") }
        let ttl = o["default_ttl"]?.intValue ?? 3600
        guard ttl > 0 else { return Self.oauthError("invalid_request", "default_ttl must be positive") }
        let scalar: [UInt8]
        if let hex = o["signing_key"]?.stringValue {
            guard let bytes = try? Hex.decode(hex), bytes.count == 32 else {
                return Self.oauthError("invalid_request", "signing_key is a P-256 scalar of 32 bytes, hex")
            }
            scalar = bytes
        } else {
            scalar = TokenEndpoint.p256Scalar()
        }
        do {
            let service = try install(session, base: base, profile: profile, compatibility: compat, defaultTTL: ttl, scalar: scalar)
            state.withLock { $0.current = session }
            return Self.json(["issuer": .string(base), "jwks": .string(service.jwks.json.canonicalString)])
        } catch {
            return Self.oauthError("invalid_request", "cannot set up: \(error)")
        }
    }

    /// The Baton extension `POST /baton/zeroid/identity`: writes a registered identity's key or status as
    /// they are given, unchecked (what only a write to ZeroID's database could do).
    func storeIdentity(_ body: Data, session: String) -> LoopbackHTTPServer.Response {
        guard let o = try? JSONParser.parseObject(Array(body)), let uri = o["wimse_uri"]?.stringValue else {
            return Self.oauthError("invalid_request", "the body is not {\"wimse_uri\", \"public_key_pem\", \"status\"}")
        }
        return serviceCall(session) { service, _ in
            guard var identity = service.identities[uri] else { return ZeroIDAdminRoutes.problem(404, "identity \(uri) not found") }
            if let pem = o["public_key_pem"]?.stringValue { identity.publicKeyPEM = pem }
            if let status = o["status"]?.stringValue { identity.status = status }
            service.identities[uri] = identity
            return ZeroIDAdminRoutes.json(ZeroIDAdminRoutes.identityJSON(identity, service: service))
        }
    }

    func token(_ pairs: [(String, String)], session: String) -> LoopbackHTTPServer.Response {
        func value(_ name: String) -> String { pairs.first { $0.0 == name }?.1 ?? "" }
        if value("grant_type") == "client_credentials" {
            return serviceCall(session) { service, _ in
                do {
                    let token = try service.issueClientCredentials(
                        clientID: value("client_id"), secret: value("client_secret"), account: value("account_id"), project: value("project_id"),
                        scope: value("scope"), now: Self.now)
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
