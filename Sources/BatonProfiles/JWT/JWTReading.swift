import BatonAudit
import BatonHarness
import BatonModel
import BatonRuntime
import JOSE
import TokenExchange

/// Reads and draws the JWTs of the JWT profiles (compact AIP tokens, token-exchange tokens)
/// structurally, without verifying them.
enum JWTReading {
    /// The delegation chain a JWT records: in the agent-subject layout the immediate delegator
    /// and `principal`; in RFC 8693's the nested `act` chain (current actor outermost) with
    /// `sub` as the person. Its revocation id is its `jti`.
    static func chain(_ token: String) -> ChainReading {
        guard let jws = try? JWS.parse(token) else { return ChainReading() }
        let claims = JWTClaims(jws.claims)
        var r = ChainReading()
        let sub = (try? claims.subject) ?? nil
        let actors = (try? claims.actorChain) ?? []
        let layout = ClaimLayout(of: claims) ?? .rfc8693
        let scopes = (try? layout.scopes(in: claims)) ?? []
        r.principal = (try? layout.principal(subject: sub, claims: claims)) ?? nil
        switch layout {
        case .agentSubject:
            // sub holds the token, act names who delegated to it.
            r.issuer = sub
            if let delegator = actors.first, let sub {
                r.issuer = delegator
                r.hops = [.init(delegator: delegator, delegate: sub, scopes: scopes, context: nil)]
            }
        case .rfc8693:
            // Actors current-first; the last is the agent the person authorized.
            let ordered = Array(actors.reversed())
            r.hops = zip(ordered, ordered.dropFirst()).map { AuditRecord.Hop(delegator: $0, delegate: $1, scopes: scopes, context: nil) }
            r.issuer = ordered.first
        }
        if let jti = try? claims.jwtID { r.revocationIDs = [jti] }
        return r
    }

    /// A JWT drawn as text: algorithm and type, then who holds it, for whom, through which actors.
    static func describe(token: String, name: String) -> [String]? {
        guard token.hasPrefix("eyJ"), let jws = try? JWS.parse(token) else { return nil }
        let claims = JWTClaims(jws.claims)
        var parts = ["alg \(jws.algorithmName ?? "?")"]
        if let t = jws.type { parts.append("typ \(t)") }
        var out = ["\(name): JWT [" + parts.joined(separator: " · ") + "]"]
        let sub = AgentName.short((try? claims.subject) ?? nil)
        if jws.type == "aip+jwt" {
            out.append(
                "  \(AgentName.short((try? claims.issuer) ?? nil)) ──▶ \(sub)  [scope \(jws.claims["scope"]?.canonicalString ?? "?")"
                    + (jws.claims["budget_usd"].map { " · budget $\($0.canonicalString)" } ?? "") + "]")
            return out
        }
        if let actors = try? claims.actorChain {
            out.append("  sub \(sub), actors (current first): " + actors.map { AgentName.short($0) }.joined(separator: " ← "))
        } else if (try? claims.subject) != nil {
            out.append("  sub \(sub), no act")
        }
        var facts: [String] = []
        if let scopes = try? claims.grantedScopes { facts.append("scopes \(scopes)") }
        if let d = try? claims.delegationDepth { facts.append("delegation_depth \(d)") }
        if let aud = try? claims.audience { facts.append("aud \(aud.map { AgentName.short($0) })") }
        if let exp = try? claims.expiration { facts.append("until \(VirtualClock.format(exp))") }
        if !facts.isEmpty { out.append("  [" + facts.joined(separator: " · ") + "]") }
        return out
    }
}
