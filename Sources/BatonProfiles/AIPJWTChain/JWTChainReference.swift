import AIP
import AIPJWT
import BatonCrypto
import BatonModel

/// Baton's AIP JWT-chain issuer and verifier behind the implementation interface; with flaws,
/// a verifier of the JWT-chain flaw gallery.
struct JWTChainReference: ImplementationUnderTest {
    var flaws: Set<JWTChainFlaw> = []

    var descriptor: ImplementationDescriptor {
        ReferenceDescriptor.make(profiles: [.aipJWTChain], roles: [.issuer, .verifier], flaw: flaws.first?.rawValue)
    }

    func mint(_ r: MintRequest) async -> IssueResult {
        if let refusal = AIPReferenceSupport.fractionRefusal(r) { return refusal }
        guard let subject = r.subject, let subjectKey = r.subjectKey else {
            return .refused(.failed("a JWT chain's authority link needs its holder (subject) and the holder's key"))
        }
        do {
            let token = try JWTChainIssuer().createRoot(
                .init(
                    issuer: r.issuer, delegate: subject, holderKey: subjectKey, tools: r.scopes, maxDepth: r.maxDepth, ttlSeconds: r.ttlSeconds,
                    budgetCents: r.budgetCents, principal: r.principal, issuerKey: r.issuerKey, now: r.now))
            return .token(token)
        } catch {
            return AIPReferenceSupport.refusal(error) { .failed("bad mint request: \($0)") }
        }
    }

    func delegate(_ r: DelegateRequest) async -> IssueResult {
        guard let holder = r.delegatorKey, let next = r.delegateKey else {
            return .refused(.failed("a JWT-chain delegation needs the holder's key and the delegate's public key"))
        }
        do {
            let token = try JWTChainIssuer().append(
                r.token,
                .init(
                    holderKey: holder, delegate: r.delegate, nextHolderKey: next, context: r.context, tools: r.scopes.isEmpty ? nil : r.scopes,
                    budgetCents: r.budgetCents, expiresAt: r.expiresAt, principal: r.principal, now: r.now))
            return .token(token)
        } catch {
            return AIPReferenceSupport.refusal(error) { .rejected(AIPErrorCode.tokenMalformed.rawValue, message: "\($0)") }
        }
    }

    func verify(_ r: VerifyRequest) async -> Outcome {
        var options = JWTChainVerifier.Options()
        options.flaws = flaws
        if let status = r.revocation { options.maxRevocationStaleness = status.maxStaleness }
        let verifier = JWTChainVerifier(
            options: options, registry: AIPReferenceSupport.registry(r.identities),
            revocation: AIPReferenceSupport.revocationList(r.revocation))
        let report = verifier.verify(.init(token: r.token, rootKey: r.rootKey, audience: r.audience, requiredScope: r.requiredScope, now: r.now))
        return AIPReferenceSupport.outcome(report.result, steps: report.steps)
    }
}
