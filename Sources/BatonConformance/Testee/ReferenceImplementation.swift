import AIP
import BatonCrypto
import Biscuit
import JOSE
import TokenExchange

/// Baton's own implementations, in process: the AIP chained and compact issuers and
/// verifiers, the token service and the downstream verifier of its tokens. The default
/// implementation under test and the yardstick for issuer-only testees.
public struct ReferenceImplementation: ImplementationUnderTest {
    public var descriptor: TesteeDescriptor {
        TesteeDescriptor(
            name: name, version: BatonVersion.current,
            profiles: flawedProfile.map { [$0] } ?? ScenarioLoader.profiles,
            roles: flawedProfile == nil ? [.issuer, .verifier, .sts] : [.verifier],
            options: ["clock", "signed_delegation", "registry", "revocation"])
    }

    /// The one profile a flawed variant declares (the profile of its flawed verifier); nil for the reference.
    var flawedProfile: String? {
        if !jwtFlaws.isEmpty { return "token-exchange" }
        if !compactFlaws.isEmpty { return "aip-compact" }
        if !verifierOptions.flaws.isEmpty { return "aip-chained" }
        return nil
    }

    /// Defences removed from the downstream verifier of exchanged tokens (attack range only).
    public var jwtFlaws: Set<ExchangedTokenFlaw> = []
    /// Defences removed from the compact-token verifier (attack range only).
    public var compactFlaws: Set<CompactFlaw> = []
    let tokenServices = ReferenceTokenServices()

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

    /// The downstream JWT verifier with one defence removed.
    public static func flawed(_ flaw: ExchangedTokenFlaw) -> ReferenceImplementation {
        var r = ReferenceImplementation()
        r.jwtFlaws = [flaw]
        r.name = "flawed:\(flaw.rawValue)"
        return r
    }

    /// The compact-token verifier with one defence removed.
    public static func flawed(_ flaw: CompactFlaw) -> ReferenceImplementation {
        var r = ReferenceImplementation()
        r.compactFlaws = [flaw]
        r.name = "flawed:\(flaw.rawValue)"
        return r
    }

    /// Every flawed variant by name (`flawed:NAME` without the prefix): the chained verifier's,
    /// then the JWT verifier's, then the compact verifier's.
    public static var gallery: [(name: String, summary: String, implementation: ReferenceImplementation)] {
        VerifierFlaw.allCases.map { ($0.rawValue, $0.summary, ReferenceImplementation.flawed($0)) }
            + ExchangedTokenFlaw.allCases.map { ($0.rawValue, $0.summary, ReferenceImplementation.flawed($0)) }
            + CompactFlaw.allCases.map { ($0.rawValue, $0.summary, ReferenceImplementation.flawed($0)) }
    }

    /// A gallery variant by name, or nil.
    public static func flawed(named name: String) -> ReferenceImplementation? {
        if let f = VerifierFlaw(rawValue: name) { return .flawed(f) }
        if let f = ExchangedTokenFlaw(rawValue: name) { return .flawed(f) }
        if let f = CompactFlaw(rawValue: name) { return .flawed(f) }
        return nil
    }

    public func mint(_ r: MintRequest) -> IssueResult {
        if r.profile == "aip-compact" { return mintCompact(r) }
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
        switch r.profile {
        case "token-exchange": return verifyExchanged(r)
        case "aip-compact": return verifyCompact(r)
        default: return verifyChained(r)
        }
    }

    func verifyChained(_ r: VerifyRequest) -> Outcome {
        guard let root = try? Ed25519.PublicKey(hex: r.rootKey) else { return .failed("bad root key \(r.rootKey)") }
        var options = verifierOptions
        if r.requireSignedDelegation { options.requireSignedDelegation = true }
        let registry = Self.registry(r.identities)
        let revocation = Self.revocationList(r.revocation)
        if let status = r.revocation { options.maxRevocationStaleness = status.maxStaleness }
        let report = ChainedVerifier(options: options, registry: registry, revocation: revocation).verify(.init(
            token: r.token, rootKey: root, audience: r.audience, requiredScope: r.requiredScope, now: r.now))
        let details = report.steps.map { "\($0.step.rawValue) \($0.step.title): \($0.status.rawValue) — \($0.detail)" }
        return Self.outcome(report.result, details: details)
    }
}

extension ReferenceImplementation {
    public func setUpTokenService(_ setup: TokenServiceSetup) -> TokenServiceSetupResult {
        do { return .ready(try tokenServices.setUp(setup)) } catch {
            return .failed(.failed("cannot set up the reference token service: \(error)"))
        }
    }

    public func login(_ r: LoginRequest) -> IssueResult {
        do {
            return .token(try tokenServices.with(r.session) { service, uris in
                let agent = uris[r.agent] ?? r.agent
                return try service.issueRootToken(principal: r.principal, agent: agent, scopes: r.scopes,
                                                  audience: r.audience, lifetime: r.ttlSeconds, now: r.now)
            })
        } catch {
            return .refused(.failed("\(error)"))
        }
    }

    public func exchange(_ call: ExchangeCall) -> IssueResult {
        do {
            let request = try TokenExchangeRequest(form: call.parameters.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil })
            let result = try tokenServices.with(call.session) { service, _ in service.exchange(request, now: call.now) }
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

    func verifyExchanged(_ r: VerifyRequest) -> Outcome {
        guard let issuer = r.issuer, let jwksText = r.jwks, let keys = try? JWKSet(jsonText: jwksText) else {
            return .failed("a token-exchange verification needs the token service's issuer and JWKS")
        }
        let verifier = ExchangedTokenVerifier(issuer: issuer, keys: keys, layout: r.layout.flatMap(ClaimLayout.init(rawValue:)),
                                              maxDepth: r.maxDepth, flaws: jwtFlaws)
        let report = verifier.verify(r.token, audience: r.audience, requiredScope: r.requiredScope, now: r.now)
        switch report.result {
        case .success: return Outcome(verdict: .accept, details: report.details)
        case let .failure(e):
            return Outcome(verdict: .reject, code: e.code.rawValue, step: e.check.rawValue, message: e.reason, details: report.details)
        }
    }

    func mintCompact(_ r: MintRequest) -> IssueResult {
        guard let subject = r.subject else { return .refused(.failed("a compact token needs a subject (the holder)")) }
        do {
            let claims = CompactClaims(iss: r.issuer, sub: subject, scope: r.scopes, budgetUSD: r.budgetCents.map { Double($0) / 100 },
                                       maxDepth: r.maxDepth, iat: r.now, exp: r.now + r.ttlSeconds)
            return .token(try CompactIssuer().mint(claims, key: try Ed25519.PrivateKey(hex: r.issuerKey)))
        } catch let e as AIPError {
            return .refused(.rejected(e.code.rawValue, step: e.step?.rawValue, message: e.message))
        } catch {
            return .refused(.failed("bad mint request: \(error)"))
        }
    }

    func verifyCompact(_ r: VerifyRequest) -> Outcome {
        guard let root = try? Ed25519.PublicKey(hex: r.rootKey) else { return .failed("bad root key \(r.rootKey)") }
        var options = CompactVerifier.Options()
        options.flaws = compactFlaws
        if let status = r.revocation { options.maxRevocationStaleness = status.maxStaleness }
        let trust: CompactVerifier.Trust = Self.registry(r.identities).map { .registry($0, issuers: nil) } ?? .key(root, issuer: nil)
        let report = CompactVerifier(trust: trust, options: options, revocation: Self.revocationList(r.revocation))
            .verify(r.token, audience: r.audience, requiredScope: r.requiredScope, now: r.now)
        let details = report.details.map { "\($0.step.rawValue) \($0.check.rawValue): \($0.status.rawValue) — \($0.detail)" }
        return Self.outcome(report.result, details: details)
    }

    /// An AIP verifier's verdict (chained or compact) as an outcome: accept, or reject with the
    /// error's code, step and message.
    static func outcome<Verified>(_ result: Result<Verified, AIPError>, details: [String]) -> Outcome {
        switch result {
        case .success: return Outcome(verdict: .accept, details: details)
        case let .failure(e): return Outcome(verdict: .reject, code: e.code.rawValue, step: e.step?.rawValue, message: e.message, details: details)
        }
    }

    /// The identity documents a verify request carries, as a registry.
    static func registry(_ identities: [IdentityEntry]?) -> IdentityRegistry? {
        identities.map { entries in
            IdentityRegistry(documents: entries.map { e in
                IdentityDocument(
                    id: e.id,
                    keys: e.keys.enumerated().compactMap { i, hex in
                        (try? Ed25519.PublicKey(hex: hex)).map { .init(id: "key-\(i + 1)", publicKey: $0, validFrom: e.validFrom, validUntil: e.validUntil) }
                    },
                    advertisesRevocation: e.advertisesRevocation, expires: e.validUntil)
            })
        }
    }

    /// The revocation status a verify request carries, as a list.
    static func revocationList(_ status: RevocationStatus?) -> RevocationList? {
        status.map { status in
            var list = RevocationList(refreshedAt: status.refreshedAt)
            for k in status.revokedKeys { if let key = try? Ed25519.PublicKey(hex: k) { list.revoke(key: key) } }
            for id in status.revokedIds { if let bytes = try? Hex.decode(id) { list.revoke(revocationId: bytes) } }
            return list
        }
    }
}

/// Baton's version, reported in handshakes and reports.
public enum BatonVersion {
    public static let current = "0.1.0"
}
