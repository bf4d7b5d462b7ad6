import AIP
import BatonCrypto
import BatonModel
import Biscuit

/// Baton's AIP chained issuer and verifier (V1–V7) behind the implementation interface; with
/// flaws, a verifier of the flaw gallery.
struct ChainedReference: ImplementationUnderTest {
    /// Options applied to every verification (scenarios can add `require_signed_delegation`).
    var verifierOptions = ChainedVerifier.Options()

    var descriptor: ImplementationDescriptor {
        ReferenceDescriptor.make(profiles: [.aipChained], roles: [.issuer, .verifier], flaw: verifierOptions.flaws.first?.rawValue)
    }

    func mint(_ r: MintRequest) async -> IssueResult {
        if let refusal = AIPReferenceSupport.fractionRefusal(r) { return refusal }
        do {
            let token = try ChainedIssuer().createAuthority(
                .init(
                    issuer: r.issuer, issuerKey: r.issuerKey, scopes: r.scopes, principal: r.principal,
                    budgetCents: r.budgetCents, maxDepth: r.maxDepth, ttlSeconds: r.ttlSeconds, now: r.now,
                    nextKey: r.nextKey))
            return .token(token.base64())
        } catch {
            return AIPReferenceSupport.refusal(error) { .failed("bad mint request: \($0)") }
        }
    }

    func delegate(_ r: DelegateRequest) async -> IssueResult {
        do {
            let token = try BiscuitToken(bytes: BiscuitToken.decodeBase64(r.token))
            if let status = r.revocation, let list = AIPReferenceSupport.revocationList(status) {
                try ChainedIssuer.checkNotRevoked(token, list, maxStaleness: status.maxStaleness, now: r.now)
            }
            let result = try ChainedIssuer().delegate(
                token,
                .init(
                    delegator: r.delegator, delegate: r.delegate, scopes: r.scopes, context: r.context, budgetCents: r.budgetCents,
                    expiresAt: r.expiresAt, principal: r.principal, now: r.now,
                    delegatorKey: r.delegatorKey,
                    nextKey: r.nextKey))
            return .token(result.base64())
        } catch {
            return AIPReferenceSupport.refusal(error) { .rejected(AIPErrorCode.tokenMalformed.rawValue, message: "\($0)") }
        }
    }

    func verify(_ r: VerifyRequest) async -> Outcome {
        var options = verifierOptions
        if r.requireSignedDelegation { options.requireSignedDelegation = true }
        if let status = r.revocation { options.maxRevocationStaleness = status.maxStaleness }
        let verifier = ChainedVerifier(
            options: options, registry: AIPReferenceSupport.registry(r.identities),
            revocation: AIPReferenceSupport.revocationList(r.revocation))
        let report = verifier.verify(.init(token: r.token, rootKey: r.rootKey, audience: r.audience, requiredScope: r.requiredScope, now: r.now))
        return AIPReferenceSupport.outcome(report.result, steps: report.steps)
    }
}
