import AIP
import BatonCrypto
import BatonRuntime
import Biscuit
import JOSE

/// Draws a token as text: for AIP chained tokens one line per hop, who delegated to whom,
/// why, and with what authority; for JWTs who holds it, for whom, through which actors —
/// read structurally, without verifying.
public enum ChainDiagram {
    public static func lines(name: String, token text: String) -> [String] {
        if text.hasPrefix("eyJ"), let jws = try? JWS.parse(text) { return jwtLines(name: name, jws) }
        guard let token = try? BiscuitToken(bytes: BiscuitToken.decodeBase64(text)) else {
            return ["\(name): not a Biscuit token (\(text.prefix(24))…)"]
        }
        guard let blocks = try? token.decodedBlocks() else {
            return ["\(name): \(token.blockCount) block(s), Datalog undecodable"]
        }
        var out = ["\(name): \(token.blockCount) block(s)\(token.isSealed ? ", sealed" : "")"]
        for (i, block) in blocks.enumerated() {
            guard let link = try? ChainLink(block: block, index: i, strict: false) else {
                out.append("  #\(i) (non-canonical) \(DatalogPrinter.printBlock(block.source, includingScopes: true).replacingNewlines())")
                continue
            }
            var parts: [String] = []
            if let s = link.scopes { parts.append("scopes \(s)") }
            if let b = link.budgetCents { parts.append("budget \(b)¢") }
            if let d = link.maxDepth { parts.append("max_depth \(d)") }
            if let e = link.expiry { parts.append("until \(VirtualClock.format(Int64(e)))") }
            if let p = link.principal { parts.append("principal \(p)") }
            let who: String
            if i == 0 {
                who = "authority by \(short(link.identity))"
            } else {
                who = "\(short(link.delegator)) ──▶ \(short(link.delegate))  \"\(link.context ?? "")\""
                    + (link.signer.map { "  signed by \($0.text.prefix(20))…" } ?? "")
            }
            out.append("  #\(i) \(who)" + (parts.isEmpty ? "" : "  [" + parts.joined(separator: " · ") + "]"))
        }
        return out
    }

    static func jwtLines(name: String, _ jws: JWS) -> [String] {
        let claims = JWTClaims(jws.claims)
        var parts = ["alg \(jws.algorithmName ?? "?")"]
        if let t = jws.type { parts.append("typ \(t)") }
        var out = ["\(name): JWT [" + parts.joined(separator: " · ") + "]"]
        let sub = short((try? claims.subject) ?? nil)
        if jws.type == "aip+jwt" {
            out.append("  \(short((try? claims.issuer) ?? nil)) ──▶ \(sub)  [scope \(jws.claims["scope"]?.canonicalString ?? "?")"
                       + (jws.claims["budget_usd"].map { " · budget $\($0.canonicalString)" } ?? "") + "]")
            return out
        }
        if let actors = try? claims.actorChain {
            out.append("  sub \(sub), actors (current first): " + actors.map { short($0) }.joined(separator: " ← "))
        } else if (try? claims.subject) != nil {
            out.append("  sub \(sub), no act")
        }
        var facts: [String] = []
        if let scopes = try? claims.grantedScopes { facts.append("scopes \(scopes)") }
        if let d = try? claims.delegationDepth { facts.append("delegation_depth \(d)") }
        if let aud = try? claims.audience { facts.append("aud \(aud.map { short($0) })") }
        if let exp = try? claims.expiration { facts.append("until \(VirtualClock.format(exp))") }
        if !facts.isEmpty { out.append("  [" + facts.joined(separator: " · ") + "]") }
        return out
    }

    /// An agent's name for display: the scenario domain's prefix dropped.
    public static func short(_ id: String?) -> String {
        guard let id else { return "?" }
        for prefix in ["aip:web:acme.com/", "spiffe://acme.com/acme/delegation/agent/"] where id.hasPrefix(prefix) {
            return String(id.dropFirst(prefix.count))
        }
        return id
    }
}

extension String {
    func replacingNewlines() -> String { split(separator: "\n").joined(separator: " ") }
}
