import AIP
import AIPJWT
import BatonCrypto
import BatonHarness
import BatonModel
import JOSE

/// The attacks on AIP JWT chains, carried out on real links: dropped, reordered, repeated or
/// spliced links keep their real signatures; appended links are really signed (by the holder of
/// the leaf's key unless the scenario names another signer); rewritten links are really re-signed
/// or keep a signature over other bytes.
enum JWTChainAttack: ForgeAttack, Hashable {
    case dropLink(Int)
    /// Keep only the first N links: a prefix of a longer chain, with wider authority.
    case truncate(Int)
    case reorder([Int])
    /// Repeat link N at the end.
    case duplicateLink(Int)
    /// Replace link N by link M of another token.
    case splice(link: Int, token: String, fromLink: Int)
    case appendLink(AppendLink)
    /// Rewrite one link's header or claims, and sign it as the forgery says.
    case rewriteLink(link: Int, JWTForgery)

    /// A link appended by the attacker.
    struct AppendLink: Hashable, Sendable {
        var delegate: String?
        var tools: [String]?
        var budgetCents: Int64?
        var expiresIn: Int64?
        var principal: String?
        /// nil: no `aip_ctx` at all.
        var context: String?
        var maxDepth: Int64?
        /// Whose key signs; nil: the holder of the leaf's `cnf` key.
        var signer: String?
        /// `iss` of the link; nil: the leaf's `sub`.
        var issuer: String?
        /// A `prev` that is not the previous link's hash.
        var wrongPrevious = false
    }

    static let appendNames = [
        "append_link", "widen_scope", "raise_budget", "extend_expiry", "substitute_principal", "empty_context", "drop_context",
        "exceed_depth", "redirect", "impersonate_delegator",
    ]
    static let names = appendNames + ["drop_link", "truncate", "reorder", "duplicate_link", "splice_link", "rewrite_link"]

    func forge(_ source: String, run: StepRun) throws -> String {
        var segments = source.split(separator: JWTChainFormat.separator, omittingEmptySubsequences: false).map(String.init)
        func check(_ i: Int) throws {
            guard segments.indices.contains(i) else { throw ForgeFailure("the chain has no link \(i) (\(segments.count) links)") }
        }
        switch self {
        case let .dropLink(i):
            try check(i)
            segments.remove(at: i)
        case let .truncate(n):
            guard n >= 1, n <= segments.count else { throw ForgeFailure("cannot keep \(n) of \(segments.count) links") }
            segments = Array(segments.prefix(n))
        case let .reorder(order):
            guard order.sorted() == Array(segments.indices) else {
                throw ForgeFailure("order \(order) is not a permutation of \(Array(segments.indices))")
            }
            segments = order.map { segments[$0] }
        case let .duplicateLink(i):
            try check(i)
            segments.append(segments[i])
        case let .splice(i, name, j):
            try check(i)
            guard let other = run.state.tokens[name] else { throw ForgeFailure("no token \(name)") }
            let links = other.split(separator: JWTChainFormat.separator).map(String.init)
            guard links.indices.contains(j) else { throw ForgeFailure("\(name) has no link \(j)") }
            segments[i] = links[j]
        case let .appendLink(spec):
            segments.append(try appended(spec, to: segments, run: run))
        case let .rewriteLink(i, forgery):
            try check(i)
            segments[i] = try JWTForger(state: run.state, salt: "\(run.scenario.id):\(run.index)").apply(forgery, to: segments[i])
        }
        return segments.joined(separator: String(JWTChainFormat.separator))
    }

    func appended(_ spec: AppendLink, to segments: [String], run: StepRun) throws -> String {
        guard let last = segments.last, let leaf = (try? JWS.parse(last)).flatMap({ try? JWTChainLink(claims: $0.claims) }) else {
            throw ForgeFailure("the source is not a JWT chain")
        }
        let state = run.state
        let signerKey: Ed25519.PrivateKey
        if let signer = spec.signer {
            signerKey = state.key(signer, salt: "\(run.scenario.id):\(run.index)")
        } else {
            guard let holder = run.scenario.agents.first(where: { state.key($0).publicKey == leaf.holderKey }) else {
                throw ForgeFailure("no agent of the scenario holds the leaf's key")
            }
            signerKey = state.key(holder)
        }
        let delegate = spec.delegate.map(state.identity) ?? leaf.delegate
        let holderName = spec.delegate ?? run.scenario.agents.first { state.identity($0) == leaf.delegate } ?? "random"
        var claims: JSONObject = [
            "iss": .string(spec.issuer.map(state.identity) ?? leaf.delegate), "sub": .string(delegate), "iat": .int(run.now),
            "jti": .string("forged-\(run.index)"),
            JWTChainLink.Claim.previous: .string(spec.wrongPrevious ? "AAAA" : JWTChainLink.previousHash(of: segments[segments.count - 1])),
            JWTChainLink.Claim.confirmation: JWTChainLink.confirmation(state.key(holderName, salt: "\(run.scenario.id)").publicKey),
        ]
        if let c = spec.context { claims[JWTChainLink.Claim.context] = .string(c) }
        if let t = spec.tools { claims[JWTChainLink.Claim.tools] = .array(t.map(JSONValue.string)) }
        if let b = spec.budgetCents { claims[JWTChainLink.Claim.budgetCents] = .int(b) }
        if let e = spec.expiresIn { claims["exp"] = .int(run.now + e) }
        if let p = spec.principal { claims[JWTChainLink.Claim.principal] = .string(p) }
        if let d = spec.maxDepth { claims[JWTChainLink.Claim.maxDepth] = .int(d) }
        return try JWS.sign(header: ["typ": .string(JWTChainFormat.linkType)], claims: claims, key: .ed25519(signerKey)).compact
    }

    /// Links before the one attacked were made by the honest issuers.
    func honestHops(sourceHops: Int) -> Int {
        switch self {
        case .appendLink, .truncate: return sourceHops
        case let .dropLink(i), let .splice(i, _, _), let .rewriteLink(i, _): return min(sourceHops, max(0, i - 1))
        case let .duplicateLink(i): return min(sourceHops, max(0, i))
        case .reorder: return 0
        }
    }

    static func parse(_ name: String, _ f: YAMLField, context: ScenarioContext) throws -> JWTChainAttack {
        let common = ForgeStep.commonKeys
        func agent(_ key: String) throws -> String? {
            guard let v = try f[key].optionalString() else { return nil }
            try context.agent(v, f[key])
            return v
        }
        switch name {
        case "drop_link":
            try f.rejectUnknownKeys(common.union(["link"]))
            return .dropLink(try f["link"].int())
        case "truncate":
            try f.rejectUnknownKeys(common.union(["links"]))
            return .truncate(try f["links"].int())
        case "reorder":
            try f.rejectUnknownKeys(common.union(["order"]))
            return .reorder(try f["order"].items().map { try $0.int() })
        case "duplicate_link":
            try f.rejectUnknownKeys(common.union(["link"]))
            return .duplicateLink(try f["link"].int())
        case "splice_link":
            try f.rejectUnknownKeys(common.union(["link", "with", "with_link"]))
            let other = try f["with"].string()
            try context.token(other, f["with"])
            return .splice(link: try f["link"].int(), token: other, fromLink: try f["with_link"].optionalInt() ?? (try f["link"].int()))
        case "rewrite_link":
            let link = try f["link"].int()
            let forgery = try JWTAttack.parseForgery(f, context: context, extraKeys: ["link"])
            return .rewriteLink(link: link, forgery)
        default:
            try f.rejectUnknownKeys(
                common.union(["delegate", "tools", "budget_cents", "expires_in", "principal", "context", "max_depth", "signer", "iss", "wrong_prev"]))
            let context: String? =
                f["context"].node != nil ? try f["context"].optionalString() ?? "" : (name == "drop_context" ? nil : "forged by the holder")
            return .appendLink(
                AppendLink(
                    delegate: try agent("delegate"), tools: f["tools"].exists ? try f["tools"].strings() : nil,
                    budgetCents: try f["budget_cents"].optionalInt().map(Int64.init), expiresIn: try f["expires_in"].optionalInt().map(Int64.init),
                    principal: try f["principal"].optionalString(), context: name == "empty_context" && f["context"].node == nil ? "" : context,
                    maxDepth: try f["max_depth"].optionalInt().map(Int64.init), signer: try agent("signer"), issuer: try agent("iss"),
                    wrongPrevious: try f["wrong_prev"].optionalBool() ?? false))
        }
    }

    var description: String {
        switch self {
        case let .dropLink(i): return "drop link \(i)"
        case let .truncate(n): return "keep only the first \(n) link(s)"
        case let .reorder(order): return "reorder links as \(order)"
        case let .duplicateLink(i): return "repeat link \(i) at the end"
        case let .splice(i, name, j): return "replace link \(i) by link \(j) of \(name)"
        case let .rewriteLink(i, forgery): return "link \(i): \(forgery.description)"
        case let .appendLink(a):
            var parts = ["append a link"]
            if let d = a.delegate { parts.append("to \(d)") }
            if let i = a.issuer { parts.append("iss \(i)") }
            parts.append(a.context.map { "context \"\($0)\"" } ?? "no context")
            if let t = a.tools { parts.append("tools \(t)") }
            if let b = a.budgetCents { parts.append("budget \(b)") }
            if let e = a.expiresIn { parts.append("expires in \(e)s") }
            if let p = a.principal { parts.append("principal \(p)") }
            if let d = a.maxDepth { parts.append("aip_max_depth \(d)") }
            if a.wrongPrevious { parts.append("a wrong prev") }
            parts.append(a.signer.map { "signed by \($0)'s key" } ?? "signed with the leaf holder's key")
            return parts.joined(separator: ", ")
        }
    }
}
