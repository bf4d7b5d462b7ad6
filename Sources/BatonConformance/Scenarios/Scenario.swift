/// One scenario file: agents, a clock, steps, and what the implementation under
/// test must do at each checkpoint.
public struct Scenario: Hashable, Sendable {
    public var id: String
    public var title: String
    /// What the scenario shows, for `baton explain` and the reports.
    public var summary: String?
    /// Specification clauses tested (e.g. `AIP §4 V4`).
    public var spec: [String]
    public var tags: [String]
    public var profile: String
    /// The file, relative to the scenario root, and the line of `id:`.
    public var file: String
    public var line: Int
    /// Agent names; each is `aip:web:acme.com/<name>` with a seeded key.
    public var agents: [String]
    /// The agent whose key verifiers trust as the root (default: the first agent).
    public var trust: String
    /// Start time, seconds since the epoch.
    public var clock: Int64
    public var verifier: VerifierSettings
    /// The token service's settings (profile `token-exchange`).
    public var tokenService = TokenServiceSettings()
    public var steps: [ScenarioStep]
    /// Expectation for the last checkpoint step that has none of its own.
    public var expect: Expectation?

    /// Whether this scenario is an attack (its final expectation is a rejection).
    public var isAttack: Bool { finalExpectation?.verdict == .reject }

    /// The expectation of the last checkpoint step.
    public var finalExpectation: Expectation? {
        guard let last = steps.lastIndex(where: \.isCheckpoint) else { return nil }
        return steps[last].expect ?? expect ?? .accept
    }
}

/// How the scenario configures the verifier.
public struct VerifierSettings: Hashable, Sendable {
    /// Require delegation blocks signed by their delegator's registered key.
    public var requireSignedDelegation = false
    /// Give the verifier the agents' identity documents (V2 by resolution rather than configuration).
    public var registry = true
    /// Give the verifier a revocation list (V7), refreshed when something is revoked.
    public var revocation = false
    /// Oldest acceptable revocation status, seconds.
    public var maxStaleness: Int64 = 300
    /// Token exchange: the deepest `delegation_depth` the downstream verifier accepts.
    public var maxDepth: Int64?

    public init() {}
}

/// How a scenario configures the token service (profile `token-exchange`).
public struct TokenServiceSettings: Hashable, Sendable {
    /// `agent-subject` or `rfc8693`.
    public var layout = "agent-subject"
    /// `EdDSA` or `ES256`, for the service's tokens and the agents' assertions.
    public var algorithm = "EdDSA"
    public var tokenLifetime: Int64 = 900
    public var maxAssertionLifetime: Int64 = 300
    public var maxDepth: Int64 = 4
    public var delegableScopes: [String]?
    /// Per-agent registration, by agent name; agents not listed may hold any scope of the scenario.
    public var agents: [String: AgentRegistration] = [:]

    public init() {}

    public struct AgentRegistration: Hashable, Sendable {
        public var scopes: [String]?
        public var maxDepth: Int64?
        public var grantTypes: [String]?
        /// false: registered without a public key.
        public var hasKey = true
        /// false: not registered at all.
        public var registered = true
    }
}

/// One step, with its line in the file.
public struct ScenarioStep: Hashable, Sendable {
    public var line: Int
    public var action: Action
    /// What the implementation under test must do here (checkpoint steps only).
    public var expect: Expectation?

    public enum Action: Hashable, Sendable {
        case mint(Mint)
        case delegate(Delegate)
        case forge(ForgeStep)
        case send(Send)
        case verify(Verify)
        case advanceClock(Int64)
        case revoke(Revoke)
        /// Remove an agent's identity document (its identity no longer resolves).
        case unpublish(String)
        /// Replace an agent's key with a new one in its identity document.
        case rotateKey(String)
        /// Assert on the last audit record.
        case assertAudit(AuditAssertion)
        /// Token exchange: the token service issues an agent its root token for a person.
        case login(Login)
        /// Token exchange: a sub-agent signs an actor assertion (possibly a malformed one).
        case assertActor(ActorAssertionStep)
        /// Token exchange: a token request to the token service.
        case exchange(Exchange)

        /// The one profile this step belongs to; nil: any profile.
        public var onlyProfiles: [String]? {
            switch self {
            case .login, .exchange, .assertActor: return ["token-exchange"]
            case .delegate, .unpublish, .rotateKey: return ["aip-chained"]
            case .revoke: return ["aip-chained", "aip-compact"]
            case .mint, .forge, .send, .verify, .advanceClock, .assertAudit: return nil
            }
        }
    }

    public struct Login: Hashable, Sendable {
        public var name: String
        public var agent: String
        public var principal: String
        public var scopes: [String]
        /// Agent name or raw audience; default: the agent itself.
        public var audience: String?
        public var ttlSeconds: Int64
    }

    /// An actor assertion; every field but `agent` bends a rule for attack scenarios.
    public struct ActorAssertionStep: Hashable, Sendable {
        public var name: String
        public var agent: String
        public var lifetime: Int64
        /// Default: the token service's issuer.
        public var audience: String?
        /// Default: unique per step.
        public var jti: String?
        /// Whose key signs (agent name or `random`); default: the agent.
        public var signer: String?
        public var issuer: String?
        public var subject: String?
        /// Seconds added to `iat` (negative: issued in the past).
        public var issuedAtOffset: Int64
        /// Leave claims out (`jti`, `exp` …).
        public var omit: [String]
    }

    public struct Exchange: Hashable, Sendable {
        public var name: String
        /// The subject token's name; nil: none sent.
        public var subject: String?
        /// The actor assertion's name; nil: none sent.
        public var actor: String?
        /// The agent making the request (default: the actor assertion's agent).
        public var client: String?
        public var scopes: [String]?
        /// Agent name or raw audience.
        public var audience: String?
        public var grantType: String?
        public var subjectTokenType: String?
        public var actorTokenType: String?
    }

    /// What the last audit record must say (absent fields are not checked).
    public struct AuditAssertion: Hashable, Sendable {
        public var decision: String?
        public var code: String?
        public var principal: String?
        public var caller: String?
        public var receiver: String?
        /// The agent at the root of the recorded chain.
        public var root: String?
        public var hops: Int?
    }

    /// Mint, delegate, send and verify steps are judged; the others set the stage.
    public var isCheckpoint: Bool {
        switch action {
        case .mint, .delegate, .send, .verify, .login, .exchange: return true
        default: return false
        }
    }

    public struct Mint: Hashable, Sendable {
        public var name: String
        public var by: String
        public var scopes: [String]
        public var principal: String?
        public var budgetCents: Int64?
        public var maxDepth: Int64
        public var ttlSeconds: Int64
        /// The holder of a one-hop compact token (profile `aip-compact`).
        public var to: String? = nil
    }

    public struct Delegate: Hashable, Sendable {
        public var name: String
        public var from: String
        public var by: String
        public var to: String
        public var scopes: [String]
        public var context: String
        public var budgetCents: Int64?
        public var expiresIn: Int64?
        public var principal: String?
        public var signed: Bool
    }

    public struct Send: Hashable, Sendable {
        /// nil sends a task with no token at all.
        public var token: String?
        public var from: String
        public var to: String
        public var scope: String
    }

    public struct Verify: Hashable, Sendable {
        public var token: String?
        public var audience: String?
        public var scope: String?
        /// The agent whose key is the trust anchor (default: the scenario's `trust`).
        public var root: String?
    }

    public struct Revoke: Hashable, Sendable {
        public var token: String?
        public var block: Int?
        public var agent: String?
    }
}

/// A forging step: takes a token, applies an attack, stores the result.
public struct ForgeStep: Hashable, Sendable {
    public var name: String
    public var from: String
    public var attack: Attack

    public enum Attack: Hashable, Sendable {
        /// Append a block as any holder can (signed with the proof key), or as a
        /// third-party block signed by `signedBy`'s key.
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
        /// Not a token at all.
        case garbage(String)
        /// Rewrite a JWT: header, claims, `act` chain, signature.
        case jwt(JWTForgery)
    }

    public struct AppendBlock: Hashable, Sendable {
        public var delegator: String?
        public var delegate: String?
        /// nil: no context fact at all.
        public var context: String?
        public var scopes: [String]?
        public var budgetCents: Int64?
        public var expiresIn: Int64?
        public var principal: String?
        /// Extra raw Datalog appended to the block (rules, odd checks …).
        public var datalog: String?
        /// When set, a third-party block signed by this agent's key.
        public var signedBy: String?
    }
}

extension ForgeStep.Attack: CustomStringConvertible {
    /// A one-line account of the attack, for traces.
    public var description: String {
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
        case let .garbage(text): return "replace the token by \"\(text.prefix(40))\""
        case let .jwt(f): return f.description
        }
    }
}
