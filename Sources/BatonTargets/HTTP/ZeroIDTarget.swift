import BatonModel
import Foundation
import JOSE
import Synchronization
import TokenExchange

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A ZeroID deployment on loopback (`--iut zeroid:http://127.0.0.1:PORT[#name]`), driven as the `sts`
/// role of the `zeroid` profile through ZeroID's own HTTP API (`../shared/specs/zeroid.md`):
///
/// - discovery: `GET /.well-known/oauth-authorization-server` (`issuer`, `token_endpoint`, and
///   `introspection_endpoint`, `revocation_endpoint`, defaulting to ZeroID's paths);
/// - set-up: the scenario's deployment (identities, keys, policies, token profile) is posted to the
///   Baton extension member `baton_setup_endpoint` (as `baton serve-sts --profile zeroid` offers).
///   A real ZeroID has none: registering identities through its admin API is not implemented, so the
///   set-up answers `unsupported` (the runner skips) rather than blaming the service;
/// - login: `client_credentials` with `client_id` = the agent's `external_id`; the root lives the
///   service's default TTL, so a scenario asking another lifetime is `unsupported`;
/// - exchange: the scenario's parameters as a form (`body: json` sends a JSON object, which cannot
///   repeat a parameter) to `token_endpoint`; introspection and revocation: `{"token"}` as JSON;
///   lineage: `GET /api/v1/delegations/by-jti/{jti}` (the `jti` read from the token).
///
/// Refusals: ZeroID's `{"error","error_description"}` becomes a refusal with that code (`baton_check`,
/// when the reference adds it, names the step); its non-OAuth 400/422 bodies (repeated parameter,
/// content type, schema) become `invalid_request`; `{"active":false}` becomes `token_inactive`.
/// Every request session carries `X-Baton-Session` (or the header the metadata names). Never throws
/// or crashes: transport failures, timeouts, 5xx and bodies that are not JSON are implementation errors
/// naming the request.
public struct ZeroIDTarget: ImplementationUnderTest {
    public var baseURL: URL
    public var timeout: TimeInterval
    public var name: String
    /// Token requests as JSON objects rather than forms.
    public var jsonBodies: Bool
    let sessions = SessionTable()

    public static let profile = TokenProfile("zeroid")
    static let defaultRootTTL: Int64 = 3600

    public init(baseURL: URL, timeout: TimeInterval = 10, name: String = "zeroid", jsonBodies: Bool = false) {
        self.baseURL = baseURL
        self.timeout = timeout
        self.name = name
        self.jsonBodies = jsonBodies
    }

    public var descriptor: ImplementationDescriptor {
        ImplementationDescriptor(name: name, version: baseURL.absoluteString, profiles: [Self.profile], roles: [.sts], options: [])
    }

    public func mint(_ request: MintRequest) async -> IssueResult {
        .refused(Outcome.unsupported("ZeroID issues root credentials by client_credentials"))
    }
    public func delegate(_ request: DelegateRequest) async -> IssueResult { .refused(Outcome.unsupported("ZeroID delegates by token exchange")) }
    public func verify(_ request: VerifyRequest) async -> Outcome { Outcome.unsupported("a ZeroID service is not a verifier") }

    /// What the target learnt about the service for one session.
    struct Session: Sendable {
        var metadata: Metadata
        /// Agent name → `external_id` (the last segment of its WIMSE URI).
        var clientIDs: [String: String]
    }

    /// The members of the service's metadata the target uses.
    public struct Metadata: Sendable, Hashable {
        public var issuer: String
        public var tokenEndpoint: URL
        public var introspectionEndpoint: URL
        public var revocationEndpoint: URL
        public var setupEndpoint: URL?
        public var sessionHeader: String
    }

    // MARK: Discovery and set-up

    public func discover() async -> Result<Metadata, TargetFailure> {
        let url = baseURL.appendingPathComponent(".well-known/oauth-authorization-server")
        let object: JSONObject
        switch await send(get(url, session: nil), what: "GET \(url)") {
        case let .failure(f): return .failure(f)
        case let .success(answer):
            guard answer.status == 200, case let .object(o) = answer.json else {
                return .failure(TargetFailure("GET \(url): HTTP \(answer.status), not a metadata document"))
            }
            object = o
        }
        func endpoint(_ key: String, default path: String?) -> Result<URL?, TargetFailure> {
            guard let value = object[key] else { return .success(path.map { baseURL.appendingPathComponent($0) }) }
            guard let text = value.stringValue, let u = URL(string: text), u.isLoopbackHTTP else {
                return .failure(TargetFailure("GET \(url): \(key) is not a loopback http URL"))
            }
            return .success(u)
        }
        guard let issuer = object["issuer"]?.stringValue else { return .failure(TargetFailure("GET \(url): metadata has no issuer")) }
        do {
            guard let token = try endpoint("token_endpoint", default: "oauth2/token").get(),
                let introspect = try endpoint("introspection_endpoint", default: "oauth2/token/introspect").get(),
                let revoke = try endpoint("revocation_endpoint", default: "oauth2/token/revoke").get()
            else { return .failure(TargetFailure("GET \(url): no token endpoint")) }
            return .success(
                Metadata(
                    issuer: issuer, tokenEndpoint: token, introspectionEndpoint: introspect, revocationEndpoint: revoke,
                    setupEndpoint: try endpoint("baton_setup_endpoint", default: nil).get(),
                    sessionHeader: object["baton_session_header"]?.stringValue ?? "X-Baton-Session"))
        } catch {
            return .failure(error)
        }
    }

    public func setUpTokenService(_ setup: TokenServiceSetup) async -> TokenServiceSetupResult {
        let metadata: Metadata
        switch await discover() {
        case let .success(m): metadata = m
        case let .failure(f): return .failed(.failed(f.message))
        }
        guard let endpoint = metadata.setupEndpoint else {
            return .failed(
                Outcome.unsupported(
                    "the service advertises no baton_setup_endpoint; registering identities and credential policies through ZeroID's admin API (POST /api/v1/identities, policies) is not implemented"
                ))
        }
        var clientIDs: [String: String] = [:]
        if let text = setup.profileSettings, let o = try? JSONParser.parseObject(Array(text.utf8)), case let .array(items)? = o["identities"] {
            for case let .object(i) in items {
                guard let name = i["name"]?.stringValue, let uri = i["wimse_uri"]?.stringValue else { continue }
                clientIDs[name] = String(uri.split(separator: "/").last ?? Substring(name))
            }
        }
        guard let body = try? JSONEncoder().encode(setup) else { return .failed(.failed("cannot encode the set-up")) }
        var request = post(endpoint, body: body, contentType: "application/json", session: nil)
        request.setValue(setup.session, forHTTPHeaderField: metadata.sessionHeader)
        switch await send(request, what: "POST \(endpoint) (set-up)") {
        case let .failure(f): return .failed(.failed(f.message))
        case let .success(answer):
            guard answer.status == 200 else {
                return .failed(.failed("POST \(endpoint) (set-up): HTTP \(answer.status) \(Self.errorText(answer.json))"))
            }
            guard let info = try? JSONDecoder().decode(TokenServiceInfo.self, from: answer.data), (try? JWKSet(jsonText: info.jwks)) != nil else {
                return .failed(.failed("POST \(endpoint) (set-up): the answer is not a token service description with a JWKS"))
            }
            sessions.set(setup.session, Session(metadata: metadata, clientIDs: clientIDs))
            return .ready(info)
        }
    }

    func session(_ id: String) -> Session? { sessions.get(id) }

    // MARK: Login and exchange

    public func login(_ r: LoginRequest) async -> IssueResult {
        guard let s = session(r.session) else { return .refused(.failed("no ZeroID service was set up for \(r.session)")) }
        guard r.ttlSeconds == Self.defaultRootTTL else {
            return .refused(
                Outcome.unsupported("ZeroID's client_credentials grant takes no lifetime (the scenario asks \(r.ttlSeconds)s for \(r.agent)'s root)"))
        }
        let pairs = [
            ("grant_type", "client_credentials"), ("client_id", s.clientIDs[r.agent] ?? r.agent), ("scope", r.scopes.joined(separator: " ")),
        ]
        return await tokenAnswer(
            tokenRequest(s.metadata.tokenEndpoint, pairs, session: r.session, metadata: s.metadata),
            what: "POST \(s.metadata.tokenEndpoint) (client_credentials for \(r.agent))")
    }

    public func exchange(_ call: ExchangeCall) async -> IssueResult {
        guard let s = session(call.session) else { return .refused(.failed("no ZeroID service was set up for \(call.session)")) }
        let pairs = call.parameters.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
        let token = pairs.first { $0.0 == "token" }?.1 ?? ""
        switch call.endpoint {
        case nil, "token"?:
            return await tokenAnswer(
                tokenRequest(s.metadata.tokenEndpoint, pairs, session: call.session, metadata: s.metadata),
                what: "POST \(s.metadata.tokenEndpoint) (token exchange)")
        case "introspect"?:
            let url = s.metadata.introspectionEndpoint
            let what = "POST \(url) (introspection)"
            switch await send(jsonRequest(url, ["token": .string(token)], session: call.session, metadata: s.metadata), what: what) {
            case let .failure(f): return .refused(.failed(f.message))
            case let .success(answer):
                guard answer.status == 200, case let .object(o) = answer.json, let active = o["active"], case let .bool(isActive) = active else {
                    return .refused(Self.refusalOrFailure(answer, what: what, expecting: "an introspection answer"))
                }
                guard isActive else {
                    return .refused(Outcome(verdict: .reject, code: "token_inactive", message: "introspection answered active: false"))
                }
                return .token(o.canonicalString)
            }
        case "revoke"?:
            let url = s.metadata.revocationEndpoint
            let what = "POST \(url) (revocation)"
            switch await send(jsonRequest(url, ["token": .string(token)], session: call.session, metadata: s.metadata), what: what) {
            case let .failure(f): return .refused(.failed(f.message))
            case let .success(answer):
                guard answer.status == 200, case let .object(o) = answer.json else {
                    return .refused(Self.refusalOrFailure(answer, what: what, expecting: "a revocation answer"))
                }
                return .token(o.canonicalString)
            }
        case "lineage"?:
            let jti = (try? JWS.parse(token)).flatMap { $0.claims["jti"]?.stringValue } ?? token
            let escaped = jti.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? jti
            guard let url = URL(string: baseURL.absoluteString.trimmingSuffix("/") + "/api/v1/delegations/by-jti/" + escaped) else {
                return .refused(.failed("cannot build the lineage URL for \(jti)"))
            }
            let what = "GET \(url) (lineage)"
            switch await send(get(url, session: (call.session, s.metadata.sessionHeader)), what: what) {
            case let .failure(f): return .refused(.failed(f.message))
            case let .success(answer):
                if answer.status == 404 { return .refused(Outcome(verdict: .reject, code: "not_found", message: "\(what): HTTP 404")) }
                guard answer.status == 200, let edges = Self.edges(answer.json) else {
                    return .refused(Self.refusalOrFailure(answer, what: what, expecting: "a list of delegation edges"))
                }
                return .token(JSONValue.array(edges).canonicalString)
            }
        case let other?:
            return .refused(.failed("no ZeroID endpoint \(other)"))
        }
    }

    /// The edges of a lineage answer: a JSON array, or the first array among `edges`, `chain`, `lineage`,
    /// `delegations`, `data` (ZeroID's exact shape is not in its wire contract).
    static func edges(_ json: JSONValue) -> [JSONValue]? {
        if case let .array(a) = json { return a }
        guard case let .object(o) = json else { return nil }
        for key in ["edges", "chain", "lineage", "delegations", "data"] { if case let .array(a)? = o[key] { return a } }
        return nil
    }

    /// 200 with `access_token`: the token; ZeroID's errors: refusals; anything else names `what`.
    func tokenAnswer(_ request: URLRequest, what: String) async -> IssueResult {
        switch await send(request, what: what) {
        case let .failure(f): return .refused(.failed(f.message))
        case let .success(answer):
            if answer.status == 200, case let .object(o) = answer.json, let token = o["access_token"]?.stringValue, !token.isEmpty {
                return .token(token)
            }
            return .refused(Self.refusalOrFailure(answer, what: what, expecting: "an access_token"))
        }
    }

    /// A 4xx with ZeroID's OAuth error (`{"error":"code"}`) is a refusal with that code; its non-OAuth
    /// bodies (`{"error":{"message"…}}`, RFC 9457 problems) are `invalid_request`; 5xx and the rest are
    /// implementation errors naming the request.
    static func refusalOrFailure(_ answer: Answer, what: String, expecting: String) -> Outcome {
        guard (400..<500).contains(answer.status), case let .object(o) = answer.json else {
            return .failed("\(what): HTTP \(answer.status) without \(answer.status == 200 ? expecting : "a ZeroID error") \(errorText(answer.json))")
        }
        if let code = o["error"]?.stringValue, !code.isEmpty {
            let description = o["error_description"]?.stringValue ?? code
            return Outcome(verdict: .reject, code: code, step: o["baton_check"]?.stringValue, message: "HTTP \(answer.status): \(description)")
        }
        if case let .object(e)? = o["error"] {
            return .rejected(
                "invalid_request", message: "HTTP \(answer.status) (not an OAuth error): \(e["message"]?.stringValue ?? e.canonicalString)")
        }
        if o["title"] != nil || o["detail"] != nil {
            let detail = o["detail"]?.stringValue ?? o["title"]?.stringValue ?? ""
            return .rejected("invalid_request", message: "HTTP \(answer.status) (problem, not an OAuth error): \(detail)")
        }
        return .failed("\(what): HTTP \(answer.status) without a ZeroID error: \(errorText(answer.json))")
    }

    static func errorText(_ json: JSONValue) -> String {
        let text = json.canonicalString
        return text.count > 120 ? String(text.prefix(120)) + "…" : text
    }

    // MARK: HTTP

    struct Answer {
        var status: Int
        var data: Data
        var json: JSONValue
    }

    func get(_ url: URL, session: (String, String)?) -> URLRequest {
        var r = URLRequest(url: url)
        r.timeoutInterval = timeout
        r.setValue("application/json", forHTTPHeaderField: "Accept")
        if let (id, header) = session { r.setValue(id, forHTTPHeaderField: header) }
        return r
    }

    func post(_ url: URL, body: Data, contentType: String, session: (String, String)?) -> URLRequest {
        var r = get(url, session: session)
        r.httpMethod = "POST"
        r.setValue(contentType, forHTTPHeaderField: "Content-Type")
        r.httpBody = body
        return r
    }

    func tokenRequest(_ url: URL, _ pairs: [(String, String)], session: String, metadata: Metadata) -> URLRequest {
        if jsonBodies {
            var o = JSONObject()
            for (k, v) in pairs { o[k] = .string(v) }
            return jsonRequest(url, o, session: session, metadata: metadata)
        }
        return post(
            url, body: Data(FormURLEncoding.encode(pairs).utf8), contentType: "application/x-www-form-urlencoded",
            session: (session, metadata.sessionHeader))
    }

    func jsonRequest(_ url: URL, _ body: JSONObject, session: String, metadata: Metadata) -> URLRequest {
        post(url, body: Data(body.canonicalString.utf8), contentType: "application/json", session: (session, metadata.sessionHeader))
    }

    /// Sends the request and parses a JSON body (bounded by the parser); failures name the request.
    func send(_ request: URLRequest, what: String) async -> Result<Answer, TargetFailure> {
        let (data, status, error) = await LoopbackHTTPClient.send(request, timeout: timeout)
        if let error { return .failure(TargetFailure("\(what): \(error)")) }
        guard let data else { return .failure(TargetFailure("\(what): no answer")) }
        guard let json = try? JSONParser.parse(Array(data)) else {
            let snippet = String(decoding: data.prefix(80), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            return .failure(TargetFailure("\(what): HTTP \(status), the body is not JSON: \(snippet.isEmpty ? "(empty)" : snippet)"))
        }
        return .success(Answer(status: status, data: data, json: json))
    }
}

/// The target's sessions, shared by its copies.
final class SessionTable: Sendable {
    private let table = Mutex<[String: ZeroIDTarget.Session]>([:])
    func set(_ id: String, _ session: ZeroIDTarget.Session) { table.withLock { $0[id] = session } }
    func get(_ id: String) -> ZeroIDTarget.Session? { table.withLock { $0[id] } }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
