import BatonModel
import JOSE
import TokenExchange

/// Baton's RFC 8693 token service and the downstream verifier of its tokens behind the
/// implementation interface; with flaws, a verifier of the JWT flaw gallery.
struct TokenExchangeReference: ImplementationUnderTest {
    var flaws: Set<ExchangedTokenFlaw> = []
    let services = ReferenceTokenServices()

    var descriptor: ImplementationDescriptor {
        ReferenceDescriptor.make(profiles: [.tokenExchange], roles: [.verifier, .sts], flaw: flaws.first?.rawValue)
    }

    func mint(_ request: MintRequest) async -> IssueResult { .refused(.failed("a token service issues tokens by login and exchange")) }
    func delegate(_ request: DelegateRequest) async -> IssueResult { .refused(.failed("a token service delegates by token exchange")) }

    func setUpTokenService(_ setup: TokenServiceSetup) async -> TokenServiceSetupResult {
        do { return .ready(try services.setUp(setup)) } catch {
            return .failed(.failed("cannot set up the reference token service: \(error)"))
        }
    }

    func login(_ r: LoginRequest) async -> IssueResult {
        do {
            return .token(
                try services.with(r.session) { service, uris in
                    let agent = uris[r.agent] ?? r.agent
                    return try service.issueRootToken(
                        principal: r.principal, agent: agent, scopes: r.scopes,
                        audience: r.audience, lifetime: r.ttlSeconds, now: r.now)
                })
        } catch {
            return .refused(.failed("\(error)"))
        }
    }

    func exchange(_ call: ExchangeCall) async -> IssueResult {
        do {
            let request = try TokenExchangeRequest(form: call.parameters.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil })
            let result = try services.with(call.session) { service, _ in service.exchange(request, now: call.now) }
            switch result {
            case let .success(response): return .token(response.accessToken)
            case let .failure(e): return .refused(.rejected(e.code.rawValue, message: e.reason))
            }
        } catch let e as OAuthError {
            return .refused(.rejected(e.code.rawValue, message: e.reason))
        } catch {
            return .refused(.failed("\(error)"))
        }
    }

    func verify(_ r: VerifyRequest) async -> Outcome {
        guard let issuer = r.issuer, let jwksText = r.jwks, let keys = try? JWKSet(jsonText: jwksText) else {
            return .failed("a token-exchange verification needs the token service's issuer and JWKS")
        }
        let verifier = ExchangedTokenVerifier(
            issuer: issuer, keys: keys, layout: r.layout.flatMap(ClaimLayout.init(rawValue:)),
            maxDepth: r.maxDepth, flaws: flaws)
        let report = verifier.verify(r.token, audience: r.audience, requiredScope: r.requiredScope, now: r.now)
        switch report.result {
        case .success: return Outcome(verdict: .accept, details: report.details)
        case let .failure(e):
            return Outcome(verdict: .reject, code: e.code.rawValue, step: e.check.rawValue, message: e.reason, details: report.details)
        }
    }
}
