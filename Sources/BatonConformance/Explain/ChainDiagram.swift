import AIP
import BatonCrypto
import BatonRuntime
import Biscuit

/// Draws an AIP chained token as text: one line per hop, who delegated to whom,
/// why, and with what authority — read structurally, without verifying.
public enum ChainDiagram {
    public static func lines(name: String, token text: String) -> [String] {
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

    /// An agent's name for display: the scenario domain's prefix dropped.
    public static func short(_ id: String?) -> String {
        guard let id else { return "?" }
        if id.hasPrefix("aip:web:acme.com/") { return String(id.dropFirst("aip:web:acme.com/".count)) }
        return id
    }
}

extension String {
    func replacingNewlines() -> String { split(separator: "\n").joined(separator: " ") }
}
