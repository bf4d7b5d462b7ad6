import BatonModel
import Foundation
import JOSE
import Synchronization
import TokenExchange

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A ZeroID deployment on loopback (`--iut zeroid:http://127.0.0.1:PORT[#name][&body=json][&admin=/api/v1]`),
/// driven as the `sts` role of the `zeroid` profile through ZeroID's own HTTP API (`../shared/specs/zeroid.md`,
/// and ZeroID f08f979's handlers):
///
/// - discovery: `GET /.well-known/oauth-authorization-server` (`issuer`, `token_endpoint`, `jwks_uri`,
///   `introspection_endpoint`, `revocation_endpoint`, defaulting to ZeroID's paths);
/// - set-up through the admin API (`/api/v1` unless `admin=` says otherwise, in the tenant of each
///   identity's WIMSE URI, `X-Account-ID`/`X-Project-ID`): `POST /credential-policies` for each
///   policy in each tenant that uses it (`PATCH` `is_active: false` for an inactive one), `POST
///   /identities` for each registered agent with its key, scopes, trust level, sub-type and policy,
///   `PATCH /identities/{id}` for a suspended or deactivated one. Names carry a tag unique to the
///   target and the scenario (`writer-1a2b3c4d`, policy `p-1a2b3c4d`), so that runs against a long-lived
///   deployment never collide; the deployment's own WIMSE URIs are what the scenario then uses. What
///   the admin API cannot express (``ZeroIDRegistration/beyondAdminAPI``: another token profile or
///   default TTL, a key that is no P-256 key, a status no transition reaches), and the service's
///   behaviour (`compat`) and signing key, go to the Baton extension routes `baton_setup_endpoint` and
///   `baton_identity_endpoint` when the service advertises them (`baton serve-sts --profile zeroid`);
///   a service without them (a real ZeroID) runs as it is, and a scenario that needs more is
///   `unsupported` with the reason (the runner skips);
/// - login: `client_credentials`, with an OAuth client registered on first use (`POST /oauth/clients`,
///   `client_id` = the identity's `external_id`, the scopes asked); the root lives the service's default
///   TTL, so a scenario asking another lifetime is `unsupported`;
/// - exchange: the scenario's parameters as a form (`body=json` sends a JSON object, which cannot
///   repeat a parameter) to `token_endpoint`; introspection and revocation: `{"token"}` as JSON;
///   lineage: `GET {admin}/delegations/by-jti/{jti}` in the token's tenant, answered as ZeroID does
///   (`{"nodes","edges"}`).
///
/// Refusals: ZeroID's `{"error","error_description"}` becomes a refusal with that code (`baton_check`,
/// when the reference adds it, names the step); its non-OAuth 400/422 bodies (repeated parameter,
/// content type, schema) become `invalid_request`; `{"active":false}` becomes `token_inactive`.
/// Every request carries the scenario's session in the header the metadata names (`baton_session_header`); the admin API's requests
/// carry `Authorization` from `BATON_ZEROID_ADMIN_AUTHORIZATION` when it is set (a deployment that
/// protects its admin API). Never throws or crashes: transport failures, timeouts, 5xx and bodies that
/// are not JSON are implementation errors naming the request.
public struct ZeroIDTarget: ImplementationUnderTest {
    public var baseURL: URL
    public var timeout: TimeInterval
    public var name: String
    /// Token requests as JSON objects rather than forms.
    public var jsonBodies: Bool
    /// Where the admin API is mounted (ZeroID's `AdminPathPrefix`, `/api/v1` by default).
    public var adminPrefix: String
    /// The `Authorization` header of admin requests, for a deployment that protects its admin API.
    public var adminAuthorization: String?
    let sessions = SessionTable()
    /// Random per target: with the scenario's session it tags every name the target registers.
    let runTag = UUID().uuidString.lowercased()

    public static let profile = TokenProfile("zeroid")
    static let defaultRootTTL: Int64 = 3600

    public init(
        baseURL: URL, timeout: TimeInterval = 10, name: String = "zeroid", jsonBodies: Bool = false, adminPrefix: String = "/api/v1",
        adminAuthorization: String? = ProcessInfo.processInfo.environment["BATON_ZEROID_ADMIN_AUTHORIZATION"]
    ) {
        self.baseURL = baseURL
        self.timeout = timeout
        self.name = name
        self.jsonBodies = jsonBodies
        self.adminPrefix = adminPrefix
        self.adminAuthorization = adminAuthorization
    }

    public var descriptor: ImplementationDescriptor {
        ImplementationDescriptor(name: name, version: baseURL.absoluteString, profiles: [Self.profile], roles: [.sts], options: [])
    }

    public func mint(_ request: MintRequest) async -> IssueResult {
        .refused(Outcome.unsupported("ZeroID issues root credentials by client_credentials"))
    }
    public func delegate(_ request: DelegateRequest) async -> IssueResult { .refused(Outcome.unsupported("ZeroID delegates by token exchange")) }
    public func verify(_ request: VerifyRequest) async -> Outcome { Outcome.unsupported("a ZeroID service is not a verifier") }

    /// What the target learnt and registered for one session.
    struct Session: Sendable {
        var metadata: Metadata
        var agents: [String: Agent]
    }

    /// One scenario agent as the deployment knows it.
    struct Agent: Sendable {
        var externalID: String
        var uri: String
        var account: String
        var project: String
        var registered: Bool
        /// The OAuth client registered for its `client_credentials`, once it logged in.
        var clientSecret: String?
        var clientScopes: [String] = []
    }

    /// The members of the service's metadata the target uses.
    public struct Metadata: Sendable, Hashable {
        public var issuer: String
        public var tokenEndpoint: URL
        public var introspectionEndpoint: URL
        public var revocationEndpoint: URL
        public var jwksURI: URL
        public var setupEndpoint: URL?
        public var identityEndpoint: URL?
        /// The header that names a session (`baton_session_header`); nil: the service keeps none (a real ZeroID).
        public var sessionHeader: String?
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
                let revoke = try endpoint("revocation_endpoint", default: "oauth2/token/revoke").get(),
                let jwks = try endpoint("jwks_uri", default: ".well-known/jwks.json").get()
            else { return .failure(TargetFailure("GET \(url): no token endpoint")) }
            return .success(
                Metadata(
                    issuer: issuer, tokenEndpoint: token, introspectionEndpoint: introspect, revocationEndpoint: revoke, jwksURI: jwks,
                    setupEndpoint: try endpoint("baton_setup_endpoint", default: nil).get(),
                    identityEndpoint: try endpoint("baton_identity_endpoint", default: nil).get(),
                    sessionHeader: object["baton_session_header"]?.stringValue))
        } catch {
            return .failure(error)
        }
    }

    /// The tag of a session's names: unique to this target and the scenario.
    func tag(_ session: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in "\(runTag)|\(session)".utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return String(String(hash, radix: 16).suffix(8))
    }

    public func setUpTokenService(_ setup: TokenServiceSetup) async -> TokenServiceSetupResult {
        let metadata: Metadata
        switch await discover() {
        case let .success(m): metadata = m
        case let .failure(f): return .failed(.failed(f.message))
        }
        let plan: ZeroIDRegistration
        do { plan = try ZeroIDRegistration(jsonText: setup.profileSettings ?? "{}") } catch {
            return .failed(.failed("the scenario's ZeroID deployment cannot be read: \(error)"))
        }
        let beyond = plan.beyondAdminAPI
        let extensions = metadata.setupEndpoint != nil
        if !beyond.isEmpty && (metadata.setupEndpoint == nil || metadata.identityEndpoint == nil) {
            return .failed(
                Outcome.unsupported(
                    "the scenario needs what ZeroID's admin API cannot set: \(beyond.joined(separator: "; ")); the service advertises no Baton set-up route"
                ))
        }
        let session = setup.session
        let context = Context(target: self, metadata: metadata, session: session)
        // The settings only Baton's route can give: token profile, behaviour, default TTL, signing key.
        if let endpoint = metadata.setupEndpoint {
            let body: JSONObject = [
                "session": .string(session), "profile": .string(plan.profile), "compat": .string(plan.compat), "default_ttl": .int(plan.defaultTTL),
                "signing_key": .string(setup.signingKey.bytes.map { String(format: "%02x", $0) }.joined()),
            ]
            switch await context.call("POST", endpoint, body, what: "POST \(endpoint) (set-up)") {
            case .success: break
            case let .failure(f): return .failed(.failed(f.message))
            }
        }
        let tag = tag(session)
        // Credential policies, in every tenant whose identities they govern.
        var policyIDs: [String: String] = [:]  // "policy|account/project" → the deployment's id
        for (policy, tenant) in plan.policyTenants {
            var body: JSONObject = [
                "name": .string("\(policy.id)-\(tag)"), "max_ttl_seconds": .int(policy.maxTTLSeconds),
                "allowed_grant_types": .array(policy.allowedGrantTypes.map(JSONValue.string)),
                "max_delegation_depth": .int(policy.maxDelegationDepth),
            ]
            if !policy.allowedScopes.isEmpty { body["allowed_scopes"] = .array(policy.allowedScopes.map(JSONValue.string)) }
            if let level = policy.requiredTrustLevel { body["required_trust_level"] = .string(level) }
            let created: JSONObject
            switch await context.admin("POST", "credential-policies", body, tenant: tenant, what: "policy \(policy.id)") {
            case let .success(o): created = o
            case let .failure(f): return .failed(.failed(f.message))
            }
            guard let id = created["id"]?.stringValue else {
                return .failed(.failed("POST \(adminPrefix)/credential-policies (policy \(policy.id)): the answer has no id"))
            }
            policyIDs["\(policy.id)|\(tenant.account)/\(tenant.project)"] = id
            if !policy.active {
                if case let .failure(f) = await context.admin(
                    "PATCH", "credential-policies/\(id)", ["is_active": false], tenant: tenant, what: "policy \(policy.id) inactive")
                {
                    return .failed(.failed(f.message))
                }
            }
        }
        // Identities, with their keys, scopes, trust levels, policies and statuses.
        var agents: [String: Agent] = [:]
        var domain: String?
        for i in plan.identities where i.registered {
            let externalID = "\(i.uri.id)-\(tag)"
            var body: JSONObject = [
                "external_id": .string(externalID), "name": .string(i.name), "owner_user_id": .string(i.ownerUserID),
                "identity_type": .string(i.uri.type), "trust_level": .string(i.trustLevel),
            ]
            if i.uri.type == "agent" { body["sub_type"] = .string(i.subType) }
            if let scopes = i.allowedScopes { body["allowed_scopes"] = .array(scopes.map(JSONValue.string)) }
            if let p = i.policy {
                guard let id = policyIDs["\(p)|\(i.tenant)"] else { return .failed(.failed("\(i.name)'s policy \(p) was not created")) }
                body["credential_policy_id"] = .string(id)
            }
            if let pem = i.publicKeyPEM, ZeroIDRegistration.isP256(pem) { body["public_key_pem"] = .string(pem) }
            let created: JSONObject
            switch await context.admin("POST", "identities", body, tenant: i.uri, what: "identity \(i.name)") {
            case let .success(o): created = o
            case let .failure(f): return .failed(.failed(f.message))
            }
            guard let id = created["id"]?.stringValue, let uri = created["wimse_uri"]?.stringValue, let parsed = WorkloadURI(uri) else {
                return .failed(.failed("POST \(adminPrefix)/identities (identity \(i.name)): the answer has no id or WIMSE URI"))
            }
            domain = domain ?? parsed.trustDomain
            if i.status != "active" && ZeroIDRegistration.adminStatuses.contains(i.status) {
                if case let .failure(f) = await context.admin(
                    "PATCH", "identities/\(id)", ["status": .string(i.status)], tenant: i.uri, what: "identity \(i.name) \(i.status)")
                {
                    return .failed(.failed(f.message))
                }
            }
            let badKey = i.publicKeyPEM.map { !ZeroIDRegistration.isP256($0) } ?? false
            if badKey || !ZeroIDRegistration.adminStatuses.contains(i.status), let endpoint = metadata.identityEndpoint {
                var stored: JSONObject = ["wimse_uri": .string(uri)]
                if badKey, let pem = i.publicKeyPEM { stored["public_key_pem"] = .string(pem) }
                if !ZeroIDRegistration.adminStatuses.contains(i.status) { stored["status"] = .string(i.status) }
                if case let .failure(f) = await context.call("POST", endpoint, stored, what: "POST \(endpoint) (identity \(i.name))") {
                    return .failed(.failed(f.message))
                }
            }
            agents[i.name] = Agent(externalID: parsed.id, uri: uri, account: parsed.account, project: parsed.project, registered: true)
        }
        // Agents the deployment never heard of, named as it would name them.
        for i in plan.identities where !i.registered {
            let externalID = "\(i.uri.id)-\(tag)"
            let uri = WorkloadURI(
                trustDomain: domain ?? i.uri.trustDomain, account: i.uri.account, project: i.uri.project, type: i.uri.type, id: externalID)
            agents[i.name] = Agent(externalID: externalID, uri: uri.description, account: i.uri.account, project: i.uri.project, registered: false)
        }
        // The keys it signs with.
        let jwksWhat = "GET \(metadata.jwksURI) (JWKS)"
        let jwksText: String
        switch await send(get(metadata.jwksURI, session: metadata.sessionHeader.map { (session, $0) }), what: jwksWhat) {
        case let .failure(f): return .failed(.failed(f.message))
        case let .success(answer):
            guard answer.status == 200, (try? JWKSet(jsonText: String(decoding: answer.data, as: UTF8.self))) != nil else {
                return .failed(.failed("\(jwksWhat): HTTP \(answer.status), not a JWKS \(Self.errorText(answer.json))"))
            }
            jwksText = String(decoding: answer.data, as: UTF8.self)
        }
        sessions.set(session, Session(metadata: metadata, agents: agents))
        var info = TokenServiceInfo(issuer: metadata.issuer, jwks: jwksText, identities: agents.mapValues(\.uri))
        if extensions { info.layout = plan.profile + (plan.compat == "zeroid" ? "+zeroid" : "") }
        return .ready(info)
    }

    func session(_ id: String) -> Session? { sessions.get(id) }

    /// The requests of one session's set-up and its admin calls.
    struct Context {
        var target: ZeroIDTarget
        var metadata: Metadata
        var session: String

        /// A JSON request to `url`; 2xx with a JSON object is its answer, anything else a failure naming `what`.
        func call(_ method: String, _ url: URL, _ body: JSONObject, tenant: WorkloadURI? = nil, what: String) async -> Result<
            JSONObject, TargetFailure
        > {
            var request = target.post(
                url, body: Data(body.canonicalString.utf8), contentType: "application/json", session: metadata.sessionHeader.map { (session, $0) })
            request.httpMethod = method
            if let tenant {
                request.setValue(tenant.account, forHTTPHeaderField: "X-Account-ID")
                request.setValue(tenant.project, forHTTPHeaderField: "X-Project-ID")
                if let auth = target.adminAuthorization { request.setValue(auth, forHTTPHeaderField: "Authorization") }
            }
            switch await target.send(request, what: what) {
            case let .failure(f): return .failure(f)
            case let .success(answer):
                guard (200..<300).contains(answer.status), case let .object(o) = answer.json else {
                    return .failure(TargetFailure("\(what): HTTP \(answer.status) \(ZeroIDTarget.errorText(answer.json))"))
                }
                return .success(o)
            }
        }

        /// A request to the admin API (`{admin}/path`) in `tenant`.
        func admin(_ method: String, _ path: String, _ body: JSONObject, tenant: WorkloadURI, what: String) async -> Result<
            JSONObject, TargetFailure
        > {
            guard let url = target.adminURL(path) else { return .failure(TargetFailure("cannot build the admin URL \(path)")) }
            return await call(method, url, body, tenant: tenant, what: "\(method) \(url) (\(what))")
        }
    }

    func adminURL(_ path: String) -> URL? {
        let prefix = adminPrefix.hasPrefix("/") ? adminPrefix : "/" + adminPrefix
        return URL(string: baseURL.absoluteString.trimmingSuffix("/") + prefix.trimmingSuffix("/") + "/" + path)
    }

    // MARK: Login and exchange

    public func login(_ r: LoginRequest) async -> IssueResult {
        guard let s = session(r.session) else { return .refused(.failed("no ZeroID service was set up for \(r.session)")) }
        guard r.ttlSeconds == Self.defaultRootTTL else {
            return .refused(
                Outcome.unsupported("ZeroID's client_credentials grant takes no lifetime (the scenario asks \(r.ttlSeconds)s for \(r.agent)'s root)"))
        }
        guard var agent = s.agents[r.agent] else { return .refused(.failed("\(r.agent) is not an agent of the scenario")) }
        if agent.registered && agent.clientSecret == nil {
            // An OAuth client for the identity: client_id = its external_id, the scopes it asks.
            let context = Context(target: self, metadata: s.metadata, session: r.session)
            let body: JSONObject = [
                "client_id": .string(agent.externalID), "name": .string("\(r.agent) (Baton)"), "confidential": true,
                "grant_types": ["client_credentials"], "scopes": .array(r.scopes.map(JSONValue.string)),
            ]
            let tenant = WorkloadURI(trustDomain: "", account: agent.account, project: agent.project, type: "agent", id: agent.externalID)
            switch await context.admin("POST", "oauth/clients", body, tenant: tenant, what: "OAuth client of \(r.agent)") {
            case let .failure(f): return .refused(.failed(f.message))
            case let .success(o):
                guard let secret = o["client_secret"]?.stringValue, !secret.isEmpty else {
                    return .refused(.failed("POST \(adminPrefix)/oauth/clients (\(r.agent)): the answer has no client_secret"))
                }
                agent.clientSecret = secret
                agent.clientScopes = r.scopes
                sessions.update(r.session) { $0.agents[r.agent] = agent }
            }
        } else if agent.registered, !Set(r.scopes).isSubset(of: agent.clientScopes) {
            return .refused(
                Outcome.unsupported(
                    "\(r.agent)'s OAuth client was registered with \(agent.clientScopes); ZeroID narrows its client_credentials to them (asked \(r.scopes))"
                ))
        }
        var pairs = [("grant_type", "client_credentials"), ("client_id", agent.externalID)]
        if let secret = agent.clientSecret { pairs.append(("client_secret", secret)) }
        pairs += [("scope", r.scopes.joined(separator: " ")), ("account_id", agent.account), ("project_id", agent.project)]
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
            // The admin route takes the tenant from its headers: the token's own.
            let claims = (try? JWS.parse(token))?.claims ?? [:]
            let jti = claims["jti"]?.stringValue ?? token
            let escaped = jti.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? jti
            guard let url = adminURL("delegations/by-jti/" + escaped) else { return .refused(.failed("cannot build the lineage URL for \(jti)")) }
            let what = "GET \(url) (lineage)"
            var request = get(url, session: s.metadata.sessionHeader.map { (call.session, $0) })
            request.setValue(claims["account_id"]?.stringValue ?? "", forHTTPHeaderField: "X-Account-ID")
            request.setValue(claims["project_id"]?.stringValue ?? "", forHTTPHeaderField: "X-Project-ID")
            if let auth = adminAuthorization { request.setValue(auth, forHTTPHeaderField: "Authorization") }
            switch await send(request, what: what) {
            case let .failure(f): return .refused(.failed(f.message))
            case let .success(answer):
                if answer.status == 404 { return .refused(Outcome(verdict: .reject, code: "not_found", message: "\(what): HTTP 404")) }
                guard answer.status == 200, case let .object(o) = answer.json, o["edges"]?.arrayValue != nil else {
                    return .refused(Self.refusalOrFailure(answer, what: what, expecting: "a delegation chain {\"nodes\", \"edges\"}"))
                }
                return .token(o.canonicalString)
            }
        case let other?:
            return .refused(.failed("no ZeroID endpoint \(other)"))
        }
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
            session: metadata.sessionHeader.map { (session, $0) })
    }

    func jsonRequest(_ url: URL, _ body: JSONObject, session: String, metadata: Metadata) -> URLRequest {
        post(url, body: Data(body.canonicalString.utf8), contentType: "application/json", session: metadata.sessionHeader.map { (session, $0) })
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
    func update(_ id: String, _ body: (inout ZeroIDTarget.Session) -> Void) {
        table.withLock { table in
            guard var s = table[id] else { return }
            body(&s)
            table[id] = s
        }
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
