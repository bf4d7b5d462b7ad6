import BatonRuntime
import Foundation
import JOSE
import Yams

/// Reads scenario files. Every mistake is a `ScenarioError` naming the file,
/// line, column and field; one broken file never hides the others.
public enum ScenarioLoader {
    /// The result of loading a tree: the scenarios, and the files that failed.
    public struct Catalog: Sendable {
        public var scenarios: [Scenario]
        public var errors: [ScenarioError]
    }

    /// Loads every `*.yaml` / `*.yml` under the given files or directories, sorted by path.
    public static func load(paths: [String], relativeTo root: String? = nil) -> Catalog {
        var files: [String] = []
        var errors: [ScenarioError] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                errors.append(ScenarioError(file: path, line: 0, column: 0, field: "", message: "no such file or directory"))
                continue
            }
            if isDir.boolValue {
                let items = (fm.enumerator(atPath: path)?.allObjects as? [String]) ?? []
                files += items.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        var scenarios: [Scenario] = []
        var seen: [String: String] = [:]
        for file in files.sorted() {
            let display = relative(file, to: root ?? paths.first ?? "")
            do {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                let scenario = try parse(text, file: display)
                if let other = seen[scenario.id] {
                    throw ScenarioError(file: display, line: scenario.line, column: 1, field: "id", message: "duplicate id '\(scenario.id)' (also in \(other))")
                }
                seen[scenario.id] = display
                scenarios.append(scenario)
            } catch let e as ScenarioError {
                errors.append(e)
            } catch {
                errors.append(ScenarioError(file: display, line: 0, column: 0, field: "", message: "cannot read: \(error)"))
            }
        }
        return Catalog(scenarios: scenarios.sorted { $0.id < $1.id }, errors: errors)
    }

    static func relative(_ file: String, to root: String) -> String {
        let base = root.hasSuffix("/") ? root : root + "/"
        guard !root.isEmpty, file.hasPrefix(base) else { return file }
        return String(file.dropFirst(base.count))
    }

    static let topLevelKeys: Set<String> = ["id", "title", "summary", "spec", "tags", "profile", "agents", "trust", "clock", "verifier", "steps", "expect", "token_service"]

    /// Token profiles scenarios can name.
    public static let profiles = ["aip-chained", "aip-compact", "token-exchange"]

    /// Parses one scenario document.
    public static func parse(_ text: String, file: String) throws -> Scenario {
        let doc = try YAMLField.document(text, file: file)
        try doc.rejectUnknownKeys(topLevelKeys)
        let id = try doc["id"].string()
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || "-_/.".contains($0) }) else {
            throw doc["id"].error("ids use letters, digits, '-', '_', '.' and '/'")
        }
        let agents = try doc["agents"].exists ? doc["agents"].strings() : ["orchestrator", "researcher", "writer"]
        guard !agents.isEmpty else { throw doc["agents"].error("at least one agent is needed") }
        for (i, name) in agents.enumerated() where !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) || name.isEmpty {
            throw try doc["agents"].items()[i].error("agent names use letters, digits, '-' and '_'")
        }
        var context = Context(agents: Set(agents))
        let trust = try doc["trust"].optionalString() ?? agents[0]
        try context.agent(trust, doc["trust"])
        let clockText = try doc["clock"].optionalString() ?? "2026-06-01T00:00:00Z"
        guard let clock = VirtualClock.parse(clockText) else { throw doc["clock"].error("expected an RFC 3339 time such as 2026-06-01T00:00:00Z") }
        let profile = try doc["profile"].optionalString() ?? "aip-chained"
        guard profiles.contains(profile) else {
            throw doc["profile"].error("unknown profile '\(profile)' (supported: \(profiles.joined(separator: ", ")))")
        }

        var verifier = VerifierSettings()
        let v = doc["verifier"]
        try v.rejectUnknownKeys(["require_signed_delegation", "registry", "revocation", "max_staleness", "max_depth"])
        verifier.maxDepth = try v["max_depth"].optionalInt().map(Int64.init)
        verifier.requireSignedDelegation = try v["require_signed_delegation"].optionalBool() ?? false
        verifier.registry = try v["registry"].optionalBool() ?? true
        verifier.revocation = try v["revocation"].optionalBool() ?? false
        verifier.maxStaleness = Int64(try v["max_staleness"].optionalInt() ?? 300)

        let tokenService = try parseTokenService(doc["token_service"], agents: Set(agents))
        if doc["token_service"].exists && profile != "token-exchange" {
            throw doc["token_service"].error("token_service applies to the token-exchange profile only")
        }

        let stepFields = try doc["steps"].items()
        guard !stepFields.isEmpty else { throw doc["steps"].error("a scenario needs at least one step") }
        var steps: [ScenarioStep] = []
        for field in stepFields { steps.append(try parseStep(field, &context)) }
        guard steps.contains(where: \.isCheckpoint) else {
            throw doc["steps"].error("no step is judged: add a mint, delegate, login, exchange, send or verify step")
        }
        for (i, step) in steps.enumerated() {
            if let only = step.action.onlyProfiles, !only.contains(profile) {
                throw stepFields[i].error("this step does not belong to the \(profile) profile (only to \(only.joined(separator: ", ")))")
            }
        }
        var scenario = Scenario(
            id: id, title: try doc["title"].string(), summary: try doc["summary"].optionalString(),
            spec: try doc["spec"].strings(), tags: try doc["tags"].strings(), profile: profile, file: file,
            line: doc["id"].line, agents: agents, trust: trust, clock: clock, verifier: verifier, steps: steps,
            expect: doc["expect"].exists ? try parseExpectation(doc["expect"]) : nil)
        scenario.tokenService = tokenService
        return scenario
    }

    static func parseTokenService(_ f: YAMLField, agents: Set<String>) throws -> TokenServiceSettings {
        var t = TokenServiceSettings()
        guard f.exists else { return t }
        try f.rejectUnknownKeys(["layout", "algorithm", "token_lifetime", "max_assertion_lifetime", "max_depth", "delegable_scopes", "agents"])
        t.layout = try f["layout"].optionalString() ?? t.layout
        guard ["agent-subject", "rfc8693"].contains(t.layout) else { throw f["layout"].error("layout is agent-subject or rfc8693") }
        t.algorithm = try f["algorithm"].optionalString() ?? t.algorithm
        guard ["EdDSA", "ES256"].contains(t.algorithm) else { throw f["algorithm"].error("algorithm is EdDSA or ES256") }
        t.tokenLifetime = Int64(try f["token_lifetime"].optionalInt() ?? Int(t.tokenLifetime))
        t.maxAssertionLifetime = Int64(try f["max_assertion_lifetime"].optionalInt() ?? Int(t.maxAssertionLifetime))
        t.maxDepth = Int64(try f["max_depth"].optionalInt() ?? Int(t.maxDepth))
        t.delegableScopes = f["delegable_scopes"].exists ? try f["delegable_scopes"].strings() : nil
        if f["agents"].exists {
            for name in try f["agents"].keys() {
                let a = f["agents"][name]
                guard agents.contains(name) else { throw a.error("unknown agent '\(name)'") }
                try a.rejectUnknownKeys(["scopes", "max_depth", "grant_types", "key", "registered"])
                t.agents[name] = .init(
                    scopes: a["scopes"].exists ? try a["scopes"].strings() : nil, maxDepth: try a["max_depth"].optionalInt().map(Int64.init),
                    grantTypes: a["grant_types"].exists ? try a["grant_types"].strings() : nil,
                    hasKey: try a["key"].optionalBool() ?? true, registered: try a["registered"].optionalBool() ?? true)
            }
        }
        return t
    }

    /// A YAML value as JSON: scalars keep their YAML type (plain `12` is a number, `"12"` a string).
    static func jsonValue(_ f: YAMLField, depth: Int = 0) throws -> JSONValue {
        guard depth < 16 else { throw f.error("nested too deeply") }
        switch f.node {
        case nil: return .null
        case let .scalar(sc)?:
            if sc.style == .plain {
                if f.isNull { return .null }
                if let b = Bool.construct(from: sc) { return .bool(b) }
                if let i = Int64(sc.string) { return .int(i) }
                if let d = Double(sc.string), sc.string.contains(".") || sc.string.contains("e") { return .double(d) }
            }
            return .string(sc.string)
        case .sequence?:
            return .array(try f.items().map { try jsonValue($0, depth: depth + 1) })
        case .mapping?:
            return .object(JSONObject(try f.keys().map { ($0, try jsonValue(f[$0], depth: depth + 1)) }))
        case .alias?:
            throw f.error("YAML aliases are not supported here")
        }
    }

    static func jsonMapping(_ f: YAMLField) throws -> [String: JSONValue] {
        guard f.exists else { return [:] }
        var out: [String: JSONValue] = [:]
        for key in try f.keys() { out[key] = try jsonValue(f[key]) }
        return out
    }

    static func parseJWTForgery(_ f: YAMLField, _ context: Context) throws -> JWTForgery {
        var j = JWTForgery()
        j.header = try jsonMapping(f["header"])
        j.removeHeader = f["remove_header"].exists ? try f["remove_header"].strings() : []
        j.set = try jsonMapping(f["set"])
        j.remove = f["remove"].exists ? try f["remove"].strings() : []
        j.embedJWK = try f["embed_jwk"].optionalBool() ?? false
        if f["act"].exists {
            if case .sequence? = f["act"].node {
                let agents = try f["act"].strings()
                for a in agents { try context.agent(a, f["act"]) }
                j.act = .replace(agents)
            } else {
                switch try f["act"].string() {
                case "swap": j.act = .swapOutermost
                case "drop": j.act = .dropOutermost
                case let other: throw f["act"].error("act is swap, drop or a list of agents, found '\(other)'")
                }
            }
        }
        let sign = try f["sign"].optionalString() ?? "keep"
        switch sign {
        case "keep": j.signing = .keep
        case "strip": j.signing = .strip
        case "sts", "random": j.signing = .key(sign)
        case _ where sign.lowercased() == "none": j.signing = .unsecured(sign)
        case _ where sign.hasPrefix("hmac-public-key"):
            let form = sign.split(separator: ":").dropFirst().first.map(String.init) ?? "pem"
            j.signing = .hmacPublicKey(form)
        default:
            try context.agent(sign, f["sign"])
            j.signing = .key(sign)
        }
        return j
    }

    /// Tracks names so that a step using an undefined token or agent fails at load time.
    struct Context {
        var agents: Set<String>
        var tokens: Set<String> = []

        func agent(_ name: String, _ field: YAMLField) throws {
            guard agents.contains(name) || name.hasPrefix("aip:") else {
                throw field.error("unknown agent '\(name)' (agents: \(agents.sorted().joined(separator: ", ")))")
            }
        }

        func token(_ name: String, _ field: YAMLField) throws {
            guard tokens.contains(name) else {
                throw field.error("no token named '\(name)' yet (defined so far: \(tokens.sorted().joined(separator: ", ")))")
            }
        }

        mutating func define(_ name: String, _ field: YAMLField) throws {
            guard !tokens.contains(name) else { throw field.error("token '\(name)' is already defined") }
            tokens.insert(name)
        }
    }

    static let stepKinds: Set<String> = ["mint", "delegate", "forge", "send", "verify", "advance_clock", "revoke", "unpublish", "rotate_key", "audit",
                                         "login", "assert", "exchange"]

    static func parseStep(_ field: YAMLField, _ context: inout Context) throws -> ScenarioStep {
        let keys = try field.keys()
        let kinds = keys.filter { stepKinds.contains($0) }
        guard kinds.count == 1, let kind = kinds.first else {
            throw field.error("each step has exactly one of: \(stepKinds.sorted().joined(separator: ", "))")
        }
        try field.rejectUnknownKeys([kind, "expect"])
        let f = field[kind]
        let expect = field["expect"].exists ? try parseExpectation(field["expect"]) : nil
        let action: ScenarioStep.Action
        switch kind {
        case "mint":
            try f.rejectUnknownKeys(["as", "by", "to", "scopes", "principal", "budget_cents", "max_depth", "ttl"])
            let m = ScenarioStep.Mint(
                name: try f["as"].string(), by: try f["by"].string(), scopes: try f["scopes"].strings(),
                principal: try f["principal"].optionalString(), budgetCents: try f["budget_cents"].optionalInt().map(Int64.init),
                maxDepth: Int64(try f["max_depth"].optionalInt() ?? 3), ttlSeconds: Int64(try f["ttl"].optionalInt() ?? 3600),
                to: try f["to"].optionalString())
            try context.agent(m.by, f["by"])
            if let to = m.to { try context.agent(to, f["to"]) }
            try context.define(m.name, f["as"])
            action = .mint(m)
        case "delegate":
            try f.rejectUnknownKeys(["as", "from", "by", "to", "scopes", "context", "budget_cents", "expires_in", "principal", "signed"])
            let d = ScenarioStep.Delegate(
                name: try f["as"].string(), from: try f["from"].string(), by: try f["by"].string(), to: try f["to"].string(),
                scopes: try f["scopes"].strings(), context: try f["context"].string(),
                budgetCents: try f["budget_cents"].optionalInt().map(Int64.init), expiresIn: try f["expires_in"].optionalInt().map(Int64.init),
                principal: try f["principal"].optionalString(), signed: try f["signed"].optionalBool() ?? false)
            try context.token(d.from, f["from"])
            try context.agent(d.by, f["by"])
            try context.agent(d.to, f["to"])
            if expect?.verdict != .reject { try context.define(d.name, f["as"]) }
            action = .delegate(d)
        case "forge":
            let name = try f["as"].string()
            let from = try f["from"].string()
            let attackName = try f["attack"].string()
            if attackName != "garbage" { try context.token(from, f["from"]) }
            let attack = try parseAttack(attackName, f, context)
            try context.define(name, f["as"])
            action = .forge(ForgeStep(name: name, from: from, attack: attack))
        case "send":
            try f.rejectUnknownKeys(["token", "from", "to", "scope"])
            let s = ScenarioStep.Send(token: try f["token"].optionalString(), from: try f["from"].string(), to: try f["to"].string(),
                                      scope: try f["scope"].string())
            if let t = s.token { try context.token(t, f["token"]) }
            try context.agent(s.from, f["from"])
            try context.agent(s.to, f["to"])
            action = .send(s)
        case "verify":
            try f.rejectUnknownKeys(["token", "audience", "scope", "root"])
            let v = ScenarioStep.Verify(token: try f["token"].optionalString(), audience: try f["audience"].optionalString(),
                                        scope: try f["scope"].optionalString(), root: try f["root"].optionalString())
            if let t = v.token { try context.token(t, f["token"]) }
            if let a = v.audience { try context.agent(a, f["audience"]) }
            if let r = v.root { try context.agent(r, f["root"]) }
            action = .verify(v)
        case "advance_clock":
            action = .advanceClock(Int64(try f.int()))
        case "revoke":
            try f.rejectUnknownKeys(["token", "block", "agent"])
            let r = ScenarioStep.Revoke(token: try f["token"].optionalString(), block: try f["block"].optionalInt(), agent: try f["agent"].optionalString())
            if let t = r.token { try context.token(t, f["token"]) }
            if let a = r.agent { try context.agent(a, f["agent"]) }
            guard (r.token != nil) != (r.agent != nil) else { throw f.error("revoke either a token's block (token, block) or an agent's key (agent)") }
            action = .revoke(r)
        case "unpublish":
            let a = try f.string()
            try context.agent(a, f)
            action = .unpublish(a)
        case "audit":
            try f.rejectUnknownKeys(["decision", "code", "principal", "caller", "receiver", "root", "hops"])
            let a = ScenarioStep.AuditAssertion(
                decision: try f["decision"].optionalString(), code: try f["code"].optionalString(),
                principal: try f["principal"].optionalString(), caller: try f["caller"].optionalString(),
                receiver: try f["receiver"].optionalString(), root: try f["root"].optionalString(), hops: try f["hops"].optionalInt())
            for (key, value) in [("caller", a.caller), ("receiver", a.receiver), ("root", a.root)] {
                if let v = value { try context.agent(v, f[key]) }
            }
            action = .assertAudit(a)
        case "rotate_key":
            let a = try f.string()
            try context.agent(a, f)
            action = .rotateKey(a)
        case "login":
            try f.rejectUnknownKeys(["as", "agent", "principal", "scopes", "audience", "ttl"])
            let l = ScenarioStep.Login(name: try f["as"].string(), agent: try f["agent"].string(), principal: try f["principal"].optionalString() ?? "alice",
                                       scopes: try f["scopes"].strings(), audience: try f["audience"].optionalString(),
                                       ttlSeconds: Int64(try f["ttl"].optionalInt() ?? 900))
            try context.agent(l.agent, f["agent"])
            if expect?.verdict != .reject { try context.define(l.name, f["as"]) }
            action = .login(l)
        case "assert":
            try f.rejectUnknownKeys(["as", "agent", "lifetime", "audience", "jti", "signer", "iss", "sub", "iat_offset", "omit"])
            let a = ScenarioStep.ActorAssertionStep(
                name: try f["as"].string(), agent: try f["agent"].string(), lifetime: Int64(try f["lifetime"].optionalInt() ?? 60),
                audience: try f["audience"].optionalString(), jti: try f["jti"].optionalString(), signer: try f["signer"].optionalString(),
                issuer: try f["iss"].optionalString(), subject: try f["sub"].optionalString(),
                issuedAtOffset: Int64(try f["iat_offset"].optionalInt() ?? 0), omit: f["omit"].exists ? try f["omit"].strings() : [])
            try context.agent(a.agent, f["agent"])
            if let s = a.signer, s != "random" { try context.agent(s, f["signer"]) }
            try context.define(a.name, f["as"])
            action = .assertActor(a)
        case "exchange":
            try f.rejectUnknownKeys(["as", "subject", "actor", "client", "scopes", "audience", "grant_type", "subject_token_type", "actor_token_type"])
            let x = ScenarioStep.Exchange(
                name: try f["as"].string(), subject: try f["subject"].optionalString(), actor: try f["actor"].optionalString(),
                client: try f["client"].optionalString(), scopes: f["scopes"].exists ? try f["scopes"].strings() : nil,
                audience: try f["audience"].optionalString(), grantType: try f["grant_type"].optionalString(),
                subjectTokenType: try f["subject_token_type"].optionalString(), actorTokenType: try f["actor_token_type"].optionalString())
            if let t = x.subject { try context.token(t, f["subject"]) }
            if let t = x.actor { try context.token(t, f["actor"]) }
            if let c = x.client { try context.agent(c, f["client"]) }
            guard x.client != nil || x.actor != nil else { throw f.error("name the client making the request (client) or an actor assertion (actor)") }
            if expect?.verdict != .reject { try context.define(x.name, f["as"]) }
            action = .exchange(x)
        default:
            throw f.error("unknown step")
        }
        let step = ScenarioStep(line: field.line, action: action, expect: expect)
        if expect != nil && !step.isCheckpoint { throw field["expect"].error("only mint, delegate, login, exchange, send and verify steps are judged") }
        return step
    }

    static let attacks: Set<String> = [
        "append", "widen_scope", "raise_budget", "empty_context", "drop_context", "impersonate_delegator", "redirect",
        "extend_expiry", "expired_block", "exceed_depth", "substitute_principal", "inject_rule",
        "tamper_payload", "flip_token_bit", "resign", "drop_block", "truncate", "reorder", "duplicate_block",
        "substitute_root", "rewrite_block", "strip_signature", "seal", "garbage", "jwt",
    ]

    static func parseAttack(_ name: String, _ f: YAMLField, _ context: Context) throws -> ForgeStep.Attack {
        guard attacks.contains(name) else {
            throw f["attack"].error("unknown attack '\(name)' (known: \(attacks.sorted().joined(separator: ", ")))")
        }
        let common: Set<String> = ["as", "from", "attack"]
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
        case "jwt":
            try f.rejectUnknownKeys(common.union(["header", "remove_header", "set", "remove", "act", "sign", "embed_jwk"]))
            return .jwt(try parseJWTForgery(f, context))
        case "garbage":
            try f.rejectUnknownKeys(common.union(["text"]))
            return .garbage(try f["text"].optionalString() ?? "not-a-token")
        default:
            // Every other attack appends a block as a token holder would.
            try f.rejectUnknownKeys(common.union(["delegator", "delegate", "context", "scopes", "budget_cents", "expires_in", "principal", "datalog", "signed_by"]))
            return .append(ForgeStep.AppendBlock(
                delegator: try agentOrID("delegator"), delegate: try agentOrID("delegate"),
                context: try appendContext(f["context"], attack: name),
                scopes: f["scopes"].exists ? try f["scopes"].strings() : nil,
                budgetCents: try f["budget_cents"].optionalInt().map(Int64.init),
                expiresIn: try f["expires_in"].optionalInt().map(Int64.init),
                principal: try f["principal"].optionalString(), datalog: try f["datalog"].optionalString(),
                signedBy: try agentOrID("signed_by")))
        }
    }

    /// An explicit `context:` (even empty) is used as is; `drop_context` omits the fact.
    static func appendContext(_ f: YAMLField, attack: String) throws -> String? {
        if f.node != nil { return try f.optionalString() ?? "" }
        return attack == "drop_context" ? nil : "forged by the holder"
    }

    /// `expect: accept`, `expect: {reject: aip_scope_insufficient}`, `expect: {reject: any}`, `lenient: true`.
    static func parseExpectation(_ f: YAMLField) throws -> Expectation {
        if case .scalar? = f.node {
            switch try f.string() {
            case "accept": return .accept
            case "reject": return Expectation(verdict: .reject, code: nil, lenient: true)
            case let other: throw f.error("expected 'accept', 'reject' or {reject: CODE}, found '\(other)'")
            }
        }
        try f.rejectUnknownKeys(["reject", "accept", "lenient", "or"])
        if f["accept"].exists { return .accept }
        let code = try f["reject"].string()
        let lenient = try f["lenient"].optionalBool() ?? false
        if code == "any" { return Expectation(verdict: .reject, code: nil, lenient: true) }
        guard code.hasPrefix("aip_") || code.contains("_") else { throw f["reject"].error("'\(code)' does not look like an error code") }
        var e = Expectation(verdict: .reject, code: code, lenient: lenient)
        e.alternatives = f["or"].exists ? try f["or"].strings() : []
        return e
    }
}
