import AIP
import AIPJWT
import BatonAudit
import BatonCrypto
import BatonHarness
import BatonModel
import BatonRuntime
import JOSE

/// Reads and draws AIP JWT chains structurally, without verifying them.
enum JWTChainReading {
    /// The links of a chain (nil when a link does not parse), with each link's signature.
    static func links(_ token: String) -> [(link: JWTChainLink, signature: [UInt8])]? {
        (try? JWTChainLink.read(token))?.map { ($0.link, $0.jws.signature) }
    }

    /// The chain as the audit trail records it: one hop per delegation link, with the tools in force.
    static func chain(_ token: String) -> ChainReading {
        guard let links = links(token) else { return ChainReading() }
        var r = ChainReading(issuer: links[0].link.issuer, revocationIDs: links.map { Hex.encode($0.signature) })
        r.principal = links.lazy.compactMap(\.link.principal).first
        r.budgets = links.map(\.link.budgetCents)
        var tools = links[0].link.tools ?? []
        for (link, _) in links.dropFirst() {
            if let t = link.tools { tools = t }
            r.hops.append(.init(delegator: link.issuer, delegate: link.delegate, scopes: tools, context: link.context))
        }
        return r
    }

    /// One line per link: who delegated to whom, why, and with what authority.
    static func describe(_ token: String, name: String) -> [String] {
        guard let links = links(token) else { return ["\(name): not a JWT chain (\(token.prefix(24))…)"] }
        var out = ["\(name): JWT chain of \(links.count) link(s)"]
        for (i, (link, _)) in links.enumerated() {
            var parts: [String] = []
            if let t = link.tools { parts.append("tools \(t)") }
            if let b = link.budgetCents { parts.append("budget \(b)¢") }
            if let d = link.maxDepth { parts.append("max_depth \(d)") }
            if let e = link.expiry { parts.append("until \(VirtualClock.format(e))") }
            if let p = link.principal { parts.append("principal \(p)") }
            parts.append("holder key \(link.holderKey.hex.prefix(12))…")
            let context = i == 0 ? "" : "  \"\(link.context ?? "")\""
            out.append(
                "  #\(i) \(AgentName.short(link.issuer)) ──▶ \(AgentName.short(link.delegate))\(context)  [" + parts.joined(separator: " · ") + "]")
        }
        return out
    }
}
