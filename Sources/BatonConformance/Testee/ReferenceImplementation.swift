import AIP
import BatonCrypto
import Biscuit

/// Baton's own AIP chained issuer and verifier, in process: the default
/// implementation under test and the yardstick for issuer-only testees.
public struct ReferenceImplementation: ImplementationUnderTest {
    public var descriptor: TesteeDescriptor {
        TesteeDescriptor(
            name: name, version: BatonVersion.current, profiles: ["aip-chained"],
            roles: verifierOptions.flaws.isEmpty ? [.issuer, .verifier] : [.verifier],
            options: ["clock", "signed_delegation", "registry", "revocation"])
    }

    /// `baton-reference`, or `flawed:<flaw>` for a gallery variant.
    public var name: String
    /// Options applied to every verification (scenarios can add `require_signed_delegation`).
    public var verifierOptions: ChainedVerifier.Options

    public init(verifierOptions: ChainedVerifier.Options = .init()) {
        self.verifierOptions = verifierOptions
        name = "baton-reference"
    }

    /// The reference verifier with one defence removed (a verifier-only implementation).
    public static func flawed(_ flaw: VerifierFlaw) -> ReferenceImplementation {
        var options = ChainedVerifier.Options()
        options.flaws = [flaw]
        var r = ReferenceImplementation(verifierOptions: options)
        r.name = "flawed:\(flaw.rawValue)"
        return r
    }

    public func mint(_ r: MintRequest) -> IssueResult {
        do {
            let token = try ChainedIssuer().createAuthority(.init(
                issuer: r.issuer, issuerKey: try Ed25519.PrivateKey(hex: r.issuerKey), scopes: r.scopes, principal: r.principal,
                budgetCents: r.budgetCents, maxDepth: r.maxDepth, ttlSeconds: r.ttlSeconds, now: r.now,
                nextKey: try r.nextKey.map { try Ed25519.PrivateKey(hex: $0) }))
            return .token(token.base64())
        } catch let e as AIPError {
            return .refused(.rejected(e.code.rawValue, step: e.step?.rawValue, message: e.message))
        } catch {
            return .refused(.failed("bad mint request: \(error)"))
        }
    }

    public func delegate(_ r: DelegateRequest) -> IssueResult {
        do {
            let token = try BiscuitToken(bytes: BiscuitToken.decodeBase64(r.token))
            let result = try ChainedIssuer().delegate(token, .init(
                delegator: r.delegator, delegate: r.delegate, scopes: r.scopes, context: r.context, budgetCents: r.budgetCents,
                expiresAt: r.expiresAt, principal: r.principal, now: r.now,
                delegatorKey: try r.delegatorKey.map { try Ed25519.PrivateKey(hex: $0) },
                nextKey: try r.nextKey.map { try Ed25519.PrivateKey(hex: $0) }))
            return .token(result.base64())
        } catch let e as AIPError {
            return .refused(.rejected(e.code.rawValue, step: e.step?.rawValue, message: e.message))
        } catch {
            return .refused(.rejected(AIPErrorCode.tokenMalformed.rawValue, message: "\(error)"))
        }
    }

    public func verify(_ r: VerifyRequest) -> Outcome {
        guard let root = try? Ed25519.PublicKey(hex: r.rootKey) else { return .failed("bad root key \(r.rootKey)") }
        var options = verifierOptions
        if r.requireSignedDelegation { options.requireSignedDelegation = true }
        var registry: IdentityRegistry?
        if let identities = r.identities {
            registry = IdentityRegistry(documents: identities.map { e in
                IdentityDocument(
                    id: e.id,
                    keys: e.keys.enumerated().compactMap { i, hex in
                        (try? Ed25519.PublicKey(hex: hex)).map { .init(id: "key-\(i + 1)", publicKey: $0, validFrom: e.validFrom, validUntil: e.validUntil) }
                    },
                    advertisesRevocation: e.advertisesRevocation, expires: e.validUntil)
            })
        }
        var revocation: RevocationList?
        if let status = r.revocation {
            var list = RevocationList(refreshedAt: status.refreshedAt)
            for k in status.revokedKeys { if let key = try? Ed25519.PublicKey(hex: k) { list.revoke(key: key) } }
            for id in status.revokedIds { if let bytes = try? Hex.decode(id) { list.revoke(revocationId: bytes) } }
            revocation = list
            options.maxRevocationStaleness = status.maxStaleness
        }
        let report = ChainedVerifier(options: options, registry: registry, revocation: revocation).verify(.init(
            token: r.token, rootKey: root, audience: r.audience, requiredScope: r.requiredScope, now: r.now))
        let details = report.steps.map { "\($0.step.rawValue) \($0.step.title): \($0.status.rawValue) — \($0.detail)" }
        switch report.result {
        case .success: return Outcome(verdict: .accept, details: details)
        case let .failure(e): return Outcome(verdict: .reject, code: e.code.rawValue, step: e.step?.rawValue, message: e.message, details: details)
        }
    }
}

/// Baton's version, reported in handshakes and reports.
public enum BatonVersion {
    public static let current = "0.1.0"
}
