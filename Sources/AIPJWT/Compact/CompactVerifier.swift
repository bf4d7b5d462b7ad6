import AIP
import BatonCrypto
import JOSE

/// Verifies AIP compact tokens (one-hop EdDSA JWTs, `typ: aip+jwt`; draft-prakash-aip-01,
/// aip-tokens §3). A pure value: the clock is the request's `now`, nothing is fetched.
///
/// The checks run in this order and the first failure decides (see ``CompactCheck``):
///
/// | # | check | refusal | step |
/// |---|---|---|---|
/// | 1 | `present`: a token is given | `aip_token_missing` | A2A |
/// | 2 | `parse`: strict compact JWS (size cap, 3 parts, base64url, JSON objects, no duplicate members) | `aip_token_malformed` | V1 |
/// | 3 | `type`: `typ` is exactly `aip+jwt` | `aip_token_malformed` | V1 |
/// | 4 | `algorithm`: `alg` is exactly `EdDSA` (absent or non-string `alg`: malformed) | `aip_signature_invalid` | V1 |
/// | 5 | `header-keys`: no `jwk`/`jku`/`x5u`/`x5c`, no `crit` | `aip_signature_invalid` | V1 |
/// | 6 | `issuer`: `iss` (read unverified) is an AIP identifier / resolves to trusted keys | `aip_token_malformed` / `aip_identity_unresolvable` | V2 |
/// | 7 | `signature`: Ed25519 under one of those keys | `aip_signature_invalid` | V1 |
/// | 8 | `claims`: types and ranges (``CompactClaims/init(json:)``), `nbf` an integer if present | `aip_token_malformed` (negative budget: `aip_budget_exceeded`) | V4 |
/// | 9 | `expiry`: `exp > now` | `aip_token_expired` | V4 |
/// | 10 | `not-before`: `iat <= now` and `nbf <= now` | `aip_token_malformed` | V4 |
/// | 11 | `lifetime`: `exp - iat <= maxLifetime` (off by default) | `aip_token_malformed` | V4 |
/// | 12 | `audience`: `sub` is the receiving agent | `aip_audience_mismatch` | AUD |
/// | 13 | `scope`: the requested scope is granted | `aip_scope_insufficient` | V6 |
/// | 14 | `revocation`: key and token not revoked, status fresh | `aip_key_revoked` | V7 |
///
/// Keys are never taken from the token: `kid` is ignored and key-carrying headers are refused.
/// The only claim read before the signature is verified is `iss`, to select the trusted keys.
/// There is no clock leeway: a token issued one second in the future is refused.
///
/// ``Options/flaws`` removes defences one at a time, for the attack range (``CompactFlaw``);
/// a check weakened by a flaw reports itself skipped, naming the flaw.
public struct CompactVerifier: Sendable {
    /// Where the issuer's keys come from.
    public enum Trust: Sendable {
        /// A configured public key. With `issuer`, `iss` must be exactly that identifier;
        /// without, any AIP identifier is trusted by configuration. In both cases an
        /// `aip:key:` issuer must name this very key.
        case key(Ed25519.PublicKey, issuer: String?)
        /// Identity documents: `iss` resolves through the registry to the keys valid at
        /// `now` (`aip:key:` identifiers resolve to their own key, so they are
        /// self-certifying). With `issuers`, only those identifiers are accepted.
        case registry(IdentityRegistry, issuers: Set<String>?)
    }

    public struct Options: Hashable, Sendable {
        /// Largest accepted token, in bytes (compact tokens are typically 200–500 bytes).
        public var maxTokenSize: Int
        /// Longest accepted `exp - iat`, in seconds; `nil` (the default) does not check.
        /// The spec says the lifetime SHOULD be under one hour (3600).
        public var maxLifetime: Int64?
        /// Read `p*` as a prefix and `*` as any scope (the chained Standard profile);
        /// false compares scopes exactly (as the reference Python `has_scope`).
        public var scopePatterns: Bool
        /// Oldest acceptable revocation status, in seconds (fails closed past it).
        public var maxRevocationStaleness: Int64
        /// Defences removed on purpose (the flawed-verifier gallery); empty for the reference.
        public var flaws: Set<CompactFlaw> = []

        public init(
            maxTokenSize: Int = 8 * 1024, maxLifetime: Int64? = nil, scopePatterns: Bool = true,
            maxRevocationStaleness: Int64 = 300
        ) {
            self.maxTokenSize = maxTokenSize
            self.maxLifetime = maxLifetime
            self.scopePatterns = scopePatterns
            self.maxRevocationStaleness = maxRevocationStaleness
        }
    }

    /// What is presented and what it must allow.
    public struct Request: Sendable {
        /// The compact token text.
        public var token: String?
        /// The receiving agent's identity: `sub` must be exactly this; `nil` skips the check.
        public var audience: String?
        /// The scope being exercised (e.g. the tool invoked); `nil` skips the check.
        public var requiredScope: String?
        /// Verification time, seconds since the epoch (injected; never the wall clock).
        public var now: Int64

        public init(token: String?, audience: String? = nil, requiredScope: String? = nil, now: Int64) {
            self.token = token
            self.audience = audience
            self.requiredScope = requiredScope
            self.now = now
        }
    }

    /// The issuer's resolved identity.
    struct ResolvedIssuer {
        var identifier: String
        var keys: [Ed25519.PublicKey]
        var document: IdentityDocument?
    }

    public var trust: Trust
    public var options: Options
    /// Revocation status; required when the issuer's identity document advertises revocation.
    public var revocation: RevocationList?

    public init(trust: Trust, options: Options = Options(), revocation: RevocationList? = nil) {
        self.trust = trust
        self.options = options
        self.revocation = revocation
    }

    /// Verifies a request and records every check's verdict.
    public func verify(_ request: Request) -> CompactVerificationReport {
        var trace = CompactTrace()
        do {
            let verified = try run(request, trace: &trace)
            return CompactVerificationReport(result: .success(verified), details: trace.details)
        } catch {
            trace.fail(error)
            return CompactVerificationReport(result: .failure(error), details: trace.details)
        }
    }

    /// Convenience for ``verify(_:)``.
    public func verify(_ token: String?, audience: String? = nil, requiredScope: String? = nil, now: Int64) -> CompactVerificationReport {
        verify(Request(token: token, audience: audience, requiredScope: requiredScope, now: now))
    }

    private func run(_ request: Request, trace: inout CompactTrace) throws(AIPError) -> VerifiedCompact {
        let now = request.now
        let text = try trace.run(.present) { () throws(AIPError) in try checkPresent(request.token) }
        let jws = try trace.run(.parse) { () throws(AIPError) in try checkParse(text) }
        try trace.run(.type) { () throws(AIPError) in try checkType(jws) }
        try trace.run(.algorithm) { () throws(AIPError) in try checkAlgorithm(jws) }
        try trace.run(.headerKeys) { () throws(AIPError) in try checkHeaderKeys(jws) }
        let issuer = try trace.run(.issuer) { () throws(AIPError) in try checkIssuer(jws, now: now) }
        let key = try trace.run(.signature) { () throws(AIPError) in try checkSignature(jws, issuer: issuer, now: now) }
        let claims = try trace.run(.claims) { () throws(AIPError) in try checkClaims(jws) }
        try trace.run(.expiry) { () throws(AIPError) in try checkExpiry(claims, now: now) }
        try trace.run(.notBefore) { () throws(AIPError) in try checkNotBefore(claims, jws: jws, now: now) }
        try trace.run(.lifetime) { () throws(AIPError) in try checkLifetime(claims) }
        try trace.run(.audience) { () throws(AIPError) in try checkAudience(claims, audience: request.audience) }
        try trace.run(.scope) { () throws(AIPError) in try checkScope(claims, requiredScope: request.requiredScope) }
        try trace.run(.revocation) { () throws(AIPError) in try checkRevocation(jws, issuer: issuer, key: key, now: now) }
        return VerifiedCompact(claims: claims, header: jws.header, issuerKey: key, signature: jws.signature)
    }

    // MARK: The checks, one function each

    func checkPresent(_ token: String?) throws(AIPError) -> CompactChecked<String> {
        guard let token, !token.isEmpty else { throw CompactCheck.present.fail(.tokenMissing, "no token in the request") }
        return .passed(token, "token present (\(token.utf8.count) bytes)")
    }

    func checkParse(_ text: String) throws(AIPError) -> CompactChecked<JWS> {
        do {
            let jws = try JWS.parse(text, options: JWS.ParseOptions(maxTokenSize: options.maxTokenSize))
            return .passed(jws, "a compact JWS with a JSON object header and payload")
        } catch {
            throw CompactCheck.parse.fail(.tokenMalformed, "not a compact JWT: \(error)")
        }
    }

    func checkType(_ jws: JWS) throws(AIPError) -> CompactChecked<Void> {
        if flaws.contains(.skipType) { return .skipped(Self.flawed(.skipType, "typ not checked")) }
        switch jws.header["typ"] {
        case nil:
            throw CompactCheck.type.fail(.tokenMalformed, "the header has no typ; a compact token's typ must be \(CompactIssuer.type)")
        case let .string(t)? where t.utf8.elementsEqual(CompactIssuer.type.utf8):
            return .passed("typ \(t)")
        case let .string(t)?:
            throw CompactCheck.type.fail(.tokenMalformed, "typ '\(t)' is not \(CompactIssuer.type)")
        case let other?:
            throw CompactCheck.type.fail(.tokenMalformed, "typ must be a string, found \(other.typeName)")
        }
    }

    func checkAlgorithm(_ jws: JWS) throws(AIPError) -> CompactChecked<Void> {
        let check = CompactCheck.algorithm
        guard let value = jws.header["alg"] else { throw check.fail(.tokenMalformed, "the header has no alg") }
        guard case let .string(alg) = value else { throw check.fail(.tokenMalformed, "alg must be a string, found \(value.typeName)") }
        if alg == JWSAlgorithm.eddsa.rawValue { return .passed("alg EdDSA") }
        if JWSAlgorithm.isNoneVariant(alg), flaws.contains(.acceptAlgNone) {
            return .skipped(Self.flawed(.acceptAlgNone, "unsecured alg '\(alg)' accepted"))
        }
        if JWSAlgorithm.isHMACVariant(alg), flaws.contains(.hmacWithPublicKey) {
            return .skipped(Self.flawed(.hmacWithPublicKey, "symmetric alg '\(alg)' accepted"))
        }
        if JWSAlgorithm.isNoneVariant(alg) {
            throw check.fail(.signatureInvalid, "unsecured alg '\(alg)' is never accepted")
        }
        if JWSAlgorithm.isHMACVariant(alg) {
            var how = ""
            if case let .key(key, _) = trust, let secret = AlgorithmConfusion.detect(jws, publicKey: .ed25519(key)) {
                how = " (MAC keyed with the issuer's public key as \(secret))"
            }
            throw check.fail(.signatureInvalid, "symmetric alg '\(alg)' refused: algorithm confusion\(how)")
        }
        throw check.fail(.signatureInvalid, "alg '\(alg)' is not EdDSA")
    }

    func checkHeaderKeys(_ jws: JWS) throws(AIPError) -> CompactChecked<Void> {
        var lapses: [String] = []
        for name in JWSHeaderPolicy.keyCarryingHeaders where jws.header.contains(name) {
            if name == "jwk", flaws.contains(.trustEmbeddedJWK) {
                lapses.append(Self.flawed(.trustEmbeddedJWK, "embedded jwk allowed"))
                continue
            }
            throw CompactCheck.headerKeys.fail(.signatureInvalid, "header parameter \(name) carries key material, which is never trusted")
        }
        if jws.header.contains("crit") {
            guard flaws.contains(.ignoreCrit) else {
                throw CompactCheck.headerKeys.fail(
                    .signatureInvalid, "critical header parameters are not understood: \(jws.header["crit"]?.canonicalString ?? "")")
            }
            lapses.append(Self.flawed(.ignoreCrit, "crit \(jws.header["crit"]?.canonicalString ?? "") ignored"))
        }
        if !lapses.isEmpty { return .skipped(lapses.joined(separator: "; ")) }
        let kid = flaws.contains(.trustKid) ? "used to select the key (flaw \(CompactFlaw.trustKid.rawValue))" : "ignored"
        return .passed(jws.keyID.map { "no key-carrying or critical header; kid '\($0)' \(kid)" } ?? "no key-carrying or critical header")
    }

    func checkIssuer(_ jws: JWS, now: Int64) throws(AIPError) -> CompactChecked<ResolvedIssuer> {
        let check = CompactCheck.issuer
        guard let value = jws.claims[CompactClaims.Name.iss] else { throw check.fail(.tokenMalformed, "claim \"iss\" is missing") }
        guard case let .string(iss) = value else { throw check.fail(.tokenMalformed, "claim \"iss\" must be a string, found \(value.typeName)") }
        guard let parsed = AIPIdentifier(iss) else { throw check.fail(.tokenMalformed, "claim \"iss\" '\(iss)' is not an AIP identifier") }
        if flaws.contains(.anyIssuerKey) {
            let keys = anyTrustedKey(iss, now: now)
            // Only the binding of iss to its keys is removed: the issuer's document (and what it
            // advertises, such as revocation) still counts.
            var document: IdentityDocument?
            if case let .registry(registry, _) = trust { document = registry.document(iss) }
            return .skipped(
                ResolvedIssuer(identifier: iss, keys: keys, document: document),
                Self.flawed(.anyIssuerKey, "\(iss) not resolved; any of \(keys.count) trusted key(s) may sign"))
        }
        switch trust {
        case let .key(key, expected):
            if let expected, !expected.utf8.elementsEqual(iss.utf8) {
                throw check.fail(.identityUnresolvable, "the configured key belongs to \(expected), not to \(iss)")
            }
            if case let .key(named) = parsed, named != key {
                throw check.fail(.identityUnresolvable, "\(iss) names another key than the configured one")
            }
            return .passed(
                ResolvedIssuer(identifier: iss, keys: [key], document: nil),
                "\(iss) trusted by configuration with key \(key.hex.prefix(16))…")
        case let .registry(registry, issuers):
            if let issuers, !issuers.contains(where: { $0.utf8.elementsEqual(iss.utf8) }) {
                throw check.fail(.identityUnresolvable, "\(iss) is not a trusted issuer")
            }
            let keys: [Ed25519.PublicKey]
            do { keys = try registry.resolveKeys(iss, at: now) } catch { throw check.fail(error.code, error.message) }
            return .passed(
                ResolvedIssuer(identifier: iss, keys: keys, document: registry.document(iss)),
                "\(iss) resolves to \(keys.count) current key(s)")
        }
    }

    func checkSignature(_ jws: JWS, issuer: ResolvedIssuer, now: Int64) throws(AIPError) -> CompactChecked<Ed25519.PublicKey> {
        if let lapse = try flawedSignature(jws, issuer: issuer, now: now) { return lapse }
        let input = jws.signingInput
        guard jws.signature.count == Ed25519.signatureLength,
            let key = issuer.keys.first(where: { $0.isValidSignature(jws.signature, for: input) })
        else {
            throw CompactCheck.signature.fail(.signatureInvalid, "the signature does not verify under any key of \(issuer.identifier)")
        }
        return .passed(key, "Ed25519 signature verified with a key of \(issuer.identifier)")
    }

    func checkClaims(_ jws: JWS) throws(AIPError) -> CompactChecked<CompactClaims> {
        let reading = claimReading
        let claims = try CompactClaims(json: jws.claims, reading: reading)
        _ = try CompactClaims.notBefore(in: jws.claims, reading: reading)
        switch reading {
        case .strict: break
        case .coerceTypes: return .skipped(claims, Self.flawed(.coerceClaimTypes, "claim types coerced"))
        case .skipValues: return .skipped(claims, Self.flawed(.skipClaimValues, "claim values not checked"))
        }
        return .passed(
            claims,
            "iss, sub, scope \(claims.scope), max_depth \(claims.maxDepth), budget \(claims.budgetUSD.map { "\($0) USD" } ?? "none"), iat, exp well formed"
        )
    }

    func checkExpiry(_ claims: CompactClaims, now: Int64) throws(AIPError) -> CompactChecked<Void> {
        if flaws.contains(.skipExpiry) { return .skipped(Self.flawed(.skipExpiry, "exp \(claims.exp) not checked")) }
        guard claims.exp > now else { throw CompactCheck.expiry.fail(.tokenExpired, "the token expired at \(claims.exp), now is \(now)") }
        return .passed("valid until \(claims.exp) (now \(now))")
    }

    func checkNotBefore(_ claims: CompactClaims, jws: JWS, now: Int64) throws(AIPError) -> CompactChecked<Void> {
        if flaws.contains(.skipNotBefore) { return .skipped(Self.flawed(.skipNotBefore, "iat \(claims.iat) and nbf not checked")) }
        guard claims.iat <= now else {
            throw CompactCheck.notBefore.fail(.tokenMalformed, "the token is issued in the future (iat \(claims.iat), now \(now))")
        }
        if let nbf = try CompactClaims.notBefore(in: jws.claims, reading: claimReading), nbf > now {
            throw CompactCheck.notBefore.fail(.tokenMalformed, "the token is not valid before \(nbf) (now \(now))")
        }
        return .passed("issued at \(claims.iat), not after now")
    }

    func checkLifetime(_ claims: CompactClaims) throws(AIPError) -> CompactChecked<Void> {
        guard let limit = options.maxLifetime else { return .skipped("no maximum lifetime configured") }
        let (lifetime, overflow) = claims.exp.subtractingReportingOverflow(claims.iat)
        guard !overflow, lifetime <= limit else {
            throw CompactCheck.lifetime.fail(
                .tokenMalformed, "lifetime \(overflow ? "beyond Int64" : "\(lifetime) s") exceeds the \(limit) s maximum")
        }
        return .passed("lifetime \(lifetime) s of at most \(limit) s")
    }

    func checkAudience(_ claims: CompactClaims, audience: String?) throws(AIPError) -> CompactChecked<Void> {
        guard let audience else { return .skipped("no audience given") }
        if flaws.contains(.skipAudience) { return .skipped(Self.flawed(.skipAudience, "sub '\(claims.sub)' not compared with \(audience)")) }
        guard claims.sub.utf8.elementsEqual(audience.utf8) else {
            throw CompactCheck.audience.fail(.audienceMismatch, "the token is granted to '\(claims.sub)', not to '\(audience)'")
        }
        return .passed("granted to \(audience)")
    }

    func checkScope(_ claims: CompactClaims, requiredScope: String?) throws(AIPError) -> CompactChecked<Void> {
        guard let scope = requiredScope else { return .skipped("no scope requested") }
        if flaws.contains(.skipScope) { return .skipped(Self.flawed(.skipScope, "'\(scope)' not checked against \(claims.scope)")) }
        let granted = claims.scopeSet(patterns: options.scopePatterns)
        guard granted.allows(scope) else {
            throw CompactCheck.scope.fail(.scopeInsufficient, "token does not authorize scope '\(scope)' (granted \(granted))")
        }
        return .passed("'\(scope)' is within \(granted)")
    }

    /// Mirrors the chained verifier's V7: the issuer key and the token (its signature is
    /// its revocation id) must not be revoked, and a stale status fails closed. Without a
    /// revocation list the check is skipped, unless the issuer's document advertises revocation.
    func checkRevocation(_ jws: JWS, issuer: ResolvedIssuer, key: Ed25519.PublicKey, now: Int64) throws(AIPError) -> CompactChecked<Void> {
        let check = CompactCheck.revocation
        if flaws.contains(.skipRevocation) { return .skipped(Self.flawed(.skipRevocation, "revocation not consulted")) }
        guard let revocation else {
            if issuer.document?.advertisesRevocation ?? false {
                throw check.fail(.keyRevoked, "\(issuer.identifier) advertises revocation but no revocation status is available")
            }
            return .skipped("no revocation endpoint advertised")
        }
        guard !revocation.isStale(at: now, maxStaleness: options.maxRevocationStaleness) else {
            throw check.fail(
                .keyRevoked, "revocation status is \(now &- revocation.refreshedAt) s old, over the \(options.maxRevocationStaleness) s limit")
        }
        if revocation.isRevoked(key: key.bytes) { throw check.fail(.keyRevoked, "the signing key of \(issuer.identifier) is revoked") }
        if revocation.isRevoked(revocationId: jws.signature) { throw check.fail(.keyRevoked, "the token is revoked") }
        return .passed("neither the key nor the token is revoked")
    }
}
