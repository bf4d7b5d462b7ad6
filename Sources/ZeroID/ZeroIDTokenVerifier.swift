import JOSE
import TokenExchange

/// Verifies a ZeroID token as a downstream service (or ZeroID's SDK) does, with the checks and
/// codes of the token-exchange verifier (J0–J8): ES256 under the JWKS, `iss`, lifetime, `aud`
/// containing the issuer, the `act` chain against `delegation_depth` for the token's profile
/// (`principal_type` present: `rfc8693`), the depth limit, and the required scope (`scope` and
/// `scopes` must agree when both are present). A verifier may refuse whole missions (`refusedMissions`):
/// every token of a delegation tree carries its root's `mission_id`, so one entry refuses the tree, as
/// an offline verifier must since revocation does not stop a JWT verifying locally. Pure: the clock is
/// an argument.
public struct ZeroIDTokenVerifier: Sendable {
    public var issuer: String
    public var keys: JWKSet
    /// How legacy tokens lay out `act`: the reference's nested chain or ZeroID's immediate delegator.
    public var compatibility: ZeroIDCompatibility
    public var maxDepth: Int64?
    /// Missions this verifier refuses (J6): every token whose `mission_id` is one of them.
    public var refusedMissions: Set<String>
    public var flaws: Set<ZeroIDFlaw>

    public init(
        issuer: String, keys: JWKSet, compatibility: ZeroIDCompatibility = .spec, maxDepth: Int64? = nil, refusedMissions: Set<String> = [],
        flaws: Set<ZeroIDFlaw> = []
    ) {
        self.issuer = issuer
        self.keys = keys
        self.compatibility = compatibility
        self.maxDepth = maxDepth
        self.refusedMissions = refusedMissions
        self.flaws = flaws
    }

    public func verify(_ token: String?, requiredScope: String?, now: Int64) -> ExchangedTokenReport {
        var details: [String] = []
        do {
            let v = try run(token, requiredScope: requiredScope, now: now, details: &details)
            return ExchangedTokenReport(result: .success(v), details: details)
        } catch let e as ExchangedTokenError {
            details.append("\(e.check.rawValue) failed: \(e.reason)")
            return ExchangedTokenReport(result: .failure(e), details: details)
        } catch {
            details.append("J1 failed: \(error)")
            return ExchangedTokenReport(result: .failure(ExchangedTokenError(.malformed, at: .parse, "\(error)")), details: details)
        }
    }

    func run(_ token: String?, requiredScope: String?, now: Int64, details: inout [String]) throws -> VerifiedExchangedToken {
        guard let token, !token.isEmpty else { throw ExchangedTokenError(.tokenMissing, at: .presence, "no token was presented") }
        let jws: JWS
        do { jws = try JWS.parse(token) } catch { throw ExchangedTokenError(.malformed, at: .parse, "\(error)") }
        details.append("J1 passed: compact JWS, header \(jws.header.canonicalString)")
        do { _ = try JWSVerifier(keys: keys, allowedAlgorithms: [.es256]).verify(jws) } catch {
            throw ExchangedTokenError(.signatureInvalid, at: .signature, "\(error)")
        }
        details.append("J2 passed: ES256 under \(jws.keyID ?? "the only key")")
        let claims = JWTClaims(jws.claims)
        func read<T>(_ check: DownstreamCheck, _ body: () throws -> T) throws -> T {
            do { return try body() } catch { throw ExchangedTokenError(check == .lifetime ? .expired : .malformed, at: check, "\(error)") }
        }
        guard try read(.issuer, { try claims.issuer }) == issuer else {
            throw ExchangedTokenError(.issuerMismatch, at: .issuer, "iss is not \(issuer)")
        }
        details.append("J3 passed: issued by \(issuer)")
        guard let exp = try read(.lifetime, { try claims.expiration }) else { throw ExchangedTokenError(.expired, at: .lifetime, "no exp") }
        guard exp > now else { throw ExchangedTokenError(.expired, at: .lifetime, "expired at \(exp)") }
        if let nbf = try read(.lifetime, { try claims.notBefore }), nbf > now {
            throw ExchangedTokenError(.notYetValid, at: .lifetime, "not valid before \(nbf)")
        }
        if let iat = try read(.lifetime, { try claims.issuedAt }), iat > now {
            throw ExchangedTokenError(.notYetValid, at: .lifetime, "issued in the future (\(iat))")
        }
        details.append("J4 passed: valid at \(now)")
        let aud = try read(.audience) { try claims.audience } ?? []
        guard aud.contains(issuer) else { throw ExchangedTokenError(.audienceMismatch, at: .audience, "aud \(aud) does not contain \(issuer)") }
        details.append("J5 passed: aud contains \(issuer)")

        guard let subject = try read(.parse, { try claims.subject }) else { throw ExchangedTokenError(.malformed, at: .parse, "no sub") }
        let depth: Int64
        do { depth = try claims.delegationDepth ?? 0 } catch {
            throw ExchangedTokenError(.actorChainInvalid, at: .actorChain, "delegation_depth: \(error)")
        }
        let actors: [String]
        do { actors = try claims.actorChain ?? [] } catch { throw ExchangedTokenError(.actorChainInvalid, at: .actorChain, "\(error)") }
        let rfc8693 = claims.object["principal_type"] != nil
        if !flaws.contains(.skipActDepth) {
            guard (try? claims.object.string("mission_id")) != nil else {
                throw ExchangedTokenError(.actorChainInvalid, at: .actorChain, "no string mission_id")
            }
            let expected: Int64
            if rfc8693 {
                expected = min(depth, 16)
            } else if compatibility == .zeroid {
                expected = depth == 0 ? 0 : 1
            } else {
                expected = depth == 0 ? 0 : min(depth + 1, 16)
            }
            guard Int64(actors.count) == expected else {
                // ZeroID f08f979's legacy act names only the immediate delegator: say how to read it that way.
                let hint =
                    !rfc8693 && compatibility == .spec && actors.count == 1 && depth > 1
                    ? "; ZeroID f08f979's legacy act names only the immediate delegator (compatibility zeroid)" : ""
                throw ExchangedTokenError(
                    .actorChainInvalid, at: .actorChain,
                    "\(actors.count) act levels, but delegation_depth \(depth) means \(expected) (\(rfc8693 ? "rfc8693" : "legacy") profile)\(hint)")
            }
            if !rfc8693, compatibility == .spec, let current = actors.first, current != subject {
                throw ExchangedTokenError(.actorChainInvalid, at: .actorChain, "the outermost actor \(current) is not sub \(subject)")
            }
            guard Set(actors).count == actors.count, !(rfc8693 && actors.contains(subject)) else {
                throw ExchangedTokenError(.actorChainInvalid, at: .actorChain, "an actor appears twice in \(actors)")
            }
            details.append("J6 passed: act chain \(actors) consistent with delegation_depth \(depth)")
        }
        if !refusedMissions.isEmpty {
            let mission = try? claims.object.string("mission_id")
            if let mission, refusedMissions.contains(mission) {
                throw ExchangedTokenError(.actorChainInvalid, at: .actorChain, "mission \(mission) is refused by this verifier")
            }
            details.append("J6 passed: mission \(mission ?? "(none)") is not refused")
        }
        if let maxDepth {
            guard depth <= maxDepth else { throw ExchangedTokenError(.depthExceeded, at: .depth, "delegation_depth \(depth) exceeds \(maxDepth)") }
            details.append("J7 passed: delegation_depth \(depth) ≤ \(maxDepth)")
        }
        let scopes = try read(.scope) { try claims.scopes } ?? []
        if let scope = try read(.scope, { try claims.scope }), Set(scope) != Set(scopes) {
            throw ExchangedTokenError(.scopeInsufficient, at: .scope, "scope \(scope) and scopes \(scopes) disagree")
        }
        if let requiredScope {
            guard scopes.contains(requiredScope) else {
                throw ExchangedTokenError(.scopeInsufficient, at: .scope, "\(requiredScope) is not among \(scopes)")
            }
            details.append("J8 passed: \(requiredScope) granted")
        }
        let holder = rfc8693 ? (actors.first ?? subject) : subject
        return VerifiedExchangedToken(
            subject: subject, holder: holder, principal: rfc8693 ? subject : nil, actors: actors, scopes: scopes, depth: depth, claims: claims)
    }
}
