import BatonModel
import JOSE
import Synchronization
import TokenExchange
import ZeroID

/// Baton's model of a ZeroID token service and the verifier of its tokens behind the
/// implementation interface; with flaws, a variant of the ZeroID gallery. One service per session.
struct ZeroIDReference: ImplementationUnderTest {
    var flaws: Set<ZeroIDFlaw> = []
    let sessions = ZeroIDSessions()

    /// A flaw of the service (Z0–Z8, R1, and what it issues) keeps the token-service role, so that the
    /// scenarios judge the flawed service; a flaw of the verifier (J6) makes a verifier only, as in every
    /// other gallery.
    var descriptor: ImplementationDescriptor {
        var d = ReferenceDescriptor.make(profiles: [.zeroID], roles: [.verifier, .sts], flaw: flaws.first?.rawValue)
        if flaws.contains(where: \.isServiceFlaw) { d.roles = [.verifier, .sts] }
        return d
    }

    func mint(_ request: MintRequest) async -> IssueResult { .refused(.failed("ZeroID issues root credentials by client_credentials (login)")) }
    func delegate(_ request: DelegateRequest) async -> IssueResult { .refused(.failed("ZeroID delegates by token exchange")) }

    func setUpTokenService(_ setup: TokenServiceSetup) async -> TokenServiceSetupResult {
        do { return .ready(try sessions.setUp(setup, flaws: flaws)) } catch {
            return .failed(.failed("cannot set up the reference ZeroID service: \(error)"))
        }
    }

    func login(_ r: LoginRequest) async -> IssueResult {
        do {
            return .token(
                try sessions.with(r.session) { service, uris in
                    try service.issueRootCredential(identity: uris[r.agent] ?? r.agent, scopes: r.scopes, ttl: r.ttlSeconds, now: r.now)
                })
        } catch let e as ZeroIDError {
            return .refused(Self.outcome(e))
        } catch {
            return .refused(.failed("\(error)"))
        }
    }

    /// `profile_settings` of a zeroid verify request: `{"refused_missions": [...]}`.
    static func refusedMissions(_ settings: String?) -> Set<String> {
        guard let settings, let o = try? JSONParser.parseObject(Array(settings.utf8)), case let .array(items)? = o["refused_missions"] else {
            return []
        }
        return Set(items.compactMap(\.stringValue))
    }

    static func outcome(_ e: ZeroIDError) -> Outcome { Outcome(verdict: .reject, code: e.code.rawValue, step: e.check.rawValue, message: e.reason) }

    func exchange(_ call: ExchangeCall) async -> IssueResult {
        let pairs = call.parameters.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
        let token = pairs.first { $0.0 == "token" }?.1 ?? ""
        do {
            switch call.endpoint {
            case "introspect"?:
                switch try sessions.with(call.session, { service, _ in service.introspect(token, now: call.now) }) {
                case let .success(answer): return .token(answer.canonicalString)
                case let .failure(e): return .refused(Self.outcome(e))
                }
            case "revoke"?:
                return .token(try sessions.with(call.session) { service, _ in service.revoke(token) }.canonicalString)
            case "lineage"?:
                // The tenant is the caller's (ZeroID's admin headers): the token's own.
                let claims = (try? JWS.parse(token))?.claims ?? [:]
                let jti = claims["jti"]?.stringValue ?? token
                let (account, project) = (claims["account_id"]?.stringValue ?? "", claims["project_id"]?.stringValue ?? "")
                guard let chain = try sessions.with(call.session, { service, _ in service.lineage(of: jti, account: account, project: project) })
                else {
                    return .refused(Outcome(verdict: .reject, code: "not_found", message: "credential not found: \(jti)"))
                }
                return .token(chain.canonicalString)
            case nil, "token"?:
                let request: TokenExchangeRequest
                do { request = try TokenExchangeRequest(form: pairs) } catch {
                    // ZeroID answers a repeated parameter with a non-OAuth 400 body.
                    return .refused(
                        Outcome(
                            verdict: .reject, code: ZeroIDErrorCode.invalidRequest.rawValue, step: ZeroIDCheck.request.rawValue, message: "\(error)"))
                }
                switch try sessions.with(call.session, { service, _ in service.exchange(request, now: call.now) }) {
                case let .success(response): return .token(response.accessToken)
                case let .failure(e): return .refused(Self.outcome(e))
                }
            case let other?:
                return .refused(.failed("no ZeroID endpoint \(other)"))
            }
        } catch {
            return .refused(.failed("\(error)"))
        }
    }

    func verify(_ r: VerifyRequest) async -> Outcome {
        guard let issuer = r.issuer, let jwksText = r.jwks, let keys = try? JWKSet(jsonText: jwksText) else {
            return .failed("a zeroid verification needs the service's issuer and JWKS")
        }
        let compat = r.layout.flatMap { $0.hasSuffix("+zeroid") ? ZeroIDCompatibility.zeroid : nil } ?? .spec
        let verifier = ZeroIDTokenVerifier(
            issuer: issuer, keys: keys, compatibility: compat, maxDepth: r.maxDepth, refusedMissions: Self.refusedMissions(r.profileSettings),
            flaws: flaws)
        let report = verifier.verify(r.token, requiredScope: r.requiredScope, now: r.now)
        switch report.result {
        case .success: return Outcome(verdict: .accept, details: report.details)
        case let .failure(e):
            return Outcome(verdict: .reject, code: e.code.rawValue, step: e.check.rawValue, message: e.reason, details: report.details)
        }
    }
}

/// The reference's ZeroID services, one per session, with the WIMSE URI of each scenario agent.
final class ZeroIDSessions: Sendable {
    private struct Entry {
        var service: ZeroIDService
        var uris: [String: String]
    }

    private let entries = Mutex<[String: Entry]>([:])

    func setUp(_ setup: TokenServiceSetup, flaws: Set<ZeroIDFlaw>) throws -> TokenServiceInfo {
        guard setup.algorithm == JWSAlgorithm.es256.rawValue else { throw ReferenceSetupError("ZeroID signs with ES256, not \(setup.algorithm)") }
        let deployment = try ZeroIDDeployment(jsonText: setup.profileSettings ?? "{}")
        let service = try deployment.service(issuer: setup.issuer, signingKey: try .p256(scalar: setup.signingKey.bytes), flaws: flaws)
        let uris = Dictionary(deployment.identities.map { ($0.name, $0.wimseURI) }, uniquingKeysWith: { a, _ in a })
        entries.withLock { $0[setup.session] = Entry(service: service, uris: uris) }
        var info = TokenServiceInfo(issuer: setup.issuer, jwks: service.jwks.json.canonicalString, identities: [:])
        info.layout = deployment.profile.rawValue + (deployment.compat == .zeroid ? "+zeroid" : "")
        return info
    }

    /// Installs `service` as the session's (the HTTP server's sessions, set up through ZeroID's admin API).
    func install(_ session: String, _ service: ZeroIDService) {
        entries.withLock { $0[session] = Entry(service: service, uris: [:]) }
    }

    func with<T>(_ session: String, _ body: (inout ZeroIDService, [String: String]) throws -> T) throws -> T {
        try entries.withLock { entries in
            guard var entry = entries[session] else { throw ReferenceSetupError("no ZeroID service was set up for \(session)") }
            defer { entries[session] = entry }
            return try body(&entry.service, entry.uris)
        }
    }
}
