import BatonCrypto
import BatonHarness
import BatonModel

/// The attacks on AIP chained tokens (Biscuit): blocks appended, re-signed, dropped, reordered,
/// tampered with. `BiscuitForger` carries them out on real token bytes.
enum BiscuitAttack: ForgeAttack, Hashable {
    /// Append a block as any holder can (signed with the proof key), or as a third-party block
    /// signed by `signedBy`'s key. The named forms (`widen_scope`, `redirect` …) are appends.
    case append(AppendBlock)
    /// Flip one bit of a block's serialized Datalog, keeping its signature.
    case tamperPayload(block: Int, offset: Int, bit: Int)
    /// Flip one bit of the serialized token.
    case flipTokenBit(offset: Int, bit: Int)
    /// Re-sign a block with another agent's key (or a random one).
    case resign(block: Int, key: String)
    case dropBlock(Int)
    case truncate(Int)
    case reorder([Int])
    case duplicateBlock(Int)
    /// Re-sign the whole chain under another key.
    case substituteRoot(key: String)
    /// Replace a block's Datalog and re-sign from there on with `signer`'s key.
    case rewriteBlock(block: Int, datalog: String, signer: String)
    /// Replace a block's signature with an empty one.
    case stripSignature(block: Int)
    case seal
    /// Append a provenance block (aip-provenance): a completion, a counter-signature or an
    /// attestation, as its holder (proof key) or as a third-party block signed by `signedBy`.
    case provenance(ProvenanceBlock)
    /// Append a delegation block without holding the token's proof (what a holder of a sealed
    /// token, or anyone who captured a token, might try), signed by `signer`'s key.
    case appendWithoutProof(AppendBlock, signer: String)
    /// Flip one bit of a third-party block's external signature.
    case tamperExternalSignature(block: Int)

    struct AppendBlock: Hashable, Sendable {
        var delegator: String?
        var delegate: String?
        /// nil: no context fact at all.
        var context: String?
        var scopes: [String]?
        var budgetCents: Int64?
        var expiresIn: Int64?
        var principal: String?
        /// Extra raw Datalog appended to the block (rules, odd checks …).
        var datalog: String?
        /// When set, a third-party block signed by this agent's key.
        var signedBy: String?
    }

    struct ProvenanceBlock: Hashable, Sendable {
        var kind: String
        /// Facts in order: name and value (string, integer or boolean).
        var facts: [Field]
        /// When set, a third-party block signed by this agent's key.
        var signedBy: String?

        struct Field: Hashable, Sendable {
            var name: String
            var value: Value
            enum Value: Hashable, Sendable {
                case string(String)
                case integer(Int64)
                case bool(Bool)
                /// An agent's identity (resolved when the block is made).
                case agent(String)
                /// The delegator of the chain's last delegation block.
                case lastDelegator
            }
        }
    }

    func forge(_ source: String, run: StepRun) throws -> String {
        try BiscuitForger(state: run.state, salt: "\(run.scenario.id):\(run.index)").apply(self, to: source)
    }

    /// How many leading hops of the forged token are still as the honest issuers made them, given
    /// the source token's hop count (hop i is block i + 1). Attacks that alter a token in place
    /// without a known position keep every hop (the report then flags the token as a whole).
    func honestHops(sourceHops: Int) -> Int {
        switch self {
        case .append, .flipTokenBit, .truncate, .seal, .provenance, .appendWithoutProof: return sourceHops
        case let .tamperExternalSignature(block): return min(sourceHops, max(0, block - 1))
        case let .tamperPayload(block, _, _), let .resign(block, _), let .rewriteBlock(block, _, _), let .stripSignature(block):
            return min(sourceHops, max(0, block - 1))
        case let .dropBlock(i): return min(sourceHops, max(0, i - 1))
        case let .duplicateBlock(i): return min(sourceHops, max(0, i))
        case .reorder, .substituteRoot: return 0
        }
    }

    /// The names an `append` goes by, each a holder appending a block that claims something.
    static let appendNames = [
        "append", "widen_scope", "raise_budget", "empty_context", "drop_context", "impersonate_delegator", "redirect",
        "extend_expiry", "expired_block", "exceed_depth", "substitute_principal", "inject_rule",
    ]

    static let names =
        appendNames + [
            "tamper_payload", "flip_token_bit", "resign", "drop_block", "truncate", "reorder", "duplicate_block",
            "substitute_root", "rewrite_block", "strip_signature", "seal", "complete", "countersign", "attest", "append_without_proof",
            "tamper_external_signature",
        ]

    static func parse(_ name: String, _ f: YAMLField, context: ScenarioContext) throws -> BiscuitAttack {
        let common = ForgeStep.commonKeys
        func agentOrID(_ key: String) throws -> String? {
            guard let v = try f[key].optionalString() else { return nil }
            try context.agent(v, f[key])
            return v
        }
        switch name {
        case "tamper_payload":
            try f.rejectUnknownKeys(common.union(["block", "offset", "bit"]))
            return .tamperPayload(block: try f["block"].int(), offset: try f["offset"].optionalInt() ?? 10, bit: try f["bit"].optionalInt() ?? 0)
        case "flip_token_bit":
            try f.rejectUnknownKeys(common.union(["offset", "bit"]))
            return .flipTokenBit(offset: try f["offset"].int(), bit: try f["bit"].optionalInt() ?? 0)
        case "resign":
            try f.rejectUnknownKeys(common.union(["block", "key"]))
            return .resign(block: try f["block"].int(), key: try agentOrID("key") ?? "random")
        case "drop_block":
            try f.rejectUnknownKeys(common.union(["block"]))
            return .dropBlock(try f["block"].int())
        case "truncate":
            try f.rejectUnknownKeys(common.union(["blocks"]))
            return .truncate(try f["blocks"].int())
        case "reorder":
            try f.rejectUnknownKeys(common.union(["order"]))
            return .reorder(try f["order"].items().map { try $0.int() })
        case "duplicate_block":
            try f.rejectUnknownKeys(common.union(["block"]))
            return .duplicateBlock(try f["block"].int())
        case "substitute_root":
            try f.rejectUnknownKeys(common.union(["key"]))
            return .substituteRoot(key: try agentOrID("key") ?? "random")
        case "rewrite_block":
            try f.rejectUnknownKeys(common.union(["block", "datalog", "signer"]))
            return .rewriteBlock(block: try f["block"].int(), datalog: try f["datalog"].string(), signer: try agentOrID("signer") ?? "random")
        case "strip_signature":
            try f.rejectUnknownKeys(common.union(["block"]))
            return .stripSignature(block: try f["block"].int())
        case "seal":
            try f.rejectUnknownKeys(common)
            return .seal
        case "tamper_external_signature":
            try f.rejectUnknownKeys(common.union(["block"]))
            return .tamperExternalSignature(block: try f["block"].int())
        case "complete", "countersign", "attest":
            return .provenance(try parseProvenance(name, f, agentOrID: agentOrID))
        case "append_without_proof":
            try f.rejectUnknownKeys(common.union(["delegator", "delegate", "context", "scopes", "signer"]))
            return .appendWithoutProof(
                AppendBlock(
                    delegator: try agentOrID("delegator"), delegate: try agentOrID("delegate"),
                    context: try f["context"].optionalString() ?? "forged by the holder",
                    scopes: f["scopes"].exists ? try f["scopes"].strings() : nil),
                signer: try agentOrID("signer") ?? "random")
        default:
            // Every other attack appends a block as a token holder would.
            try f.rejectUnknownKeys(
                common.union(["delegator", "delegate", "context", "scopes", "budget_cents", "expires_in", "principal", "datalog", "signed_by"]))
            // An explicit `context:` (even empty) is used as is; `drop_context` omits the fact.
            let context: String? =
                f["context"].node != nil ? try f["context"].optionalString() ?? "" : (name == "drop_context" ? nil : "forged by the holder")
            return .append(
                AppendBlock(
                    delegator: try agentOrID("delegator"), delegate: try agentOrID("delegate"), context: context,
                    scopes: f["scopes"].exists ? try f["scopes"].strings() : nil,
                    budgetCents: try f["budget_cents"].optionalInt().map(Int64.init),
                    expiresIn: try f["expires_in"].optionalInt().map(Int64.init),
                    principal: try f["principal"].optionalString(), datalog: try f["datalog"].optionalString(),
                    signedBy: try agentOrID("signed_by")))
        }
    }

    /// `complete`, `countersign`, `attest`: the fields of aip-provenance §2.2 and §3.2, each with a
    /// default an honest agent would write; a field given as `null` is left out.
    static func parseProvenance(
        _ name: String, _ f: YAMLField, agentOrID: (String) throws -> String?
    ) throws -> ProvenanceBlock {
        typealias Field = ProvenanceBlock.Field
        var fields: [Field] = []
        /// A string field: the scenario's value, the default when absent, nothing when `null`.
        func text(_ key: String, _ fallback: Field.Value?) throws {
            if f[key].node != nil {
                if let v = try f[key].optionalString() { fields.append(Field(name: key, value: .string(v))) }
            } else if let fallback {
                fields.append(Field(name: key, value: fallback))
            }
        }
        func integer(_ key: String) throws {
            if let v = try f[key].optionalInt() { fields.append(Field(name: key, value: .integer(Int64(v)))) }
        }
        func party(_ key: String, _ fallback: Field.Value?) throws {
            if f[key].node != nil {
                if let v = try agentOrID(key) { fields.append(Field(name: key, value: .agent(v))) }
            } else if let fallback {
                fields.append(Field(name: key, value: fallback))
            }
        }
        let common = ForgeStep.commonKeys.union(["signed_by"])
        switch name {
        case "complete":
            try f.rejectUnknownKeys(
                common.union(["status", "result_hash", "verification_status", "tokens_used", "cost_usd", "duration_ms", "ldp_provenance_id"]))
            try text("status", .string("completed"))
            try text("result_hash", .string("sha256:" + Hex.encode(SHA256.hash("the work's result"))))
            try text("verification_status", .string("self_reported"))
            try integer("tokens_used")
            try text("cost_usd", nil)
            try integer("duration_ms")
            try text("ldp_provenance_id", nil)
        case "countersign":
            try f.rejectUnknownKeys(common.union(["verified", "verifier"]))
            if f["verified"].node != nil {
                if let v = try f["verified"].optionalBool() { fields.append(Field(name: "verified", value: .bool(v))) }
            } else {
                fields.append(Field(name: "verified", value: .bool(true)))
            }
            try party("verifier", .lastDelegator)
        default:
            try f.rejectUnknownKeys(common.union(["attester", "verification_status"]))
            try party("attester", nil)
            try text("verification_status", .string("human_verified"))
        }
        let kind = ["complete": "completion", "countersign": "counter-signature"][name] ?? "attestation"
        return ProvenanceBlock(kind: kind, facts: fields, signedBy: try agentOrID("signed_by"))
    }

    /// A one-line account of the attack, for traces.
    var description: String {
        switch self {
        case let .append(a):
            var parts = ["append a block"]
            if let d = a.delegator { parts.append("delegator \(d)") }
            if let d = a.delegate { parts.append("delegate \(d)") }
            parts.append(a.context.map { "context \"\($0)\"" } ?? "no context")
            if let s = a.scopes { parts.append("scopes \(s)") }
            if let b = a.budgetCents { parts.append("budget \(b)") }
            if let e = a.expiresIn { parts.append("expires in \(e)s") }
            if let p = a.principal { parts.append("principal \(p)") }
            if let d = a.datalog { parts.append("datalog `\(d.split(separator: "\n").joined(separator: " "))`") }
            parts.append(a.signedBy.map { "third-party, signed by \($0)" } ?? "signed with the holder's proof key")
            return parts.joined(separator: ", ")
        case let .tamperPayload(block, offset, bit): return "flip bit \(bit) of byte \(offset) in block \(block)'s Datalog"
        case let .flipTokenBit(offset, bit): return "flip bit \(bit) of byte \(offset) of the token"
        case let .resign(block, key): return "re-sign block \(block) with \(key)'s key"
        case let .dropBlock(i): return "drop block \(i)"
        case let .truncate(n): return "keep only the first \(n) block(s)"
        case let .reorder(order): return "reorder blocks as \(order)"
        case let .duplicateBlock(i): return "repeat block \(i) at the end"
        case let .substituteRoot(key): return "re-sign the whole chain under \(key)'s key"
        case let .rewriteBlock(block, datalog, signer): return "rewrite block \(block) as `\(datalog)` signed by \(signer)"
        case let .stripSignature(block): return "remove block \(block)'s signature"
        case .seal: return "seal the token"
        case let .provenance(p):
            let fields = p.facts.map { field -> String in
                switch field.value {
                case let .string(v): return "\(field.name) \"\(v)\""
                case let .integer(v): return "\(field.name) \(v)"
                case let .bool(v): return "\(field.name) \(v)"
                case let .agent(v): return "\(field.name) \(v)"
                case .lastDelegator: return "\(field.name) the last delegator"
                }
            }
            return "append a \(p.kind) block (\(fields.joined(separator: ", ")))"
                + (p.signedBy.map { ", third-party, signed by \($0)" } ?? ", signed with the holder's proof key")
        case let .appendWithoutProof(a, signer):
            return "append a block delegating to \(a.delegate ?? "the holder") without the token's proof, signed by \(signer)'s key"
        case let .tamperExternalSignature(block): return "flip a bit of block \(block)'s third-party signature"
        }
    }
}
