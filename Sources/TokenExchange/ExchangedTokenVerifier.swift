import JOSE

/// What a downstream verifier learned from a token it accepted.
public struct VerifiedExchangedToken: Equatable, Sendable {
    public var subject: String
    /// The agent holding the token: `sub` in the agent-subject layout, the current actor in RFC 8693's.
    public var holder: String
    /// The person at the root, when the token says.
    public var principal: String?
    /// Actors, current first (RFC 8693), or the immediate delegator alone (agent-subject).
    public var actors: [String]
    public var scopes: [String]
    public var depth: Int64
    public var claims: JWTClaims

    public init(subject: String, holder: String, principal: String?, actors: [String], scopes: [String], depth: Int64, claims: JWTClaims) {
        self.subject = subject
        self.holder = holder
        self.principal = principal
        self.actors = actors
        self.scopes = scopes
        self.depth = depth
        self.claims = claims
    }
}

/// The verifier's verdict and the trace of every check it ran.
public struct ExchangedTokenReport: Sendable {
    public var result: Result<VerifiedExchangedToken, ExchangedTokenError>
    /// One line per check: `J2 passed: …` or `J5 failed: …`.
    public var details: [String]

    public init(result: Result<VerifiedExchangedToken, ExchangedTokenError>, details: [String]) {
        self.result = result
        self.details = details
    }
}

/// Verifies a token issued by a token service, as a downstream agent or resource server
/// does: signature under the service's JWKS, issuer, lifetime, audience, the `act` chain
/// and `delegation_depth`, and the required scope. Pure: the clock is an argument.
public struct ExchangedTokenVerifier: Sendable {
    /// The token service's `iss`.
    public var issuer: String
    /// Its published keys.
    public var keys: JWKSet
    public var allowedAlgorithms: Set<JWSAlgorithm>
    /// The layout the service uses; nil: read it from the token (`scopes` array or `scope` string).
    public var layout: ClaimLayout?
    /// The deepest `delegation_depth` accepted; nil: no limit.
    public var maxDepth: Int64?
    public var leeway: Int64
    /// Defences removed (attack range only).
    public var flaws: Set<ExchangedTokenFlaw>

    public init(
        issuer: String, keys: JWKSet, allowedAlgorithms: Set<JWSAlgorithm> = [.eddsa, .es256], layout: ClaimLayout? = nil,
        maxDepth: Int64? = nil, leeway: Int64 = 0, flaws: Set<ExchangedTokenFlaw> = []
    ) {
        self.issuer = issuer
        self.keys = keys
        self.allowedAlgorithms = allowedAlgorithms
        self.layout = layout
        self.maxDepth = maxDepth
        self.leeway = leeway
        self.flaws = flaws
    }

    /// Verifies `token` for the agent `audience` needing `requiredScope` at time `now`.
    public func verify(_ token: String?, audience: String?, requiredScope: String?, now: Int64) -> ExchangedTokenReport {
        var details: [String] = []
        do {
            let verified = try run(token, audience: audience, requiredScope: requiredScope, now: now, details: &details)
            return ExchangedTokenReport(result: .success(verified), details: details)
        } catch let error as ExchangedTokenError {
            details.append("\(error.check.rawValue) failed: \(error.reason)")
            return ExchangedTokenReport(result: .failure(error), details: details)
        } catch {
            let e = ExchangedTokenError(.malformed, at: .parse, "\(error)")
            details.append("J1 failed: \(error)")
            return ExchangedTokenReport(result: .failure(e), details: details)
        }
    }

    func run(_ token: String?, audience: String?, requiredScope: String?, now: Int64, details: inout [String]) throws -> VerifiedExchangedToken {
        guard let token, !token.isEmpty else { throw ExchangedTokenError(.tokenMissing, at: .presence, "no token was presented") }
        let jws: JWS
        do { jws = try JWS.parse(token) } catch { throw ExchangedTokenError(.malformed, at: .parse, "\(error)") }
        details.append("J1 passed: compact JWS, header \(jws.header.canonicalString)")

        try checkSignature(jws)
        details.append(
            "J2 passed: \(flaws.contains(.skipSignature) ? "signature not checked (flaw)" : "signed by \(jws.keyID ?? "the only key") with \(jws.algorithmName ?? "?")")"
        )

        let claims = JWTClaims(jws.claims)
        if !flaws.contains(.skipIssuer) {
            let iss = try read(.issuer) { try claims.issuer }
            guard iss == issuer else { throw ExchangedTokenError(.issuerMismatch, at: .issuer, "iss is \(iss ?? "absent"), expected \(issuer)") }
        }
        details.append("J3 passed: issued by \(issuer)")

        try checkLifetime(claims, now: now)
        details.append("J4 passed: valid at \(now)")

        if let audience, !flaws.contains(.skipAudience) {
            let aud = try read(.audience) { try claims.audience } ?? []
            guard aud.contains(audience) else {
                throw ExchangedTokenError(.audienceMismatch, at: .audience, "aud \(aud) does not name \(audience)")
            }
            details.append("J5 passed: aud names \(audience)")
        }

        guard let layout = self.layout ?? ClaimLayout(of: claims) else {
            throw ExchangedTokenError(.malformed, at: .scope, "neither scope nor scopes is present")
        }
        guard let subject = try read(.parse, { try claims.subject }) else { throw ExchangedTokenError(.malformed, at: .parse, "no sub") }
        guard let depth = try read(.actorChain, { try claims.delegationDepth }) else {
            throw ExchangedTokenError(.actorChainInvalid, at: .actorChain, "no delegation_depth")
        }
        let actors = try read(.actorChain) { try claims.actorChain } ?? []
        if !flaws.contains(.skipActorChain) {
            try checkActorChain(layout: layout, subject: subject, actors: actors, depth: depth)
            details.append("J6 passed: act chain \(actors) consistent with delegation_depth \(depth)")
        }
        if let maxDepth, !flaws.contains(.skipDepth) {
            guard depth <= maxDepth else {
                throw ExchangedTokenError(.depthExceeded, at: .depth, "delegation_depth \(depth) exceeds \(maxDepth)")
            }
            details.append("J7 passed: delegation_depth \(depth) ≤ \(maxDepth)")
        }
        let scopes = try read(.scope) { try layout.scopes(in: claims) }
        if let requiredScope, !flaws.contains(.skipScope) {
            guard scopes.contains(requiredScope) else {
                throw ExchangedTokenError(.scopeInsufficient, at: .scope, "\(requiredScope) is not among \(scopes)")
            }
            details.append("J8 passed: \(requiredScope) granted")
        }
        return VerifiedExchangedToken(
            subject: subject, holder: layout.holder(subject: subject, actors: actors) ?? subject,
            principal: (try? layout.principal(subject: subject, claims: claims)) ?? nil, actors: actors,
            scopes: scopes, depth: depth, claims: claims)
    }

    func checkSignature(_ jws: JWS) throws {
        if flaws.contains(.skipSignature) { return }
        let alg = jws.algorithmName ?? ""
        if flaws.contains(.acceptAlgNone), JWSAlgorithm.isNoneVariant(alg) { return }
        if flaws.contains(.hmacWithPublicKey), JWSAlgorithm.isHMACVariant(alg),
            let key = try? keys.select(keyID: jws.keyID), AlgorithmConfusion.detect(jws, publicKey: key.key) != nil
        {
            return
        }
        if flaws.contains(.trustEmbeddedKey), case let .object(embedded)? = jws.header["jwk"], let jwk = try? JWK(json: embedded),
            let jwsAlg = try? JWSAlgorithm(name: alg), jwk.key.isValidSignature(jws.signature, for: jws.signingInput, algorithm: jwsAlg)
        {
            return
        }
        do {
            try JWSVerifier(keys: keys, allowedAlgorithms: allowedAlgorithms).verify(jws)
        } catch {
            throw ExchangedTokenError(.signatureInvalid, at: .signature, "\(error)")
        }
    }

    func checkLifetime(_ claims: JWTClaims, now: Int64) throws {
        do {
            if flaws.contains(.skipExpiry) {
                _ = try claims.issuedAt
                return
            }
            try JWTValidator(leeway: leeway, requiredClaims: ["exp"]).validate(claims, now: now)
        } catch let error as JOSEError {
            switch error {
            case .expired: throw ExchangedTokenError(.expired, at: .lifetime, "\(error)")
            case .notYetValid, .issuedInFuture: throw ExchangedTokenError(.notYetValid, at: .lifetime, "\(error)")
            case .missingClaim: throw ExchangedTokenError(.malformed, at: .lifetime, "\(error)")
            case .invalidClaim(let name, _) where name == "act" || name == "delegation_depth":
                throw ExchangedTokenError(.actorChainInvalid, at: .actorChain, "\(error)")
            default: throw ExchangedTokenError(.malformed, at: .lifetime, "\(error)")
            }
        }
    }

    func checkActorChain(layout: ClaimLayout, subject: String, actors: [String], depth: Int64) throws {
        func fail(_ reason: String) -> ExchangedTokenError { ExchangedTokenError(.actorChainInvalid, at: .actorChain, reason) }
        for actor in actors where WorkloadURI(actor) == nil { throw fail("actor \(actor) is not a workload URI") }
        guard Set(actors).count == actors.count else { throw fail("an agent appears twice in act \(actors)") }
        switch layout {
        case .agentSubject:
            guard WorkloadURI(subject) != nil else { throw fail("sub \(subject) is not a workload URI") }
            if depth == 0 {
                guard actors.isEmpty else { throw fail("a root token (delegation_depth 0) carries act \(actors)") }
            } else {
                guard actors.count == 1 else { throw fail("act must name exactly the immediate delegator, found \(actors)") }
                guard actors[0] != subject else { throw fail("\(subject) delegated to itself") }
            }
        case .rfc8693:
            guard Int64(actors.count) == depth + 1 else {
                throw fail("act nests \(actors.count) actor(s) but delegation_depth is \(depth) (expected \(depth + 1))")
            }
        }
    }

    /// Runs a claim accessor, turning a shape error into a refusal at `check`.
    func read<T>(_ check: DownstreamCheck, _ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            let code: ExchangedTokenCode = check == .actorChain ? .actorChainInvalid : .malformed
            throw ExchangedTokenError(code, at: check, "\(error)")
        }
    }
}
