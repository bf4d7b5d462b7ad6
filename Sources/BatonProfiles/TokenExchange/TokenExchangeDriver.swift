import BatonCrypto
import BatonHarness
import BatonModel
import JOSE
import TokenExchange

extension TokenProfile {
    /// OAuth 2.0 Token Exchange (RFC 8693) for agents: a token service issues each hop a JWT.
    public static let tokenExchange = TokenProfile("token-exchange")
}

/// The driver of `token-exchange`: a token service set up per scenario issues root tokens at
/// login and exchanges them for narrower ones with actor assertions; downstream verifiers check
/// the JWTs (J0–J8).
public struct TokenExchangeDriver: ProfileDriver {
    public init() {}

    public var profile: TokenProfile { .tokenExchange }
    public var summary: String { "OAuth 2.0 Token Exchange (RFC 8693): a token service issues each hop a JWT" }

    public var stepKinds: [any ScenarioStepKind.Type] {
        [
            ForgeStep.self, SendStep.self, VerifyStep.self, AdvanceClockStep.self, AuditStep.self,
            LoginStep.self, AssertActorStep.self, ExchangeStep.self,
        ] + WorkflowStepKinds.kinds
    }

    public var settingsTypes: [any ScenarioSettings.Type] { [TokenServiceSettings.self] }
    public var attackNames: [String] { JWTAttack.names }

    public func parseAttack(_ name: String, _ field: YAMLField, context: ScenarioContext) throws -> any ForgeAttack {
        try JWTAttack.parse(field, context: context)
    }

    /// What the token service calls the agent, else its workload URI; identifiers pass through.
    public func identity(of name: String, in state: RunState) -> String {
        if name.hasPrefix("aip:") || name.contains("://") { return name }
        return state.tokenExchange.service?.identities[name] ?? state.workloadURI(name)
    }

    /// A token service keeps its own time: without the `clock` option the run follows it.
    public var followsRealTimeWithoutClock: Bool { true }

    /// Registers the scenario's agents with a fresh token service and learns its keys.
    public func prepare(_ run: inout StepRun) async throws {
        let settings = run.scenario.settings[TokenServiceSettings.self]
        var signing = JWTSigning()
        signing.usesP256 = settings.algorithm == .es256
        run.state[JWTSigning.self] = signing
        var allScopes: [String] = []
        for login in run.scenario.steps(of: LoginStep.self) {
            for s in login.scopes where !allScopes.contains(s) { allScopes.append(s) }
        }
        let state = run.state
        let agents = run.scenario.agents.compactMap { name -> TokenServiceAgent? in
            let registration = settings.agents[name]
            if registration?.registered == false { return nil }
            return TokenServiceAgent(
                name: name, uri: state.workloadURI(name),
                publicKeyPEM: registration?.hasKey == false ? nil : state.jwtKey(name).verificationKey?.pem,
                scopes: registration?.scopes ?? allScopes, maxDepth: registration?.maxDepth,
                grantTypes: registration?.grantTypes ?? [TokenExchangeRequest.grantType])
        }
        let setup = TokenServiceSetup(
            session: run.session, issuer: "https://sts.\(state.domain)", layout: settings.layout.rawValue, algorithm: settings.algorithm.rawValue,
            signingKey: HexBytes(state.tokenServiceSecret), tokenLifetime: settings.tokenLifetime,
            maxAssertionLifetime: settings.maxAssertionLifetime, maxDepth: settings.maxDepth, delegableScopes: settings.delegableScopes,
            agents: agents, now: run.now)
        let sts = run.implementation.supports(.sts) ? run.implementation : run.reference
        switch await sts.setUpTokenService(setup) {
        case let .ready(info):
            run.state.tokenExchange.service = info
            signing.trustedKey = (try? JWKSet(jsonText: info.jwks))?.keys.first?.key
            signing.issuerKey = try? ReferenceTokenServices.signingKey(algorithm: settings.algorithm.rawValue, secret: state.tokenServiceSecret)
            run.state[JWTSigning.self] = signing
            run.log(
                "setup: token service \(info.issuer) (\(settings.layout.rawValue), \(settings.algorithm.rawValue)) knows \(agents.map(\.name)) [\(sts.descriptor.name)]"
            )
        case let .failed(outcome):
            // A service that cannot be told what the scenario needs (e.g. plain RFC 7591 registration
            // and a per-scenario depth limit) answers `unsupported:`: the scenario is skipped, not failed.
            if let reason = outcome.unsupportedReason { throw RunSkip(reason: "the token service cannot be set up as the scenario needs: \(reason)") }
            throw ForgeFailure("the token service could not be set up: \(outcome.summary)")
        }
    }

    public func completeVerifyRequest(_ request: inout VerifyRequest, run: StepRun) {
        guard let service = run.state.tokenExchange.service else { return }
        request.issuer = service.issuer
        request.jwks = service.jwks
        request.layout = service.layout ?? run.scenario.settings[TokenServiceSettings.self].layout.rawValue
        request.maxDepth = run.scenario.verifier.maxDepth
    }

    public func httpStatus(forRefusal code: String) -> Int { ExchangedTokenCode.httpStatus(for: code) }
    public func readChain(_ token: String) -> ChainReading { JWTReading.chain(token) }

    public func describe(token: String, name: String) -> [String] {
        JWTReading.describe(token: token, name: name) ?? ["\(name): not a JWT (\(token.prefix(24))…)"]
    }

    public func makeReference() -> any ImplementationUnderTest { TokenExchangeReference() }

    public var flaws: [FlawVariant] {
        ExchangedTokenFlaw.allCases.map { FlawVariant($0, profile: profile, implementation: TokenExchangeReference(flaws: [$0])) }
    }
}

extension ExchangedTokenFlaw: Flaw {
    /// The check of `ExchangedTokenVerifier` (J0–J8) the flaw removes.
    public var removedStep: String {
        let check: DownstreamCheck
        switch self {
        case .acceptAlgNone, .hmacWithPublicKey, .trustEmbeddedKey, .skipSignature: check = .signature
        case .skipIssuer: check = .issuer
        case .skipExpiry: check = .lifetime
        case .skipAudience: check = .audience
        case .skipActorChain: check = .actorChain
        case .skipDepth: check = .depth
        case .skipScope: check = .scope
        }
        return check.rawValue
    }
}
