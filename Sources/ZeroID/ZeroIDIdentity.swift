import JOSE
import TokenExchange

/// ZeroID's trust levels, weakest first (`unverified` < `verified_third_party` < `first_party`).
public enum TrustLevel: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case unverified
    case verifiedThirdParty = "verified_third_party"
    case firstParty = "first_party"

    var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: TrustLevel, rhs: TrustLevel) -> Bool { lhs.rank < rhs.rank }
}

/// An identity registered with ZeroID (`POST /api/v1/identities`): its WIMSE URI
/// `spiffe://{domain}/{account}/{project}/{type}/{id}`, the public key its actor assertions must
/// verify under (stored as PEM text, which may be anything an admin set), what it may hold, and
/// the credential policy that governs what it is issued.
public struct ZeroIDIdentity: Hashable, Sendable {
    /// The identity's UUID (`id` of the admin API's answers; the `to`/`from` of lineage edges).
    public var id: String
    public var uri: WorkloadURI
    public var ownerUserID: String
    /// The registered `public_key_pem`; nil: none registered. ZeroID accepts only a P-256 SPKI.
    public var publicKeyPEM: String?
    /// The registration's scope ceiling; nil: not restricted.
    public var allowedScopes: [String]?
    /// The credential policy's id; nil: the tenant's default policy.
    public var policyID: String?
    public var subType: String
    public var trustLevel: TrustLevel
    /// `active`, `pending`, `suspended`, `deactivated` or `discovered`.
    public var status: String
    /// When the admin API created and last changed it (Unix seconds; 0: set up by Baton directly).
    public var createdAt: Int64 = 0
    public var updatedAt: Int64 = 0

    public init(
        uri: WorkloadURI, ownerUserID: String = "user-alice", publicKeyPEM: String?, allowedScopes: [String]? = nil, policyID: String? = nil,
        subType: String = "tool_agent", trustLevel: TrustLevel = .unverified, status: String = "active", id: String? = nil
    ) {
        self.id = id ?? ZeroIDUUID.derived(from: "identity|\(uri)")
        self.uri = uri
        self.ownerUserID = ownerUserID
        self.publicKeyPEM = publicKeyPEM
        self.allowedScopes = allowedScopes
        self.policyID = policyID
        self.subType = subType
        self.trustLevel = trustLevel
        self.status = status
    }

    public var externalID: String { uri.id }
    public var identityType: String { uri.type }
    public var account: String { uri.account }
    public var project: String { uri.project }
}

/// A ZeroID credential policy: what any credential issued to an identity it governs may be.
public struct CredentialPolicy: Hashable, Sendable {
    public var id: String
    /// The name it was created under (unique per tenant); a policy a scenario writes is named by its id.
    public var name: String
    /// `account/project` of the tenant it belongs to; nil: any (a policy set up by Baton directly).
    public var tenant: String?
    /// A policy created through the API without it stores 0: every exchange into the identity fails.
    public var maxDelegationDepth: Int64
    public var maxTTLSeconds: Int64
    /// Short names (`token_exchange`, `client_credentials` …); the API's default is `[client_credentials]`.
    public var allowedGrantTypes: [String]
    /// The policy's scope ceiling; empty: none.
    public var allowedScopes: [String]
    public var requiredTrustLevel: TrustLevel?
    public var active: Bool
    /// When the admin API created and last changed it (Unix seconds; 0: set up by Baton directly).
    public var createdAt: Int64 = 0
    public var updatedAt: Int64 = 0

    public init(
        id: String, maxDelegationDepth: Int64 = 0, maxTTLSeconds: Int64 = 3600, allowedGrantTypes: [String] = ["client_credentials"],
        allowedScopes: [String] = [], requiredTrustLevel: TrustLevel? = nil, active: Bool = true, name: String? = nil, tenant: String? = nil
    ) {
        self.id = id
        self.name = name ?? id
        self.tenant = tenant
        self.maxDelegationDepth = maxDelegationDepth
        self.maxTTLSeconds = maxTTLSeconds
        self.allowedGrantTypes = allowedGrantTypes
        self.allowedScopes = allowedScopes
        self.requiredTrustLevel = requiredTrustLevel
        self.active = active
    }

    /// The tenant's default policy: depth 5, one hour, the four grants ZeroID enables by default.
    public static let tenantDefault = CredentialPolicy(
        id: "default", maxDelegationDepth: 5, maxTTLSeconds: 3600,
        allowedGrantTypes: ["client_credentials", "api_key", "jwt_bearer", "token_exchange"])
}

/// An OAuth client (`POST /api/v1/oauth/clients`): registration is global, and its `client_credentials`
/// grant issues a root credential to the identity whose `external_id` is the `client_id`, in the tenant
/// the token request names.
public struct ZeroIDOAuthClient: Hashable, Sendable {
    public var clientID: String
    /// SHA-256 of the secret (hex): the secret itself is shown once, at registration.
    public var secretDigest: String
    public var grantTypes: [String]
    /// The client's scope ceiling: a client registered with none can be granted nothing.
    public var scopes: [String]
    /// When it was registered (Unix seconds).
    public var createdAt: Int64 = 0

    public init(clientID: String, secretDigest: String, grantTypes: [String], scopes: [String]) {
        self.clientID = clientID
        self.secretDigest = secretDigest
        self.grantTypes = grantTypes
        self.scopes = scopes
    }
}

/// Which of ZeroID's two token profiles a tenant issues.
public enum ZeroIDTokenProfile: String, Hashable, Sendable, Codable, CaseIterable {
    /// `sub` is the actor; top-level identity claims; `scopes` array; `typ: JWT`.
    case legacy
    /// `sub` is the chain's principal; `principal_type`; nested `act`; `scope` beside `scopes`;
    /// `client_id`; `typ: at+jwt`.
    case rfc8693
}

/// Whether the service does what the specifications want or reproduces ZeroID's quirks.
public enum ZeroIDCompatibility: String, Hashable, Sendable, Codable, CaseIterable {
    /// Single-use actor assertions (`jti` required and consumed); legacy `act` names the acting
    /// party outermost with the prior actors nested (RFC 8693 §4.1); the scope ceiling is the
    /// four-way intersection; introspection refuses a token whose bytes are not those issued.
    case spec
    /// ZeroID f08f979: actor assertions replayable until `exp`, `jti` optional; legacy `act` is
    /// `{"sub": <immediate delegator>}`; the policy's scopes replace the registration's as ceiling and
    /// a granted scope outside the registration is `insufficient_scope`.
    case zeroid
}

/// Service-wide settings of a ZeroID deployment.
public struct ZeroIDConfiguration: Hashable, Sendable {
    /// `token.issuer`: the `iss` of issued tokens and the `aud` actor assertions must contain.
    public var issuer: String
    public var wimseDomain: String
    public var profile: ZeroIDTokenProfile
    public var compatibility: ZeroIDCompatibility
    /// `default_ttl`: the lifetime a token exchange asks for (checked, not clamped, against the policy).
    public var defaultTTL: Int64
    public var keyID: String
    /// The tenant's default policy.
    public var defaultPolicy: CredentialPolicy

    public init(
        issuer: String, wimseDomain: String = "zeroid.dev", profile: ZeroIDTokenProfile = .legacy, compatibility: ZeroIDCompatibility = .spec,
        defaultTTL: Int64 = 3600, keyID: String = "zeroid-key-1", defaultPolicy: CredentialPolicy = .tenantDefault
    ) {
        self.issuer = issuer
        self.wimseDomain = wimseDomain
        self.profile = profile
        self.compatibility = compatibility
        self.defaultTTL = defaultTTL
        self.keyID = keyID
        self.defaultPolicy = defaultPolicy
    }
}
