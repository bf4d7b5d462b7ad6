import AIP
import AIPJWT
import BatonCrypto
import BatonHarness
import BatonModel
import JOSE

/// `foreign_kind`: a token of another kind than the scenario's profile, really signed by the
/// agent the verifier trusts (or `by`), granting `scopes` to `holder`: a compact JWT, a JWT chain,
/// a Biscuit chain, or an RFC 8693 access token (`typ: at+jwt`) such as a token service using the
/// same key would issue. Presented where the profile's kind is expected, it must be refused as
/// malformed by a verifier of that kind, or for what it really grants by one that detects kinds
/// (aip-tokens §5.1), never accepted by confusing one kind for another.
struct ForeignKindAttack: ForgeAttack, Hashable {
    enum Kind: String, CaseIterable, Sendable {
        case aipChained = "aip-chained"
        case aipCompact = "aip-compact"
        case aipJWTChain = "aip-jwt-chain"
        case tokenExchange = "token-exchange"
    }

    static let name = "foreign_kind"

    var kind: Kind
    /// The signing agent (default: the agent the verifier trusts).
    var by: String?
    /// The agent the token is granted to.
    var holder: String
    var scopes: [String]

    static func parse(_ f: YAMLField, context: ScenarioContext) throws -> ForeignKindAttack {
        try f.rejectUnknownKeys(ForgeStep.commonKeys.union(["kind", "by", "holder", "scopes"]))
        let text = try f["kind"].string()
        guard let kind = Kind(rawValue: text) else {
            throw f["kind"].error("unknown kind '\(text)' (known: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let by = try f["by"].optionalString()
        if let by { try context.agent(by, f["by"]) }
        let holder = try f["holder"].string()
        try context.agent(holder, f["holder"])
        return ForeignKindAttack(kind: kind, by: by, holder: holder, scopes: try f["scopes"].strings())
    }

    func forge(_ source: String, run: StepRun) throws -> String {
        let signer = by ?? run.scenario.trust
        let key = run.state.key(signer)
        let issuer = AIPReferenceSupport.identity(of: signer, domain: run.state.domain)
        let holderID = AIPReferenceSupport.identity(of: holder, domain: run.state.domain)
        let now = run.now
        do {
            return try make(signer: signer, key: key, issuer: issuer, holderID: holderID, now: now, run: run)
        } catch {
            throw ForgeFailure("cannot make the \(kind.rawValue) token: \(error)")
        }
    }

    private func make(signer: String, key: Ed25519.PrivateKey, issuer: String, holderID: String, now: Int64, run: StepRun) throws -> String {
        switch kind {
        case .aipCompact:
            return try CompactIssuer().mint(CompactClaims(iss: issuer, sub: holderID, scope: scopes, iat: now, exp: now + 600), key: key)
        case .aipJWTChain:
            let root = try JWTChainIssuer().createRoot(
                .init(issuer: issuer, delegate: issuer, holderKey: key.publicKey, tools: scopes, ttlSeconds: 600, issuerKey: key, now: now))
            return try JWTChainIssuer().append(
                root,
                .init(
                    holderKey: key, delegate: holderID, nextHolderKey: run.state.key(holder).publicKey, context: "work for \(holder)",
                    tools: scopes, now: now))
        case .aipChained:
            let issuerAPI = ChainedIssuer()
            let t0 = try issuerAPI.createAuthority(.init(issuer: issuer, issuerKey: key, scopes: scopes, ttlSeconds: 600, now: now))
            return try issuerAPI.delegate(
                t0, .init(delegator: issuer, delegate: holderID, scopes: scopes, context: "work for \(holder)", now: now)
            ).base64()
        case .tokenExchange:
            let claims: JSONObject = [
                "iss": .string("https://sts.\(run.state.domain)"), "sub": .string(holderID), "aud": .string(holderID),
                "client_id": .string(holder), "scope": .string(scopes.joined(separator: " ")), "iat": .int(now), "exp": .int(now + 600),
                "jti": .string("foreign-\(run.index)"),
            ]
            return try JWS.sign(header: ["alg": "EdDSA", "typ": "at+jwt"], claims: claims, key: .ed25519(key)).compact
        }
    }

    func honestHops(sourceHops: Int) -> Int { 0 }

    var description: String {
        "a \(kind.rawValue) token signed by \(by ?? "the trusted root")'s key, granting \(scopes) to \(holder)"
    }
}
