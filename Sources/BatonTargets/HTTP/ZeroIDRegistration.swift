import BatonModel
import JOSE
import TokenExchange

/// A scenario's ZeroID deployment (`TokenServiceSetup.profile_settings` of profile `zeroid`), as a ZeroID
/// target must put it into a service: what ZeroID's admin API registers (credential policies, identities
/// with their keys, trust levels, scopes and statuses) and what only Baton's extension routes can set
/// (`beyondAdminAPI`, each with why).
struct ZeroIDRegistration: Hashable, Sendable {
    struct Policy: Hashable, Sendable {
        var id: String
        var maxDelegationDepth: Int64
        var maxTTLSeconds: Int64
        var allowedGrantTypes: [String]
        var allowedScopes: [String]
        var requiredTrustLevel: String?
        var active: Bool
    }

    struct Identity: Hashable, Sendable {
        var name: String
        var uri: WorkloadURI
        var publicKeyPEM: String?
        var allowedScopes: [String]?
        var policy: String?
        var subType: String
        var trustLevel: String
        var status: String
        var ownerUserID: String
        var registered: Bool

        var tenant: String { "\(uri.account)/\(uri.project)" }
    }

    var profile: String
    var compat: String
    var defaultTTL: Int64
    var policies: [Policy]
    var identities: [Identity]

    /// Statuses `PATCH /identities/{id}` reaches from `active`.
    static let adminStatuses: Set<String> = ["active", "suspended", "deactivated"]

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    init(jsonText: String) throws {
        guard let o = try? JSONParser.parseObject(Array(jsonText.utf8)) else { throw Malformed(description: "the deployment is not a JSON object") }
        profile = o["profile"]?.stringValue ?? "legacy"
        compat = o["compat"]?.stringValue ?? "spec"
        defaultTTL = o["default_ttl"]?.intValue ?? 3600
        policies = (o["policies"]?.arrayValue ?? []).compactMap(\.objectValue).compactMap { p in
            guard let id = p["id"]?.stringValue else { return nil }
            return Policy(
                id: id, maxDelegationDepth: p["max_delegation_depth"]?.intValue ?? 0, maxTTLSeconds: p["max_ttl_seconds"]?.intValue ?? 3600,
                allowedGrantTypes: (p["allowed_grant_types"]?.arrayValue ?? []).compactMap(\.stringValue),
                allowedScopes: (p["allowed_scopes"]?.arrayValue ?? []).compactMap(\.stringValue),
                requiredTrustLevel: p["required_trust_level"]?.stringValue, active: p["active"]?.boolValue ?? true)
        }
        identities = try (o["identities"]?.arrayValue ?? []).compactMap(\.objectValue).map { i in
            guard let name = i["name"]?.stringValue, let text = i["wimse_uri"]?.stringValue, let uri = WorkloadURI(text) else {
                throw Malformed(description: "an identity without a name or a WIMSE URI: \(i.canonicalString)")
            }
            return Identity(
                name: name, uri: uri, publicKeyPEM: i["public_key_pem"]?.stringValue,
                allowedScopes: i["allowed_scopes"]?.arrayValue.map { $0.compactMap(\.stringValue) }, policy: i["credential_policy_id"]?.stringValue,
                subType: i["sub_type"]?.stringValue ?? "tool_agent", trustLevel: i["trust_level"]?.stringValue ?? "unverified",
                status: i["status"]?.stringValue ?? "active", ownerUserID: i["owner_user_id"]?.stringValue ?? "user-alice",
                registered: i["registered"]?.boolValue ?? true)
        }
    }

    /// Whether ZeroID's admin API stores `pem` as a `public_key_pem`: a `PUBLIC KEY` block of a P-256 key.
    static func isP256(_ pem: String) -> Bool { (try? JWSVerificationKey(pem: pem))?.algorithm == .es256 }

    /// What the scenario needs that ZeroID f08f979's admin API cannot set, each with why; empty when the
    /// admin API is enough. (`compat` is not among them: a deployment does what it does, and is judged on it.)
    var beyondAdminAPI: [String] {
        var out: [String] = []
        if profile != "legacy" {
            out.append("the \(profile) token profile (a tenant setting of newer ZeroID; the admin API of f08f979 has no route for it)")
        }
        if defaultTTL != 3600 { out.append("a default TTL of \(defaultTTL) s (ZeroID's default TTL is server configuration)") }
        for i in identities where i.registered {
            if let pem = i.publicKeyPEM, !Self.isP256(pem) {
                out.append(
                    "\(i.name)'s public_key_pem, which is no P-256 key (the admin API refuses to store one, so only a write to ZeroID's database gives an identity such a key)"
                )
            }
            if !Self.adminStatuses.contains(i.status) {
                out.append("\(i.name)'s status \(i.status) (no transition of PATCH /identities/{id} reaches it from active)")
            }
        }
        return out
    }

    /// The tenants (`account/project`) in which each policy is needed: those of the identities it governs.
    var policyTenants: [(policy: Policy, tenant: WorkloadURI)] {
        var out: [(Policy, WorkloadURI)] = []
        for p in policies {
            var seen = Set<String>()
            for i in identities where i.registered && i.policy == p.id && seen.insert(i.tenant).inserted { out.append((p, i.uri)) }
        }
        return out
    }
}
