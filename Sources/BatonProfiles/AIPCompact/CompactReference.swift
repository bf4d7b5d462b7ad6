import AIP
import AIPJWT
import BatonCrypto
import BatonModel

/// Baton's AIP compact issuer and verifier (one-hop EdDSA JWTs) behind the implementation
/// interface; with flaws, a verifier of the compact flaw gallery.
struct CompactReference: ImplementationUnderTest {
    var flaws: Set<CompactFlaw> = []

    var descriptor: ImplementationDescriptor {
        ReferenceDescriptor.make(profiles: [.aipCompact], roles: [.issuer, .verifier], flaw: flaws.first?.rawValue)
    }

    func mint(_ r: MintRequest) async -> IssueResult {
        if let refusal = AIPReferenceSupport.fractionRefusal(r) { return refusal }
        guard let subject = r.subject else { return .refused(.failed("a compact token needs a subject (the holder)")) }
        do {
            let claims = CompactClaims(
                iss: r.issuer, sub: subject, scope: r.scopes, budgetUSD: r.budgetCents.map { Double($0) / 100 },
                maxDepth: r.maxDepth, iat: r.now, exp: r.now + r.ttlSeconds)
            return .token(try CompactIssuer().mint(claims, key: r.issuerKey))
        } catch {
            return AIPReferenceSupport.refusal(error) { .failed("bad mint request: \($0)") }
        }
    }

    /// Compact tokens are one hop: there is nothing to delegate.
    func delegate(_ r: DelegateRequest) async -> IssueResult {
        .refused(.rejected(AIPErrorCode.tokenMalformed.rawValue, message: "a compact token cannot be delegated"))
    }

    func verify(_ r: VerifyRequest) async -> Outcome {
        var options = CompactVerifier.Options()
        options.flaws = flaws
        if let status = r.revocation { options.maxRevocationStaleness = status.maxStaleness }
        let trust: CompactVerifier.Trust =
            AIPReferenceSupport.registry(r.identities).map { .registry($0, issuers: nil) } ?? .key(r.rootKey, issuer: nil)
        let report = CompactVerifier(trust: trust, options: options, revocation: AIPReferenceSupport.revocationList(r.revocation))
            .verify(r.token, audience: r.audience, requiredScope: r.requiredScope, now: r.now)
        let details = report.details.map { "\($0.step.rawValue) \($0.check.rawValue): \($0.status.rawValue) — \($0.detail)" }
        return AIPReferenceSupport.outcome(report.result, details: details)
    }
}
