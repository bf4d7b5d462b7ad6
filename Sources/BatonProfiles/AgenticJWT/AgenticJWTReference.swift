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
            case let .failure(e): return .refused(Self.refusal(e))
            }
        } catch let e as AgenticJWTError {
            return .refused(Self.refusal(e))
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
            return Self.refusal(e, details: report.details)
        }
    }

    /// A refusal with its code, step and reason.
    static func refusal(_ e: AgenticJWTError, details: [String]? = nil) -> Outcome {
        Outcome(verdict: .reject, code: e.code.rawValue, step: e.step.rawValue, message: e.reason, details: details)
    }
}
