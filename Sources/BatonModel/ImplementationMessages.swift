import BatonCrypto

/// What Baton asks of an implementation under test. These are also the bodies
/// of the language-neutral testee protocol (docs/TESTEE-PROTOCOL.md), so field
/// names are snake_case on the wire.

/// The roles an implementation can play.
public enum ImplementationRole: String, Hashable, Sendable, Codable, CaseIterable {
    case issuer
    case verifier
    case agent
    /// A gateway in the path of a workflow's calls: decides per call whether to forward it
    /// (`gateway_call`) and records who it was for.
    case gateway
    /// A token service: sets up per scenario, issues root tokens, answers token exchange.
    case sts
}

/// Who the implementation is and what it can do (the handshake).
public struct ImplementationDescriptor: Hashable, Sendable, Codable {
    public var name: String
    public var version: String
    /// Token profiles, e.g. `aip-chained`, `aip-compact`, `token-exchange`.
    public var profiles: [TokenProfile]
    public var roles: [ImplementationRole]
    /// Optional capabilities: `clock` (honours `now`), `signed_delegation`, `registry`, `revocation`.
    public var options: [ImplementationOption]
    /// A resource server's own endpoints (Agentic JWT): where each action is served and the scope
    /// it requires. nil: the scenario's endpoints are served as the scenario names them.
    public var endpoints: [ResourceEndpoint]? = nil

    public init(name: String, version: String, profiles: [TokenProfile], roles: [ImplementationRole], options: [ImplementationOption]) {
        self.name = name
        self.version = version
        self.profiles = profiles
        self.roles = roles
        self.options = options
    }
}

/// One endpoint of a resource server under test, in the server's own vocabulary. A scenario's
/// endpoints are mapped onto these in order of first use (the first action the scenario calls
/// goes to the first endpoint …), and the action and the scopes the scenario requires there are
/// renamed to the endpoint's, so that tokens carry what the server really asks for.
public struct ResourceEndpoint: Hashable, Sendable, Codable {
    /// The full URL (query included, if the server wants one).
    public var url: String
    public var method: String
    /// The action (tool) the server says the endpoint serves; nil: the scenario's name is kept.
    public var action: String?
    /// The scope the endpoint requires; nil: none.
    public var scope: String?

    public init(url: String, method: String, action: String? = nil, scope: String?) {
        self.url = url
        self.method = method
        self.action = action
        self.scope = scope
    }
}

/// Mint an authority token.
public struct MintRequest: Hashable, Sendable, Codable {
    public var profile: TokenProfile
    public var issuer: String
    /// The issuer's Ed25519 private key (a 32-byte seed; hex on the wire).
    public var issuerKey: Ed25519.PrivateKey
    public var scopes: [String]
    public var principal: String?
    public var budgetCents: Int64?
    public var maxDepth: Int64
    public var ttlSeconds: Int64
    public var now: Int64
    /// The key for the next block, for reproducible tokens; implementations may ignore it.
    public var nextKey: Ed25519.PrivateKey?
    /// The holder (`sub`) of a one-hop compact token or of a JWT chain's authority link.
    public var subject: String? = nil
    /// The holder's public key, for encodings that bind each holder to a key (the JWT chain's `cnf`).
    public var subjectKey: Ed25519.PublicKey? = nil
    /// Numbers a scenario asks for that are not integers (`budget_cents: 1.5`, `max_depth: 2.5`), by
    /// wire name: sent in place of the integer field, to test the issuer's own validation. An
    /// honest issuer refuses them (`aip_token_malformed`).
    public var fractions: [String: Double]? = nil

    public init(
        profile: TokenProfile, issuer: String, issuerKey: Ed25519.PrivateKey, scopes: [String], principal: String? = nil,
        budgetCents: Int64? = nil, maxDepth: Int64, ttlSeconds: Int64, now: Int64, nextKey: Ed25519.PrivateKey? = nil, subject: String? = nil,
        subjectKey: Ed25519.PublicKey? = nil
    ) {
        self.profile = profile
        self.issuer = issuer
        self.issuerKey = issuerKey
        self.scopes = scopes
        self.principal = principal
        self.budgetCents = budgetCents
        self.maxDepth = maxDepth
        self.ttlSeconds = ttlSeconds
        self.now = now
        self.nextKey = nextKey
        self.subject = subject
        self.subjectKey = subjectKey
    }

    enum CodingKeys: String, CodingKey {
        case profile, issuer, scopes, principal, now, subject
        case subjectKey = "subject_key"
        case issuerKey = "issuer_key"
        case budgetCents = "budget_cents"
        case maxDepth = "max_depth"
        case ttlSeconds = "ttl_seconds"
        case nextKey = "next_key"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(profile, forKey: .profile)
        try c.encode(issuer, forKey: .issuer)
        try c.encode(issuerKey, forKey: .issuerKey)
        try c.encode(scopes, forKey: .scopes)
        try c.encodeIfPresent(principal, forKey: .principal)
        if let fraction = fractions?[CodingKeys.budgetCents.rawValue] {
            try c.encode(fraction, forKey: .budgetCents)
        } else {
            try c.encodeIfPresent(budgetCents, forKey: .budgetCents)
        }
        if let fraction = fractions?[CodingKeys.maxDepth.rawValue] {
            try c.encode(fraction, forKey: .maxDepth)
        } else {
            try c.encode(maxDepth, forKey: .maxDepth)
        }
        try c.encode(ttlSeconds, forKey: .ttlSeconds)
        try c.encode(now, forKey: .now)
        try c.encodeIfPresent(nextKey, forKey: .nextKey)
        try c.encodeIfPresent(subject, forKey: .subject)
        try c.encodeIfPresent(subjectKey, forKey: .subjectKey)
    }
}

/// Append a delegation block.
public struct DelegateRequest: Hashable, Sendable, Codable {
    public var profile: TokenProfile
    public var token: String
    public var delegator: String
    public var delegate: String
    public var scopes: [String]
    public var context: String
    public var budgetCents: Int64?
    public var expiresAt: Int64?
    public var principal: String?
    public var now: Int64
    /// When present, sign the block with the delegator's key (signed delegation option; always
    /// present where each holder signs the next link, as in the JWT chain).
    public var delegatorKey: Ed25519.PrivateKey?
    public var nextKey: Ed25519.PrivateKey?
    /// The delegate's public key, for encodings that bind each holder to a key.
    public var delegateKey: Ed25519.PublicKey? = nil
    /// The revocation status the scenario's verifiers get (as in `verify`), so that an issuer can
    /// refuse to extend a chain that is already revoked.
    public var revocation: RevocationStatus? = nil

    public init(
        profile: TokenProfile, token: String, delegator: String, delegate: String, scopes: [String], context: String, budgetCents: Int64? = nil,
        expiresAt: Int64? = nil, principal: String? = nil, now: Int64, delegatorKey: Ed25519.PrivateKey? = nil,
        nextKey: Ed25519.PrivateKey? = nil, delegateKey: Ed25519.PublicKey? = nil, revocation: RevocationStatus? = nil
    ) {
        self.revocation = revocation
        self.profile = profile
        self.token = token
        self.delegator = delegator
        self.delegate = delegate
        self.scopes = scopes
        self.context = context
        self.budgetCents = budgetCents
        self.expiresAt = expiresAt
        self.principal = principal
        self.now = now
        self.delegatorKey = delegatorKey
        self.nextKey = nextKey
        self.delegateKey = delegateKey
    }

    enum CodingKeys: String, CodingKey {
        case profile, token, delegator, delegate, scopes, context, principal, now
        case budgetCents = "budget_cents"
        case expiresAt = "expires_at"
        case delegatorKey = "delegator_key"
        case delegateKey = "delegate_key"
        case nextKey = "next_key"
        case revocation
    }
}

/// An identity document entry handed to verifiers that resolve identities.
public struct IdentityEntry: Hashable, Sendable, Codable {
    public var id: String
    /// Current public keys, hex.
    /// Current public keys (hex on the wire).
    public var keys: [Ed25519.PublicKey]
    public var validFrom: Int64
    public var validUntil: Int64
    public var advertisesRevocation: Bool

    public init(id: String, keys: [Ed25519.PublicKey], validFrom: Int64, validUntil: Int64, advertisesRevocation: Bool) {
        self.id = id
        self.keys = keys
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.advertisesRevocation = advertisesRevocation
    }

    enum CodingKeys: String, CodingKey {
        case id, keys
        case validFrom = "valid_from"
        case validUntil = "valid_until"
        case advertisesRevocation = "advertises_revocation"
    }
}

/// Revocation status as of `refreshed_at`.
public struct RevocationStatus: Hashable, Sendable, Codable {
    public var refreshedAt: Int64
    public var revokedKeys: [Ed25519.PublicKey]
    /// Revoked token or block ids (hex on the wire).
    public var revokedIds: [HexBytes]
    public var maxStaleness: Int64

    public init(refreshedAt: Int64, revokedKeys: [Ed25519.PublicKey], revokedIds: [HexBytes], maxStaleness: Int64) {
        self.refreshedAt = refreshedAt
        self.revokedKeys = revokedKeys
        self.revokedIds = revokedIds
        self.maxStaleness = maxStaleness
    }

    enum CodingKeys: String, CodingKey {
        case refreshedAt = "refreshed_at"
        case revokedKeys = "revoked_keys"
        case revokedIds = "revoked_ids"
        case maxStaleness = "max_staleness"
    }
}

/// Verify a presented token.
public struct VerifyRequest: Hashable, Sendable, Codable {
    public var profile: TokenProfile
    /// nil: no token was presented.
    public var token: String?
    /// The trust anchor (hex public key).
    public var rootKey: Ed25519.PublicKey
    public var audience: String?
    public var requiredScope: String?
    public var now: Int64
    public var requireSignedDelegation: Bool
    public var identities: [IdentityEntry]?
    public var revocation: RevocationStatus?
    /// Token exchange: the token service's `iss`, its JWKS (JSON text), claim layout and the depth limit.
    public var issuer: String? = nil
    public var jwks: String? = nil
    public var layout: String? = nil
    public var maxDepth: Int64? = nil
    /// A call to a protected endpoint (resource-server verifiers: Agentic JWT); nil for the others.
    public var resource: ResourceRequest? = nil
    /// What a profile's verifier must know of the deployment beyond the common fields, as a JSON
    /// object's text (Agentic JWT: agent registrations, workflows, lifetimes; docs/TESTEE-PROTOCOL.md).
    public var profileSettings: String? = nil

    public init(
        profile: TokenProfile, token: String? = nil, rootKey: Ed25519.PublicKey, audience: String? = nil, requiredScope: String? = nil, now: Int64,
        requireSignedDelegation: Bool, identities: [IdentityEntry]? = nil, revocation: RevocationStatus? = nil, issuer: String? = nil,
        jwks: String? = nil, layout: String? = nil, maxDepth: Int64? = nil
    ) {
        self.profile = profile
        self.token = token
        self.rootKey = rootKey
        self.audience = audience
        self.requiredScope = requiredScope
        self.now = now
        self.requireSignedDelegation = requireSignedDelegation
        self.identities = identities
        self.revocation = revocation
        self.issuer = issuer
        self.jwks = jwks
        self.layout = layout
        self.maxDepth = maxDepth
    }

    enum CodingKeys: String, CodingKey {
        case profile, token, audience, now, identities, revocation, issuer, jwks, layout, resource
        case maxDepth = "max_depth"
        case profileSettings = "profile_settings"
        case rootKey = "root_key"
        case requiredScope = "required_scope"
        case requireSignedDelegation = "require_signed_delegation"
    }
}

/// One HTTP request to a protected endpoint, as the verifier receives it: the method, the full
/// URL, the headers besides the access token (`DPoP` …), the endpoint's action, and the session
/// whose server state (used proofs, completed workflow steps) the call belongs to.
public struct ResourceRequest: Hashable, Sendable, Codable {
    public var session: String
    public var method: String
    public var url: String
    /// Header name and value pairs, in order.
    public var headers: [[String]]
    /// The action (tool) the endpoint serves.
    public var action: String

    public init(session: String, method: String, url: String, headers: [[String]], action: String) {
        self.session = session
        self.method = method
        self.url = url
        self.headers = headers
        self.action = action
    }

    /// The first header of this name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.count == 2 && $0[0].lowercased() == name.lowercased() }?[1]
    }
}

/// An issuer's answer: a token, or a refusal (an `Outcome` with verdict reject).
public enum IssueResult: Hashable, Sendable {
    case token(String)
    case refused(Outcome)
}
