import BatonModel
import Foundation
import JOSE
import Synchronization
import TokenExchange

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real OAuth 2.0 token service on loopback (`--iut oauth:http://127.0.0.1:PORT`), driven as the
/// `sts` role of the `token-exchange` profile over plain HTTP:
///
/// - discovery: `GET /.well-known/oauth-authorization-server` (RFC 8414: `issuer`, `token_endpoint`,
///   `jwks_uri`, `registration_endpoint`);
/// - set-up: with the Baton extension member `baton_setup_endpoint` the `TokenServiceSetup` is posted
///   there as JSON (full fidelity, as `baton serve-sts` does); otherwise every registered agent becomes
///   an RFC 7591 client (see `register`), and settings RFC 7591 cannot express make the set-up
///   `unsupported:` (the runner skips the scenario);
/// - login: `baton_login_endpoint` (Baton extension) or a `client_credentials` grant of the agent;
/// - exchange: the form parameters posted to `token_endpoint`, with the calling agent's client
///   credentials (`client_secret_post`) when it was registered.
///
/// It does not honour Baton's clock (no `clock` option): the server uses its own, so the runner
/// follows real time for it. Never throws or crashes: every transport, status or body problem is an
/// implementation-error outcome naming the request.
public struct TokenEndpointTarget: ImplementationUnderTest {
    public var baseURL: URL
    public var timeout: TimeInterval
    /// How an agent is named in tokens, from its registration: `{client_id}` and `{name}` are replaced.
    public var identityTemplate: String
    /// The claim layout assumed for the service's tokens when it does not say (Baton extension `baton_layout`).
    public var layoutGuess: String?
    /// The implementation's name in reports.
    public var name: String
    /// Sent instead of `urn:ietf:params:oauth:token-type:jwt` as `subject_token_type`, for services that
    /// take their own JWTs only as `…:access_token` (RFC 8693 §3 defines both); nil: as the scenario says.
    /// Other types (e.g. a scenario's deliberately unknown one) are always sent unchanged.
    public var subjectTokenTypeForJWT: String?
    let registry = ClientRegistry()

    public init(
        baseURL: URL, timeout: TimeInterval = 10, identityTemplate: String = "client:{client_id}",
        layoutGuess: String? = "rfc8693", name: String = "oauth-sts", subjectTokenTypeForJWT: String? = nil
    ) {
        self.subjectTokenTypeForJWT = subjectTokenTypeForJWT
        self.baseURL = baseURL
        self.timeout = timeout
        self.identityTemplate = identityTemplate
        self.layoutGuess = layoutGuess
        self.name = name
    }

    public var descriptor: ImplementationDescriptor {
        ImplementationDescriptor(name: name, version: baseURL.absoluteString, profiles: [TokenProfile("token-exchange")], roles: [.sts], options: [])
    }

    public func mint(_ request: MintRequest) async -> IssueResult { .refused(Outcome.unsupported("a token service does not mint chained tokens")) }
    public func delegate(_ request: DelegateRequest) async -> IssueResult {
        .refused(Outcome.unsupported("a token service does not delegate chained tokens"))
    }
    public func verify(_ request: VerifyRequest) async -> Outcome { Outcome.unsupported("a token service is not a verifier") }

    // MARK: Discovery

    /// The members of the service's RFC 8414 metadata Baton uses.
    public struct Metadata: Sendable, Hashable {
        public var issuer: String
        public var tokenEndpoint: URL
        public var jwksURI: URL
        public var registrationEndpoint: URL?
        public var setupEndpoint: URL?
        public var loginEndpoint: URL?
        /// The Baton extension member `baton_layout`: the claim layout of the service's tokens.
        public var layout: String?
    }

    /// Reads the metadata document; endpoints must be on loopback.
    public func discover() async -> Result<Metadata, TargetFailure> {
        let url = baseURL.appendingPathComponent(".well-known/oauth-authorization-server")
        let object: JSONObject
        switch await fetchJSON(get(url)) {
        case let .success(o): object = o.json
        case let .failure(f): return .failure(f)
        }
        func endpoint(_ key: String, required: Bool) -> Result<URL?, TargetFailure> {
            guard let value = object[key] else {
                return required ? .failure(TargetFailure("GET \(url): metadata has no \(key)")) : .success(nil)
            }
            guard let text = value.stringValue, let u = URL(string: text), u.isLoopbackHTTP else {
                return .failure(TargetFailure("GET \(url): \(key) is not a loopback http URL"))
            }
            return .success(u)
        }
        do {
            guard let issuer = object["issuer"]?.stringValue else { return .failure(TargetFailure("GET \(url): metadata has no issuer")) }
            guard let token = try endpoint("token_endpoint", required: true).get(), let jwks = try endpoint("jwks_uri", required: true).get() else {
                return .failure(TargetFailure("GET \(url): metadata lacks token_endpoint or jwks_uri"))
            }
            return .success(
                Metadata(
                    issuer: issuer, tokenEndpoint: token, jwksURI: jwks,
                    registrationEndpoint: try endpoint("registration_endpoint", required: false).get(),
                    setupEndpoint: try endpoint("baton_setup_endpoint", required: false).get(),
                    loginEndpoint: try endpoint("baton_login_endpoint", required: false).get(),
                    layout: object["baton_layout"]?.stringValue))
        } catch {
            // Only `Result<_, TargetFailure>.get()` throws here.
            return .failure(error)
        }
    }

    // MARK: Set-up

    public func setUpTokenService(_ setup: TokenServiceSetup) async -> TokenServiceSetupResult {
        let metadata: Metadata
        switch await discover() {
        case let .success(m): metadata = m
        case let .failure(f): return .failed(.failed(f.message))
        }
        registry.reset(session: setup.session, metadata: metadata)
        if let endpoint = metadata.setupEndpoint {
            guard let body = try? JSONEncoder().encode(setup) else { return .failed(.failed("cannot encode the set-up")) }
            switch await fetchJSON(post(endpoint, body: body, contentType: "application/json")) {
            case let .success(answer):
                guard answer.status == 200 else {
                    return .failed(.failed("POST \(endpoint): HTTP \(answer.status) \(Self.oauthError(answer.json) ?? "")"))
                }
                guard var info = try? JSONDecoder().decode(TokenServiceInfo.self, from: answer.data) else {
                    return .failed(.failed("POST \(endpoint): the answer is not a token service description"))
                }
                if info.layout == nil { info.layout = setup.layout }
                return .ready(info)
            case let .failure(f): return .failed(.failed(f.message))
            }
        }
        if let reason = Self.inexpressible(setup) { return .failed(Outcome.unsupported(reason)) }
        guard let registration = metadata.registrationEndpoint else {
            return .failed(Outcome.unsupported("the service advertises neither baton_setup_endpoint nor a registration_endpoint"))
        }
        var identities: [String: String] = [:]
        for agent in setup.agents {
            switch await register(agent, session: setup.session, at: registration) {
            case let .success(client):
                registry.add(client, for: agent.name, session: setup.session)
                identities[agent.name] = client.identity
            case let .failure(f): return .failed(.failed(f.message))
            }
        }
        let jwks: String
        switch await fetchJSON(get(metadata.jwksURI)) {
        case let .success(answer):
            guard answer.status == 200, (try? JWKSet(json: answer.json)) != nil else {
                return .failed(.failed("GET \(metadata.jwksURI): HTTP \(answer.status), not a usable JWKS"))
            }
            jwks = answer.json.canonicalString
        case let .failure(f): return .failed(.failed(f.message))
        }
        return .ready(TokenServiceInfo(issuer: metadata.issuer, jwks: jwks, identities: identities, layout: metadata.layout ?? layoutGuess))
    }

    /// What plain RFC 7591 registration cannot tell a service. Agents registered without a key are
    /// registered without `jwks`, unregistered agents are not registered, and the layout and algorithm
    /// are the service's own (the runner verifies with what the service publishes); service-wide limits
    /// and a per-agent delegation depth have no standard member, so such scenarios are skipped rather
    /// than blamed on the service.
    static func inexpressible(_ setup: TokenServiceSetup) -> String? {
        var reasons: [String] = []
        if setup.maxDepth != TokenServiceSetup.Defaults.maxDepth { reasons.append("a service-wide max_depth of \(setup.maxDepth)") }
        if setup.tokenLifetime != TokenServiceSetup.Defaults.tokenLifetime { reasons.append("a token lifetime of \(setup.tokenLifetime)s") }
        if setup.maxAssertionLifetime != TokenServiceSetup.Defaults.maxAssertionLifetime {
            reasons.append("a maximum assertion lifetime of \(setup.maxAssertionLifetime)s")
        }
        if setup.delegableScopes != nil { reasons.append("a delegable-scope policy") }
        for agent in setup.agents where agent.maxDepth != nil { reasons.append("a max_depth for \(agent.name)") }
        guard !reasons.isEmpty else { return nil }
        return "RFC 7591 registration cannot express " + reasons.joined(separator: ", ")
    }

    /// Registers one agent as an RFC 7591 client. The Baton extension member `agent_uri` carries its
    /// workload URI; a service that echoes it back names the agent by it.
    func register(_ agent: TokenServiceAgent, session: String, at endpoint: URL) async -> Result<RegisteredClient, TargetFailure> {
        var grants = agent.grantTypes
        if !grants.contains("client_credentials") { grants.append("client_credentials") }
        var body: [String: Any] = [
            "client_name": Self.clientName(session: session, agent: agent.name), "grant_types": grants,
            "scope": agent.scopes.joined(separator: " "), "token_endpoint_auth_method": "client_secret_post", "agent_uri": agent.uri,
        ]
        if let pem = agent.publicKeyPEM {
            guard let key = try? JWSVerificationKey(pem: pem),
                let jwk = try? JSONSerialization.jsonObject(with: Data(JWK(key: key).json.canonicalString.utf8))
            else {
                return .failure(TargetFailure("the public key of \(agent.name) cannot be expressed as a JWK"))
            }
            body["jwks"] = ["keys": [jwk]]
        }
        guard let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) else {
            return .failure(TargetFailure("cannot encode the registration of \(agent.name)"))
        }
        switch await fetchJSON(post(endpoint, body: data, contentType: "application/json")) {
        case let .success(answer):
            guard (200..<300).contains(answer.status), let id = answer.json["client_id"]?.stringValue else {
                return .failure(
                    TargetFailure(
                        "POST \(endpoint) (register \(agent.name)): HTTP \(answer.status) \(Self.oauthError(answer.json) ?? "no client_id")"))
            }
            let identity =
                answer.json["agent_uri"]?.stringValue
                ?? identityTemplate.replacingOccurrences(of: "{client_id}", with: id).replacingOccurrences(of: "{name}", with: agent.name)
            return .success(RegisteredClient(clientID: id, secret: answer.json["client_secret"]?.stringValue, identity: identity))
        case let .failure(f): return .failure(f)
        }
    }

    /// `<session>/<name>` with anything but letters, digits, `.`, `-`, `_`, `/` and `:` replaced by `-`, at most 200 characters.
    static func clientName(session: String, agent: String) -> String {
        let raw = "\(session)/\(agent)"
        let safe = raw.unicodeScalars.map { c -> Character in
            c.isASCII && (CharacterSet.alphanumerics.contains(c) || ".-_/:".unicodeScalars.contains(c)) ? Character(c) : "-"
        }
        return String(String(safe).prefix(200))
    }

    // MARK: Login and exchange

    public func login(_ r: LoginRequest) async -> IssueResult {
        guard let metadata = registry.metadata(session: r.session) else { return .refused(.failed("no token service was set up for \(r.session)")) }
        if let endpoint = metadata.loginEndpoint {
            guard let body = try? JSONEncoder().encode(r) else { return .refused(.failed("cannot encode the login")) }
            return await tokenAnswer(post(endpoint, body: body, contentType: "application/json"), what: "POST \(endpoint) (login)")
        }
        guard let client = registry.client(r.agent, session: r.session) else {
            return .refused(.failed("\(r.agent) is not registered, so it cannot log in with client_credentials"))
        }
        var form = [("grant_type", "client_credentials"), ("client_id", client.clientID)]
        if let secret = client.secret { form.append(("client_secret", secret)) }
        form.append(("scope", r.scopes.joined(separator: " ")))
        return await tokenAnswer(
            post(metadata.tokenEndpoint, body: Data(FormURLEncoding.encode(form).utf8), contentType: "application/x-www-form-urlencoded"),
            what: "POST \(metadata.tokenEndpoint) (client_credentials for \(r.agent))")
    }

    public func exchange(_ call: ExchangeCall) async -> IssueResult {
        guard let metadata = registry.metadata(session: call.session) else {
            return .refused(.failed("no token service was set up for \(call.session)"))
        }
        var form = call.parameters.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
        if let alias = subjectTokenTypeForJWT {
            form = form.map { $0.0 == "subject_token_type" && $0.1 == TokenExchangeRequest.jwtTokenType ? ($0.0, alias) : $0 }
        }
        if let client = registry.client(call.client, session: call.session) {
            form.append(("client_id", client.clientID))
            if let secret = client.secret { form.append(("client_secret", secret)) }
        }
        return await tokenAnswer(
            post(metadata.tokenEndpoint, body: Data(FormURLEncoding.encode(form).utf8), contentType: "application/x-www-form-urlencoded"),
            what: "POST \(metadata.tokenEndpoint) (exchange by \(call.client.isEmpty ? "no client" : call.client))")
    }

    /// 200 with `access_token`: the token; an error status with an OAuth `error`: a refusal with that code;
    /// anything else: an implementation error naming `what`.
    func tokenAnswer(_ request: URLRequest, what: String) async -> IssueResult {
        switch await fetchJSON(request) {
        case let .failure(f): return .refused(.failed(f.message))
        case let .success(answer):
            if answer.status == 200, let token = answer.json["access_token"]?.stringValue, !token.isEmpty { return .token(token) }
            if answer.status >= 400, let code = answer.json["error"]?.stringValue, !code.isEmpty {
                return .refused(.rejected(code, message: "HTTP \(answer.status): \(answer.json["error_description"]?.stringValue ?? code)"))
            }
            return .refused(.failed("\(what): HTTP \(answer.status) without \(answer.status == 200 ? "an access_token" : "an OAuth error")"))
        }
    }

    static func oauthError(_ json: JSONObject) -> String? {
        guard let code = json["error"]?.stringValue else { return nil }
        return code + (json["error_description"]?.stringValue.map { ": \($0)" } ?? "")
    }

    // MARK: HTTP

    struct Answer {
        var status: Int
        var data: Data
        var json: JSONObject
    }

    func get(_ url: URL) -> URLRequest {
        var r = URLRequest(url: url)
        r.timeoutInterval = timeout
        return r
    }

    func post(_ url: URL, body: Data, contentType: String) -> URLRequest {
        var r = URLRequest(url: url)
        r.httpMethod = "POST"
        r.setValue(contentType, forHTTPHeaderField: "Content-Type")
        r.setValue("application/json", forHTTPHeaderField: "Accept")
        r.httpBody = body
        r.timeoutInterval = timeout
        return r
    }

    /// Sends the request and parses a JSON object body (bounded depth); failures name the request.
    func fetchJSON(_ request: URLRequest) async -> Result<Answer, TargetFailure> {
        let where_ = "\(request.httpMethod ?? "GET") \(request.url?.absoluteString ?? "?")"
        let (data, status, error) = await LoopbackHTTPClient.send(request, timeout: timeout)
        if let error { return .failure(TargetFailure("\(where_): \(error)")) }
        guard let data else { return .failure(TargetFailure("\(where_): no answer")) }
        guard let json = try? JSONParser.parseObject(Array(data)) else {
            let snippet = String(decoding: data.prefix(80), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            return .failure(TargetFailure("\(where_): HTTP \(status), the body is not a JSON object: \(snippet.isEmpty ? "(empty)" : snippet)"))
        }
        return .success(Answer(status: status, data: data, json: json))
    }
}

/// Why a request to a token service did not give a usable answer.
public struct TargetFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The client an agent was registered as.
struct RegisteredClient: Hashable, Sendable {
    var clientID: String
    var secret: String?
    var identity: String
}

/// Per-session discovery results and client registrations of a `TokenEndpointTarget`.
final class ClientRegistry: Sendable {
    private struct Session {
        var metadata: TokenEndpointTarget.Metadata
        var clients: [String: RegisteredClient] = [:]
    }

    private let sessions = Mutex<[String: Session]>([:])

    func reset(session: String, metadata: TokenEndpointTarget.Metadata) {
        sessions.withLock { $0[session] = Session(metadata: metadata) }
    }

    func add(_ client: RegisteredClient, for agent: String, session: String) {
        sessions.withLock { $0[session]?.clients[agent] = client }
    }

    func metadata(session: String) -> TokenEndpointTarget.Metadata? {
        sessions.withLock { $0[session]?.metadata }
    }

    func client(_ agent: String, session: String) -> RegisteredClient? {
        sessions.withLock { $0[session]?.clients[agent] }
    }
}
