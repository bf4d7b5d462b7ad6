import AgenticJWT
import BatonCrypto
import BatonHarness
import BatonModel
import JOSE

extension TokenProfile {
    /// Agentic JWT: per-action intent tokens bound to an agent checksum, a workflow step and a DPoP key.
    public static let agenticJWT = TokenProfile("agentic-jwt")
}

/// The driver of `agentic-jwt`: a fresh identity provider per scenario registers the agents
/// (checksums of their definitions, DPoP keys) and the workflows; agents ask it for intent
/// tokens and call the resource server's tools with DPoP proofs; the resource server verifies
/// (A0–A9). Forgeries are the JOSE ones, signed with RSA keys where a key is needed.
public struct AgenticJWTDriver: ProfileDriver {
    public init() {}

    public var profile: TokenProfile { .agenticJWT }
    public var summary: String { "Agentic JWT: per-step intent tokens bound to agent checksums and DPoP keys" }

    public var stepKinds: [any ScenarioStepKind.Type] {
        [IntentStep.self, CallStep.self, ForgeStep.self, AdvanceClockStep.self]
    }

    public var settingsTypes: [any ScenarioSettings.Type] { [IntentProviderSettings.self] }
    public var attackNames: [String] { JWTAttack.names + IntentAttack.names }

    public func parseAttack(_ name: String, _ field: YAMLField, context: ScenarioContext) throws -> any ForgeAttack {
        if IntentAttack.names.contains(name) { return try IntentAttack.parse(field, context: context) }
        return try JWTAttack.parse(field, context: context)
    }

    /// An agent's id is its scenario name.
    public func identity(of name: String, in state: RunState) -> String { name }
    public func isLiteralIdentity(_ name: String) -> Bool { false }

    /// An identity provider and a resource server keep their own time.
    public var followsRealTimeWithoutClock: Bool { true }

    /// Sets up a fresh identity provider: registers the agents and workflows, learns its keys.
    public func prepare(_ run: inout StepRun) async throws {
        let settings = run.scenario.settings[IntentProviderSettings.self]
        let verifier = run.implementation.supports(.verifier) ? run.implementation : run.reference
        let map = try EndpointMap(scenario: run.scenario, settings: settings, served: verifier.descriptor.endpoints, domain: run.state.domain)
        run.state.agenticJWT.map = map
        var signing = JWTSigning()
        signing.usesRSA = true
        let es256 = settings.algorithm == .es256
        let providerKey: JWSSigningKey = es256 ? RunState.providerP256Key : FixedRSAKeys.issuer
        signing.issuerKey = providerKey
        run.state[JWTSigning.self] = signing
        let state = run.state
        var registrations: [AgentRegistration] = []
        let agents = run.scenario.agents.compactMap { name -> TokenServiceAgent? in
            let key = state.bindingKey(name, settings.binding)
            guard settings.agents[name]?.registered ?? true, let pem = key.verificationKey?.pem else { return nil }
            let checksum = AgentDefinitions.registeredChecksum(of: name, settings: settings)
            let registrationID = "reg_\(name)"
            if let pub = key.verificationKey {
                registrations.append(AgentRegistration(agentID: name, checksum: checksum, popKey: pub, registrationID: registrationID))
            }
            return TokenServiceAgent(
                name: name, uri: name, publicKeyPEM: pem, scopes: [], grantTypes: [IntentTokenRequest.grantTypeURN], checksum: checksum,
                registrationID: registrationID)
        }
        var provider = ProviderSettings()
        if es256 { provider.keyID = ProviderSettings.es256KeyID }
        provider.hashForm = settings.hashForm
        provider.binding = settings.binding
        provider.workflows = settings.workflows.map(map.workflow)
        provider.approvals = settings.approvals
        var setup = TokenServiceSetup(
            session: run.session, issuer: "https://idp.\(state.domain)", layout: "agentic-jwt", algorithm: settings.algorithm.rawValue,
            signingKey: HexBytes(es256 ? RunState.providerP256Scalar : FixedRSAKeys.der(0)), tokenLifetime: settings.tokenLifetime,
            maxAssertionLifetime: 0, maxDepth: 0,
            agents: agents, now: run.now)
        setup.profile = .agenticJWT
        setup.profileSettings = provider.json.canonicalString
        let idp = run.implementation.supports(.sts) && run.implementation.supports(profile: profile) ? run.implementation : run.reference
        switch await idp.setUpTokenService(setup) {
        case let .ready(info):
            let refused = Set((info.refusedRegistrations ?? []).map { (line: String) in String(line.prefix { $0 != ":" }) })
            run.state.agenticJWT.provider = info
            run.state.agenticJWT.registrations = registrations.filter { !refused.contains($0.agentID) }
            signing.trustedKey = (try? JWKSet(jsonText: info.jwks))?.keys.first?.key
            run.state[JWTSigning.self] = signing
            run.log(
                "setup: identity provider \(info.issuer) registers \(agents.map(\.name)) and workflows \(settings.workflows.map(\.id)) [\(idp.descriptor.name)]"
            )
            for line in info.refusedRegistrations ?? [] { run.log("setup: the identity provider refused to register \(line)") }
        case let .failed(outcome):
            if let reason = outcome.unsupportedReason {
                throw RunSkip(reason: "the identity provider cannot be set up as the scenario needs: \(reason)")
            }
            throw ForgeFailure("the identity provider could not be set up: \(outcome.summary)")
        }
    }

    public func completeVerifyRequest(_ request: inout VerifyRequest, run: StepRun) {
        guard let provider = run.state.agenticJWT.provider else { return }
        let settings = run.scenario.settings[IntentProviderSettings.self]
        request.issuer = provider.issuer
        request.jwks = provider.jwks
        var rs = ResourceServerSettings()
        rs.agents = run.state.agenticJWT.registrations
        rs.workflows = settings.workflows.map(run.state.agenticJWT.map.workflow)
        rs.maxLifetime = settings.announcedLifetime
        rs.proofWindow = settings.proofWindow
        rs.hashForm = settings.hashForm
        request.profileSettings = rs.json.canonicalString
    }

    public func httpStatus(forRefusal code: String) -> Int { AgenticJWTCode.httpStatus(for: code) }
    public func readChain(_ token: String) -> ChainReading { JWTReading.chain(token) }

    public func describe(token: String, name: String) -> [String] {
        JWTReading.describe(token: token, name: name) ?? ["\(name): not a JWT (\(token.prefix(24))…)"]
    }

    public func makeReference() -> any ImplementationUnderTest { AgenticJWTReference() }

    public var flaws: [FlawVariant] {
        IntentVerifierFlaw.allCases.map { FlawVariant($0, profile: profile, implementation: AgenticJWTReference(flaws: [$0])) }
    }
}

extension IntentVerifierFlaw: Flaw {
    /// The verification step (A1–A9) whose check the flaw removes.
    public var removedStep: String { step.rawValue }
}
