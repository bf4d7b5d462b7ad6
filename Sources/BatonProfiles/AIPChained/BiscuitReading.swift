import AIP
import BatonAudit
import BatonCrypto
import BatonHarness
import BatonModel
import BatonRuntime
import Biscuit

/// Reads and draws AIP chained tokens structurally, without verifying them.
enum BiscuitReading {
    static func token(_ text: String) -> BiscuitToken? {
        try? BiscuitToken(bytes: BiscuitToken.decodeBase64(text))
    }

    /// The chain as the audit trail records it: principal, issuer, one hop per delegation block,
    /// and the revocation ids of every block.
    static func chain(_ text: String) -> ChainReading {
        guard let parsed = token(text) else { return ChainReading() }
        var r = ChainReading(revocationIDs: parsed.revocationIds.map(Hex.encode))
        if let blocks = try? parsed.decodedBlocks(), let chain = try? AIPChain(blocks: blocks, strict: false) {
            r.principal = chain.principal
            r.issuer = chain.links.first?.identity
            r.budgets = chain.links.map(\.budgetCents)
            var scopes = chain.links.first?.scopes?.patterns ?? []
            for link in chain.delegations {
                if let s = link.scopes { scopes = s.patterns }
                r.hops.append(.init(delegator: link.delegator ?? "?", delegate: link.delegate ?? "?", scopes: scopes, context: link.context))
            }
        }
        return r
    }

    /// One line per hop: who delegated to whom, why, and with what authority.
    static func describe(_ text: String, name: String) -> [String] {
        guard let token = token(text) else {
            return ["\(name): not a Biscuit token (\(text.prefix(24))…)"]
        }
        guard let blocks = try? token.decodedBlocks() else {
            return ["\(name): \(token.blockCount) block(s), Datalog undecodable"]
        }
        var out = ["\(name): \(token.blockCount) block(s)\(token.isSealed ? ", sealed" : "")"]
        for (i, block) in blocks.enumerated() {
            guard let link = try? ChainLink(block: block, index: i, strict: false) else {
                let source = DatalogPrinter.printBlock(block.source, includingScopes: true).split(separator: "\n").joined(separator: " ")
                out.append("  #\(i) (non-canonical) \(source)")
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
                who = "authority by \(AgentName.short(link.identity))"
            } else if link.kind.isProvenance {
                let fields = [
                    link.status.map { "status \($0)" }, link.resultHash.map { "result \($0.prefix(19))…" },
                    link.verificationStatus.map { "verification \($0)" }, link.verifier.map { "verifier \(AgentName.short($0))" },
                    link.attester.map { "attester \(AgentName.short($0))" },
                ].compactMap { $0 }
                who =
                    "\(link.kind.rawValue): \(fields.joined(separator: ", "))" + (link.signer.map { "  signed by \($0.text.prefix(20))…" } ?? "")
            } else {
                who =
                    "\(AgentName.short(link.delegator)) ──▶ \(AgentName.short(link.delegate))  \"\(link.context ?? "")\""
                    + (link.signer.map { "  signed by \($0.text.prefix(20))…" } ?? "")
            }
            out.append("  #\(i) \(who)" + (parts.isEmpty ? "" : "  [" + parts.joined(separator: " · ") + "]"))
        }
        return out
    }
}
