import BatonCrypto
import BatonModel
import BatonRuntime
import Foundation
import JOSE
import Synchronization
import TokenExchange

/// The reference token service behind an OAuth-shaped HTTP interface (`baton serve-sts`), so that
/// `TokenEndpointTarget` is tested end to end. Routes (paths may carry a query, which is ignored):
///
/// - `GET /.well-known/oauth-authorization-server`: RFC 8414 metadata plus the Baton extension
///   members `baton_setup_endpoint`, `baton_login_endpoint` and `baton_layout`;
/// - `GET /.well-known/jwks.json`;
/// - `POST /baton/setup` (`TokenServiceSetup` JSON; replaces the service with a fresh one) and
///   `POST /baton/login` (`LoginRequest` JSON → `{"access_token"}`);
/// - `POST /register`: minimal RFC 7591 (`client_name`, `scope`, `grant_types`, `jwks`, and the Baton
///   extension `agent_uri`); the agent is named by `agent_uri`, or by the generated `client_id`;
/// - `POST /oauth2/token` and `POST /token`: form-encoded (a JSON object body is also accepted);
///   `client_credentials` and RFC 8693 token exchange.
///
/// Times are the real clock. Errors are `{"error","error_description"}` with the OAuth status. One
/// service at a time; every handler is serialized by a mutex and never crashes on input.
public final class ReferenceTokenEndpointServer: Sendable {
    private let endpoint: Mutex<TokenEndpoint>

    public init(layout: ClaimLayout = .agentSubject, algorithm: String = "EdDSA", batonExtensions: Bool = true) {
        endpoint = Mutex(TokenEndpoint(layout: layout, algorithm: algorithm, batonExtensions: batonExtensions))
    }

    /// Starts serving at `baseURL` (`http://127.0.0.1:PORT`) with a fresh service and no agents.
    public func start(baseURL: String) throws {
        try endpoint.withLock { try $0.start(baseURL: baseURL) }
    }

    /// Answers one request.
    public func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        endpoint.withLock { $0.handle(request) }
    }
}

/// The server's state and handlers; lives inside the server's mutex.
struct TokenEndpoint {
    static let session = "current"
    let layout: ClaimLayout
    let algorithm: String
    /// false: the metadata has no Baton extension members (plain RFC 8414 / 7591 service).
    let batonExtensions: Bool
    private var base = ""
    private var services = ReferenceTokenServices()
    private var clients: [String: Client] = [:]
    private var counter = 0

    struct Client {
        var secret: String
        var identity: String
        var scopes: [String]
        var grantTypes: [String]
    }

    init(layout: ClaimLayout, algorithm: String, batonExtensions: Bool) {
        self.layout = layout
        self.algorithm = algorithm
        self.batonExtensions = batonExtensions
    }

    mutating func start(baseURL: String) throws {
        base = baseURL
        let key = algorithm == "ES256" ? Self.p256Scalar() : SecureRandom.bytes(32)
        let setup = TokenServiceSetup(
            session: Self.session, issuer: baseURL, layout: layout.rawValue, algorithm: algorithm, signingKey: HexBytes(key),
            tokenLifetime: TokenServiceSetup.Defaults.tokenLifetime, maxAssertionLifetime: TokenServiceSetup.Defaults.maxAssertionLifetime,
            maxDepth: TokenServiceSetup.Defaults.maxDepth,
            delegableScopes: nil, agents: [], now: Self.now)
        try replace(with: setup)
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    static func p256Scalar() -> [UInt8] {
        while true {
            let s = SecureRandom.bytes(32)
            if (try? JWSSigningKey.p256(scalar: s)) != nil { return s }
        }
    }

    @discardableResult
    private mutating func replace(with setup: TokenServiceSetup) throws -> TokenServiceInfo {
        var setup = setup
        setup.session = Self.session
        let fresh = ReferenceTokenServices()
        var info = try fresh.setUp(setup)
        info.layout = setup.layout
        services = fresh
        clients = [:]
        return info
    }

    mutating func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        guard !base.isEmpty else { return Self.error(.invalidRequest, "the server is starting", status: 503) }
        let path = String(request.path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        switch (request.method, path) {
        case ("GET", "/.well-known/oauth-authorization-server"): return metadata()
        case ("GET", "/.well-known/jwks.json"):
            return (try? services.with(Self.session) { service, _ in Self.json(service.jwks.json) })
                ?? Self.error(.invalidRequest, "no service", status: 500)
        case ("POST", "/baton/setup") where batonExtensions: return setUp(request.body)
        case ("POST", "/baton/login") where batonExtensions: return login(request.body)
        case ("POST", "/register"): return register(request.body)
        case ("POST", "/oauth2/token"), ("POST", "/token"): return token(request.body)
        default: return Self.error(.invalidRequest, "no route \(request.method) \(path)", status: 404)
        }
    }

    func metadata() -> LoopbackHTTPServer.Response {
        let issuer = (try? services.with(Self.session) { service, _ in service.configuration.issuer }) ?? base
        var m: JSONObject = [
            "issuer": .string(issuer), "token_endpoint": .string("\(base)/oauth2/token"), "jwks_uri": .string("\(base)/.well-known/jwks.json"),
            "registration_endpoint": .string("\(base)/register"),
            "grant_types_supported": .array(["client_credentials", .string(TokenExchangeRequest.grantType)]),
            "token_endpoint_auth_methods_supported": .array(["client_secret_post", "none"]),
        ]
        if batonExtensions {
            m["baton_setup_endpoint"] = .string("\(base)/baton/setup")
            m["baton_login_endpoint"] = .string("\(base)/baton/login")
        }
        let currentLayout = (try? services.with(Self.session) { service, _ in service.configuration.layout.rawValue }) ?? layout.rawValue
        m["baton_layout"] = .string(currentLayout)
        return Self.json(m)
    }

    mutating func setUp(_ body: Data) -> LoopbackHTTPServer.Response {
        guard let setup = try? JSONDecoder().decode(TokenServiceSetup.self, from: body) else {
            return Self.error(.invalidRequest, "the body is not a TokenServiceSetup")
        }
        do {
            let info = try replace(with: setup)
            let data = try JSONEncoder().encode(info)
            return LoopbackHTTPServer.Response(status: 200, body: data)
        } catch {
            return Self.error(.invalidRequest, "cannot set up: \(error)")
        }
    }

    func login(_ body: Data) -> LoopbackHTTPServer.Response {
        guard let r = try? JSONDecoder().decode(LoginRequest.self, from: body) else {
            return Self.error(.invalidRequest, "the body is not a LoginRequest")
        }
        do {
            let token = try services.with(Self.session) { service, uris in
                try service.issueRootToken(
                    principal: r.principal, agent: uris[r.agent] ?? r.agent, scopes: r.scopes,
                    audience: r.audience, lifetime: r.ttlSeconds, now: Self.now)
            }
            return Self.json(["access_token": .string(token), "token_type": "Bearer", "expires_in": .int(r.ttlSeconds)])
        } catch {
            return Self.error(.invalidRequest, "\(error)")
        }
    }

    mutating func register(_ body: Data) -> LoopbackHTTPServer.Response {
        guard let o = try? JSONParser.parseObject(Array(body)) else { return Self.error(.invalidRequest, "the body is not a JSON object") }
        let scope: String?, grants: [String]?, name: String?, agentURI: String?
        do {
            scope = try o.string("scope")
            grants = try o.stringArray("grant_types")
            name = try o.string("client_name")
            agentURI = try o.string("agent_uri")
        } catch {
            return Self.error(.invalidRequest, "scope, client_name and agent_uri must be strings, grant_types an array of strings")
        }
        var key: JWSVerificationKey?
        if let jwks = o["jwks"] {
            guard case let .object(set) = jwks, let parsed = try? JWKSet(json: set), parsed.keys.count == 1 else {
                return Self.error(.invalidRequest, "jwks must hold exactly one supported public key")
            }
            key = parsed.keys[0].key
        }
        counter += 1
        let clientID = "baton-client-\(counter)"
        let secret = Hex.encode(SecureRandom.bytes(16))
        let identity = agentURI ?? clientID
        let scopes = (scope ?? "").split(separator: " ").map(String.init)
        let grantTypes = grants ?? ["client_credentials"]
        do {
            try services.with(Self.session) { service, _ in
                service.agents[identity] = RegisteredAgent(uri: identity, publicKey: key, allowedScopes: scopes, grantTypes: Set(grantTypes))
            }
        } catch {
            return Self.error(.invalidRequest, "\(error)", status: 500)
        }
        clients[clientID] = Client(secret: secret, identity: identity, scopes: scopes, grantTypes: grantTypes)
        var answer: JSONObject = [
            "client_id": .string(clientID), "client_secret": .string(secret), "scope": .string(scopes.joined(separator: " ")),
            "grant_types": .array(grantTypes.map(JSONValue.string)), "token_endpoint_auth_method": "client_secret_post",
        ]
        if let name { answer["client_name"] = .string(name) }
        if let agentURI { answer["agent_uri"] = .string(agentURI) }
        return Self.json(answer, status: 201)
    }

    func token(_ body: Data) -> LoopbackHTTPServer.Response {
        let pairs: [(String, String)]
        if body.first(where: { !$0.isWhitespaceByte }) == UInt8(ascii: "{") {
            guard let o = try? JSONParser.parseObject(Array(body)) else { return Self.error(.invalidRequest, "malformed JSON body") }
            var p: [(String, String)] = []
            for (name, value) in o {
                guard case let .string(s) = value else { return Self.error(.invalidRequest, "parameter \(name) is not a string") }
                p.append((name, s))
            }
            pairs = p
        } else {
            guard let text = String(data: body, encoding: .utf8), let p = FormURLEncoding.decode(text) else {
                return Self.error(.invalidRequest, "malformed form body")
            }
            pairs = p
        }
        let clientID = pairs.first { $0.0 == "client_id" }?.1
        let secret = pairs.first { $0.0 == "client_secret" }?.1
        var client: Client?
        if let clientID {
            guard let c = clients[clientID], c.secret == secret else { return Self.error(.invalidClient, "unknown client or wrong client_secret") }
            client = c
        }
        let grantType = pairs.first { $0.0 == "grant_type" }?.1
        if grantType == "client_credentials" {
            guard let client else { return Self.error(.invalidClient, "client_credentials needs client_id and client_secret") }
            guard client.grantTypes.contains("client_credentials") else {
                return Self.error(.unauthorizedClient, "client_credentials is not allowed for this client")
            }
            let requested = pairs.first { $0.0 == "scope" }.map { $0.1.split(separator: " ").map(String.init) } ?? client.scopes
            guard requested.allSatisfy(client.scopes.contains) else { return Self.error(.invalidScope, "\(requested) exceeds \(client.scopes)") }
            do {
                let token = try services.with(Self.session) { service, _ in
                    try service.issueRootToken(principal: client.identity, agent: client.identity, scopes: requested, now: Self.now)
                }
                return Self.json(
                    TokenResponse(accessToken: token, issuedTokenType: nil, expiresIn: nil, scope: requested.joined(separator: " ")).json)
            } catch {
                return Self.error(.invalidRequest, "\(error)")
            }
        }
        do {
            let request = try TokenExchangeRequest(form: pairs)
            let result = try services.with(Self.session) { service, _ in service.exchange(request, now: Self.now) }
            switch result {
            case let .success(response): return Self.json(response.json)
            case let .failure(e): return Self.error(e.code, e.reason)
            }
        } catch let e as OAuthError {
            return Self.error(e.code, e.reason)
        } catch {
            return Self.error(.invalidRequest, "\(error)", status: 500)
        }
    }

    static func json(_ o: JSONObject, status: Int = 200) -> LoopbackHTTPServer.Response {
        LoopbackHTTPServer.Response(status: status, body: Data(o.canonicalString.utf8))
    }

    static func error(_ code: OAuthErrorCode, _ description: String, status: Int? = nil) -> LoopbackHTTPServer.Response {
        json(["error": .string(code.rawValue), "error_description": .string(description)], status: status ?? code.httpStatus)
    }
}

extension UInt8 {
    fileprivate var isWhitespaceByte: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}
