import AgenticJWT
import BatonModel
import JOSE
import Synchronization

/// Baton's Agentic JWT identity provider and resource-server verifier behind the implementation
/// interface; with flaws, a verifier of the flaw gallery. Keeps one identity provider and one
/// resource-server view per session (scenario), the only state it has.
struct AgenticJWTReference: ImplementationUnderTest {
    var flaws: Set<IntentVerifierFlaw> = []
    let sessions = AgenticJWTSessions()

    var descriptor: ImplementationDescriptor {
        ReferenceDescriptor.make(profiles: [.agenticJWT], roles: [.verifier, .sts], flaw: flaws.first?.rawValue)
    }

    func mint(_ request: MintRequest) async -> IssueResult { .refused(.failed("intent tokens are minted by the identity provider (intent steps)")) }
    func delegate(_ request: DelegateRequest) async -> IssueResult { .refused(.failed("Agentic JWT has no delegation of tokens")) }

    func setUpTokenService(_ setup: TokenServiceSetup) async -> TokenServiceSetupResult {
        do { return .ready(try sessions.setUp(setup)) } catch {
            return .failed(.failed("cannot set up the reference identity provider: \(error)"))
        }
    }

    func exchange(_ call: ExchangeCall) async -> IssueResult {
        do {
            let request = try IntentTokenRequest(parameters: call.parameters.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil })
            switch try sessions.withProvider(call.session, { $0.mint(request, now: call.now) }) {
            case let .success(minted): return .token(minted.token)
            case let .failure(e): return .refused(Outcome(verdict: .reject, code: e.code.rawValue, step: e.step.rawValue, message: e.reason))
            }
        } catch let e as AgenticJWTError {
            return .refused(Outcome(verdict: .reject, code: e.code.rawValue, step: e.step.rawValue, message: e.reason))
        } catch {
            return .refused(.failed("\(error)"))
        }
    }

    func verify(_ r: VerifyRequest) async -> Outcome {
        guard let issuer = r.issuer, let jwksText = r.jwks, let keys = try? JWKSet(jsonText: jwksText), let resource = r.resource,
            let settingsText = r.profileSettings
        else {
            return .failed("an agentic-jwt verification needs the identity provider's issuer and JWKS, the resource request and the profile settings")
        }
        let settings: ResourceServerSettings
        do { settings = try ResourceServerSettings(jsonText: settingsText) } catch {
            return .failed("unreadable agentic-jwt profile settings: \(error)")
        }
        let verifier = settings.verifier(issuer: issuer, keys: keys, audience: r.audience, flaws: flaws)
        let legacy = resource.header(LegacyProof.signatureHeader).flatMap { signature in
            resource.header(LegacyProof.timestampHeader).map { ResourceCall.LegacyHeaders(signature: signature, timestamp: $0) }
        }
        var call = ResourceCall(
            token: r.token, method: resource.method, url: resource.url, dpop: resource.header("DPoP"), legacy: legacy, action: resource.action,
            requiredScope: r.requiredScope)
        call.repeatedProofHeaders = ["dpop", "pop", "x-pop-timestamp"].contains { name in
            resource.headers.filter { $0.count == 2 && $0[0].lowercased() == name }.count > 1
        }
        let report = sessions.withView(resource.session, initial: settings.initialView) { view in verifier.verify(call, view: &view, now: r.now) }
        switch report.result {
        case .success: return Outcome(verdict: .accept, details: report.details)
        case let .failure(e):
            return Outcome(verdict: .reject, code: e.code.rawValue, step: e.step.rawValue, message: e.reason, details: report.details)
        }
    }
}

/// The reference's identity providers and resource-server views, one each per session.
final class AgenticJWTSessions: Sendable {
    private struct Entry {
        var provider: IntentIdentityProvider?
        var view = ResourceServerView()
    }

    private let entries = Mutex<[String: Entry]>([:])

    func setUp(_ setup: TokenServiceSetup) throws -> TokenServiceInfo {
        guard setup.algorithm == JWSAlgorithm.rs256.rawValue || setup.algorithm == JWSAlgorithm.es256.rawValue else {
            throw ReferenceSetupError("the identity provider signs with RS256 or ES256, not \(setup.algorithm)")
        }
        let key: JWSSigningKey =
            setup.algorithm == JWSAlgorithm.rs256.rawValue ? try .rsa(der: setup.signingKey.bytes) : try .p256(scalar: setup.signingKey.bytes)
        let settings = try ProviderSettings(jsonText: setup.profileSettings ?? "{}")
        var provider = try IntentIdentityProvider(
            configuration: .init(
                issuer: setup.issuer, keyID: settings.keyID, tokenLifetime: setup.tokenLifetime, hashForm: settings.hashForm,
                bindsThumbprint: settings.bindsThumbprint),
            signingKey: key)
        var refused: [String] = []
        for a in setup.agents {
            guard let checksum = a.checksum, let pem = a.publicKeyPEM else { continue }
            let registration = AgentRegistration(
                agentID: a.uri, checksum: checksum, popKey: try JWSVerificationKey(pem: pem), registrationID: a.registrationID ?? "reg_\(a.uri)")
            do { try provider.register(registration) } catch { refused.append("\(a.name): \(error.reason)") }
        }
        for w in settings.workflows { try provider.register(w) }
        for approval in settings.approvals {
            let parts = approval.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2 { provider.approve(workflow: parts[0], step: parts[1]) }
        }
        entries.withLock { $0[setup.session] = Entry(provider: provider) }
        var info = TokenServiceInfo(issuer: setup.issuer, jwks: provider.jwks.json.canonicalString, identities: [:])
        info.refusedRegistrations = refused
        return info
    }

    func withProvider<T>(_ session: String, _ body: (inout IntentIdentityProvider) throws -> T) throws -> T {
        try entries.withLock { entries in
            guard var entry = entries[session], var provider = entry.provider else {
                throw ReferenceSetupError("no identity provider was set up for \(session)")
            }
            defer {
                entry.provider = provider
                entries[session] = entry
            }
            return try body(&provider)
        }
    }

    /// Runs `body` on the session's view (`initial` when the session has none yet).
    func withView<T>(_ session: String, initial: ResourceServerView, _ body: (inout ResourceServerView) -> T) -> T {
        entries.withLock { entries in
            var entry = entries[session] ?? Entry(view: initial)
            defer { entries[session] = entry }
            return body(&entry.view)
        }
    }
}
