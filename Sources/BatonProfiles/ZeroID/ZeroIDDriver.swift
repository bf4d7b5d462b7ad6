import BatonAgents
import BatonCrypto
import BatonHarness
import BatonModel
import JOSE
import TokenExchange
import ZeroID

extension TokenProfile {
    /// ZeroID's agent delegation (RFC 8693 token exchange with WIMSE identities), from its wire contract.
    public static let zeroID = TokenProfile("zeroid")
}

/// The driver of `zeroid`: a variant of `token-exchange` whose token service is a ZeroID deployment
/// set up per scenario (identities with WIMSE URIs and P-256 keys, credential policies, a token
/// profile, the reference's or ZeroID's own behaviour). It shares the `login`, `assert` and
/// `exchange` steps with `token-exchange`, adds `introspect`, `revoke_token`, `lineage` and `claims`,
/// and refuses at Z0–Z8 and R1; downstream verification runs the J checks on ZeroID's claims.
public struct ZeroIDDriver: ProfileDriver {
    public init() {}

    public var profile: TokenProfile { .zeroID }
    public var summary: String { "ZeroID: RFC 8693 token exchange with WIMSE identities, credential policies and cascading revocation" }

    public var stepKinds: [any ScenarioStepKind.Type] {
        [
            ForgeStep.self, VerifyStep.self, AdvanceClockStep.self, LoginStep.self, AssertActorStep.self, ExchangeStep.self,
            IntrospectStep.self, RevokeTokenStep.self, LineageStep.self, ClaimsStep.self, RefuseMissionStep.self, AuditStep.self,
        ] + WorkflowStepKinds.kinds
    }

    public var settingsTypes: [any ScenarioSettings.Type] { [ZeroIDSettings.self] }
    public var attackNames: [String] { JWTAttack.names }

    public func parseAttack(_ name: String, _ field: YAMLField, context: ScenarioContext) throws -> any ForgeAttack {
        try JWTAttack.parse(field, context: context)
    }

    /// An agent's WIMSE URI; identifiers pass through.
    public func identity(of name: String, in state: RunState) -> String {
        if name.contains("://") { return name }
        return state[ZeroIDRunState.self].uris[name] ?? ZeroIDRunState.uri(name, tenant: nil)
    }

    public func isLiteralIdentity(_ name: String) -> Bool { name.contains("://") }
    public var followsRealTimeWithoutClock: Bool { true }

    /// Registers the scenario's identities and policies with a fresh ZeroID service and learns its keys.
    public func prepare(_ run: inout StepRun) async throws {
        let settings = run.scenario.settings[ZeroIDSettings.self]
        var signing = JWTSigning()
        signing.usesP256 = true
        run.state[JWTSigning.self] = signing
        var uris: [String: String] = [:]
        for name in run.scenario.agents { uris[name] = ZeroIDRunState.uri(name, tenant: settings.identities[name]?.tenant) }
        run.state[ZeroIDRunState.self].uris = uris
        let state = run.state
        let listed = run.scenario.agents.map { name -> ZeroIDDeployment.Identity in
            let i = settings.identities[name] ?? ZeroIDSettings.Identity()
            let pem: String?
            switch i.key {
            case .p256: pem = state.jwtKey(name).verificationKey?.pem
            case .none: pem = nil
            case .garbage: pem = "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PUBLIC KEY-----\n"
            case .ed25519: pem = JWSVerificationKey.ed25519(state.key(name).publicKey).pem
            }
            return ZeroIDDeployment.Identity(
                name: name, wimseURI: uris[name]!, publicKeyPEM: pem, allowedScopes: i.allowedScopes,
                credentialPolicyID: i.policy == "default" ? nil : i.policy, subType: i.subType, trustLevel: i.trustLevel, status: i.status,
                ownerUserID: "user-alice", registered: i.registered ? nil : false)
        }
        let identities = listed.filter(\.isRegistered)
        let policies = settings.policies.sorted { $0.key < $1.key }.map { id, p in
            ZeroIDDeployment.Policy(
                id: id, maxDelegationDepth: p.maxDelegationDepth, maxTTLSeconds: p.maxTTLSeconds, allowedGrantTypes: p.allowedGrantTypes,
                allowedScopes: p.allowedScopes, requiredTrustLevel: p.requiredTrustLevel, active: p.active)
        }
        let deployment = ZeroIDDeployment(
            wimseDomain: ZeroIDRunState.domain, profile: settings.profile, compat: settings.compatibility, defaultTTL: settings.defaultTTL,
            policies: policies, identities: listed)
        let agents = identities.map {
            TokenServiceAgent(name: $0.name, uri: $0.wimseURI, publicKeyPEM: $0.publicKeyPEM, scopes: $0.allowedScopes ?? [], grantTypes: [])
        }
        var setup = TokenServiceSetup(
            session: run.session, issuer: "https://zeroid.\(state.domain)", layout: settings.profile.rawValue, algorithm: JWSAlgorithm.es256.rawValue,
            signingKey: HexBytes(state.tokenServiceSecret), tokenLifetime: settings.defaultTTL, maxAssertionLifetime: 0, maxDepth: 0,
            agents: agents, now: run.now)
        setup.profile = .zeroID
        setup.profileSettings = deployment.jsonText
        let sts = run.implementation.supports(.sts) && run.implementation.supports(profile: profile) ? run.implementation : run.reference
        switch await sts.setUpTokenService(setup) {
        case let .ready(info):
            run.state.tokenExchange.service = info
            // A deployment names its identities itself (its WIMSE domain, unique external ids): adopt its names.
            for (name, uri) in info.identities where run.scenario.agents.contains(name) { uris[name] = uri }
            run.state[ZeroIDRunState.self].uris = uris
            let published = (try? JWKSet(jsonText: info.jwks))?.keys.map(\.key) ?? []
            signing.trustedKey = published.first
            // `sign: sts` forges with the service's own key, which Baton holds only when the service signs with
            // the key it was given (the reference; a deployment keeps its own, and such forgeries are skipped).
            let given = try? ReferenceTokenServices.signingKey(algorithm: JWSAlgorithm.es256.rawValue, secret: state.tokenServiceSecret)
            signing.issuerKey = given.flatMap { key in key.verificationKey.map(published.contains) == true ? key : nil }
            run.state[JWTSigning.self] = signing
            run.log(
                "setup: ZeroID service \(info.issuer) (\(settings.profile.rawValue), \(settings.compatibility.rawValue)) registers \(identities.map(\.name)) and policies \(policies.map(\.id)) [\(sts.descriptor.name)]"
            )
        case let .failed(outcome):
            if let reason = outcome.unsupportedReason {
                throw RunSkip(reason: "the ZeroID service cannot be set up as the scenario needs: \(reason)")
            }
            throw ForgeFailure("the ZeroID service could not be set up: \(outcome.summary)")
        }
    }

    public func completeVerifyRequest(_ request: inout VerifyRequest, run: StepRun) {
        guard let service = run.state.tokenExchange.service else { return }
        let settings = run.scenario.settings[ZeroIDSettings.self]
        request.issuer = service.issuer
        request.jwks = service.jwks
        request.layout = service.layout ?? settings.profile.rawValue + (settings.compatibility == .zeroid ? "+zeroid" : "")
        request.maxDepth = run.scenario.verifier.maxDepth
        let refused = run.state[ZeroIDRunState.self].refusedMissions
        if !refused.isEmpty {
            request.profileSettings = (["refused_missions": .array(refused.map(JSONValue.string))] as JSONObject).canonicalString
        }
    }

    public func httpStatus(forRefusal code: String) -> Int { ExchangedTokenCode.httpStatus(for: code) }
    public func readChain(_ token: String) -> ChainReading { JWTReading.chain(token) }

    /// ZeroID carries workflows: a delegation is a token exchange at the ZeroID service, with the
    /// peer's ES256 actor assertion and the holder's token as the subject.
    public var carriesWorkflows: Bool { true }

    /// ZeroID's tokens name the service as their audience, so no holder is checked by audience (the
    /// current actor is act.sub; a gateway binds the caller to it).
    public var audienceIsTheHolder: Bool { false }

    public func agentDelegation(_ order: DelegationOrder, run: StepRun) throws -> AgentDelegationCall {
        try TokenExchangeDriver.exchange(for: order, run: run)
    }

    public func describe(token: String, name: String) -> [String] {
        JWTReading.describe(token: token, name: name) ?? ["\(name): not a JWT (\(token.prefix(24))…)"]
    }

    public func makeReference() -> any ImplementationUnderTest { ZeroIDReference() }

    public var flaws: [FlawVariant] {
        ZeroIDFlaw.allCases.map { FlawVariant($0, profile: profile, implementation: ZeroIDReference(flaws: [$0])) }
    }
}

extension ZeroIDFlaw: Flaw {}

/// What a ZeroID run remembers beyond the token-exchange state: each agent's WIMSE URI, and the
/// missions downstream verifiers refuse (`refuse_mission`).
struct ZeroIDRunState: RunStateKey, Sendable {
    var uris: [String: String] = [:]
    var refusedMissions: [String] = []
    static var defaultValue: ZeroIDRunState { ZeroIDRunState() }

    static let domain = "zeroid.dev"

    /// `spiffe://zeroid.dev/{account}/{project}/agent/{name}`; the tenant defaults to `acme/prod`.
    static func uri(_ name: String, tenant: String?) -> String { "spiffe://\(domain)/\(tenant ?? "acme/prod")/agent/\(name)" }
}
