import BatonHarness
import BatonModel
import ZeroID

/// How a scenario configures its ZeroID deployment (`zeroid:` of profile `zeroid`):
///
/// ```yaml
/// zeroid:
///   profile: rfc8693            # or legacy (default)
///   compat: zeroid              # reproduce ZeroID f08f979's quirks (default: spec)
///   default_ttl: 3600
///   policies:
///     strict: {max_delegation_depth: 1, allowed_grant_types: [token_exchange], allowed_scopes: [search]}
///   identities:
///     writer: {policy: strict, allowed_scopes: [docs:write], trust_level: first_party, status: suspended,
///              key: none, tenant: acme/other, registered: false}
/// ```
///
/// A policy written here has ZeroID's API defaults for what it leaves out: `max_delegation_depth` 0,
/// `allowed_grant_types` `[client_credentials]`, `max_ttl_seconds` 3600. Identities not listed use the
/// tenant's default policy (depth 5, the four default grants), hold any scope, and are `unverified`.
struct ZeroIDSettings: ScenarioSettings, Hashable {
    static let key = "zeroid"

    var profile = ZeroIDTokenProfile.legacy
    var compatibility = ZeroIDCompatibility.spec
    var defaultTTL: Int64 = 3600
    var policies: [String: Policy] = [:]
    var identities: [String: Identity] = [:]

    init() {}

    struct Policy: Hashable, Sendable {
        var maxDelegationDepth: Int64 = 0
        var maxTTLSeconds: Int64 = 3600
        var allowedGrantTypes = ["client_credentials"]
        var allowedScopes: [String] = []
        var requiredTrustLevel: TrustLevel?
        var active = true
    }

    /// How the public key is registered: a P-256 SPKI (`p256`), none, text that is no PEM (`garbage`),
    /// or a valid key of the wrong type (`ed25519`).
    enum KeyKind: String, Hashable, Sendable, CaseIterable {
        case p256, none, garbage, ed25519
    }

    struct Identity: Hashable, Sendable {
        var policy: String?
        var allowedScopes: [String]?
        var trustLevel = TrustLevel.unverified
        var status = "active"
        var subType = "tool_agent"
        var key = KeyKind.p256
        /// `account/project`; default `acme/prod`.
        var tenant: String?
        var registered = true
    }

    static func parse(_ f: YAMLField, context: ScenarioContext) throws -> ZeroIDSettings {
        var z = ZeroIDSettings()
        try f.rejectUnknownKeys(["profile", "compat", "default_ttl", "policies", "identities"])
        if let text = try f["profile"].optionalString() {
            guard let p = ZeroIDTokenProfile(rawValue: text) else { throw f["profile"].error("profile is legacy or rfc8693") }
            z.profile = p
        }
        if let text = try f["compat"].optionalString() {
            guard let c = ZeroIDCompatibility(rawValue: text) else { throw f["compat"].error("compat is spec or zeroid") }
            z.compatibility = c
        }
        z.defaultTTL = Int64(try f["default_ttl"].optionalInt() ?? Int(z.defaultTTL))
        if f["policies"].exists {
            for name in try f["policies"].keys() {
                let p = f["policies"][name]
                try p.rejectUnknownKeys([
                    "max_delegation_depth", "max_ttl_seconds", "allowed_grant_types", "allowed_scopes", "required_trust_level", "active",
                ])
                var policy = Policy()
                policy.maxDelegationDepth = Int64(try p["max_delegation_depth"].optionalInt() ?? 0)
                policy.maxTTLSeconds = Int64(try p["max_ttl_seconds"].optionalInt() ?? 3600)
                if p["allowed_grant_types"].exists { policy.allowedGrantTypes = try p["allowed_grant_types"].strings() }
                if p["allowed_scopes"].exists { policy.allowedScopes = try p["allowed_scopes"].strings() }
                if let t = try p["required_trust_level"].optionalString() {
                    guard let level = TrustLevel(rawValue: t) else { throw p["required_trust_level"].error("unknown trust level '\(t)'") }
                    policy.requiredTrustLevel = level
                }
                policy.active = try p["active"].optionalBool() ?? true
                z.policies[name] = policy
            }
        }
        if f["identities"].exists {
            for name in try f["identities"].keys() {
                let i = f["identities"][name]
                guard context.agents.contains(name) else { throw i.error("unknown agent '\(name)'") }
                try i.rejectUnknownKeys(["policy", "allowed_scopes", "trust_level", "status", "sub_type", "key", "tenant", "registered"])
                var identity = Identity()
                identity.policy = try i["policy"].optionalString()
                if let p = identity.policy, z.policies[p] == nil, p != "default" { throw i["policy"].error("unknown policy '\(p)'") }
                identity.allowedScopes = i["allowed_scopes"].exists ? try i["allowed_scopes"].strings() : nil
                if let t = try i["trust_level"].optionalString() {
                    guard let level = TrustLevel(rawValue: t) else { throw i["trust_level"].error("unknown trust level '\(t)'") }
                    identity.trustLevel = level
                }
                identity.status = try i["status"].optionalString() ?? "active"
                identity.subType = try i["sub_type"].optionalString() ?? "tool_agent"
                if let k = try i["key"].optionalString() {
                    guard let kind = KeyKind(rawValue: k) else { throw i["key"].error("key is p256, none, garbage or ed25519") }
                    identity.key = kind
                }
                if let t = try i["tenant"].optionalString() {
                    guard t.split(separator: "/").count == 2 else { throw i["tenant"].error("tenant is account/project") }
                    identity.tenant = t
                }
                identity.registered = try i["registered"].optionalBool() ?? true
                z.identities[name] = identity
            }
        }
        return z
    }
}
