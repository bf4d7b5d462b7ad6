import BatonCrypto

/// What Baton asks of a token service under test (profiles `token-exchange` and
/// `agentic-jwt`). These are also testee-protocol bodies (snake_case on the wire).

/// One agent the token service must know before a scenario starts.
public struct TokenServiceAgent: Hashable, Sendable, Codable {
    /// The scenario's name for the agent (`researcher`).
    public var name: String
    /// Its workload URI (`spiffe://acme.com/acme/delegation/agent/researcher`).
    public var uri: String
    /// Its public key (SubjectPublicKeyInfo PEM); nil: registered without a key.
    public var publicKeyPEM: String?
    public var scopes: [String]
    public var maxDepth: Int64?
    public var grantTypes: [String]
    /// Agentic JWT: the checksum of the agent's definition it registers with.
    public var checksum: String? = nil
    /// Agentic JWT: the registration id its tokens cite (`agent_proof.registration_id`).
    public var registrationID: String? = nil

    public init(
        name: String, uri: String, publicKeyPEM: String? = nil, scopes: [String], maxDepth: Int64? = nil, grantTypes: [String],
        checksum: String? = nil, registrationID: String? = nil
    ) {
        self.name = name
        self.uri = uri
        self.publicKeyPEM = publicKeyPEM
        self.scopes = scopes
        self.maxDepth = maxDepth
        self.grantTypes = grantTypes
        self.checksum = checksum
        self.registrationID = registrationID
    }

    enum CodingKeys: String, CodingKey {
        case name, uri, scopes, checksum
        case publicKeyPEM = "public_key_pem"
        case maxDepth = "max_depth"
        case grantTypes = "grant_types"
        case registrationID = "registration_id"
    }
}

/// Sets up a fresh token service for one scenario (`session`).
public struct TokenServiceSetup: Hashable, Sendable, Codable {
    /// The profile whose token service this is; nil: `token-exchange`.
    public var profile: TokenProfile? = nil
    public var session: String
    public var issuer: String
    /// `agent-subject` or `rfc8693`.
    public var layout: String
    /// `EdDSA`, `ES256` or (Agentic JWT) `RS256`.
    public var algorithm: String
    /// The service's signing key: a 32-byte seed (EdDSA), a P-256 scalar (ES256) or a PKCS#8 DER
    /// RSA key (RS256), hex; implementations may use their own key and publish it in the answer's JWKS.
    public var signingKey: HexBytes
    public var tokenLifetime: Int64
    public var maxAssertionLifetime: Int64
    public var maxDepth: Int64
    public var delegableScopes: [String]?
    public var agents: [TokenServiceAgent]
    public var now: Int64
    /// What a profile's service needs beyond the common settings, as a JSON object's text
    /// (Agentic JWT: `workflows`, `approvals`, `hash_form`, `binding`; see docs/TESTEE-PROTOCOL.md).
    public var profileSettings: String? = nil

    public init(
        session: String, issuer: String, layout: String, algorithm: String, signingKey: HexBytes, tokenLifetime: Int64, maxAssertionLifetime: Int64,
        maxDepth: Int64, delegableScopes: [String]? = nil, agents: [TokenServiceAgent], now: Int64
    ) {
        self.session = session
        self.issuer = issuer
        self.layout = layout
        self.algorithm = algorithm
        self.signingKey = signingKey
        self.tokenLifetime = tokenLifetime
        self.maxAssertionLifetime = maxAssertionLifetime
        self.maxDepth = maxDepth
        self.delegableScopes = delegableScopes
        self.agents = agents
        self.now = now
    }

    enum CodingKeys: String, CodingKey {
        case profile, session, issuer, layout, algorithm, agents, now
        case profileSettings = "profile_settings"
        case signingKey = "signing_key"
        case tokenLifetime = "token_lifetime"
        case maxAssertionLifetime = "max_assertion_lifetime"
        case maxDepth = "max_depth"
        case delegableScopes = "delegable_scopes"
    }
}

extension TokenServiceSetup {
    /// What a scenario gets when it does not say: a service-wide depth limit of 4, tokens that live
    /// 900 s, actor assertions of at most 300 s. A target that cannot configure a service (plain
    /// RFC 7591) can run only scenarios that keep these.
    public enum Defaults {
        public static let tokenLifetime: Int64 = 900
        public static let maxAssertionLifetime: Int64 = 300
        public static let maxDepth: Int64 = 4
    }
}

/// What a token service tells Baton after set-up.
public struct TokenServiceInfo: Hashable, Sendable, Codable {
    /// The `iss` of its tokens and the `aud` of actor assertions.
    public var issuer: String
    /// Its JWKS, as JSON text.
    public var jwks: String
    /// How the service names each agent in tokens, by scenario name (absent: the URI given).
    public var identities: [String: String]
    /// The claim layout of its tokens (`agent-subject` or `rfc8693`) when it differs from what the
    /// scenario asked for, e.g. a real service with a layout of its own; nil: the scenario's.
    public var layout: String? = nil
    /// Agents the service refused to register, each with why (Agentic JWT: a duplicate checksum).
    public var refusedRegistrations: [String]? = nil

    public init(issuer: String, jwks: String, identities: [String: String], layout: String? = nil) {
        self.issuer = issuer
        self.jwks = jwks
        self.identities = identities
        self.layout = layout
    }

    enum CodingKeys: String, CodingKey {
        case issuer, jwks, identities, layout
        case refusedRegistrations = "refused_registrations"
    }
}

/// Issue the token an agent starts with when a person authorizes it.
public struct LoginRequest: Hashable, Sendable, Codable {
    /// The profile whose token service is asked; nil: `token-exchange`.
    public var profile: TokenProfile? = nil
    public var session: String
    public var agent: String
    public var principal: String
    public var scopes: [String]
    public var audience: String?
    public var ttlSeconds: Int64
    public var now: Int64

    public init(session: String, agent: String, principal: String, scopes: [String], audience: String? = nil, ttlSeconds: Int64, now: Int64) {
        self.session = session
        self.agent = agent
        self.principal = principal
        self.scopes = scopes
        self.audience = audience
        self.ttlSeconds = ttlSeconds
        self.now = now
    }

    enum CodingKeys: String, CodingKey {
        case profile, session, agent, principal, scopes, audience, now
        case ttlSeconds = "ttl_seconds"
    }
}

/// One token request, made by `client` (the sub-agent) with form `parameters` in order.
public struct ExchangeCall: Hashable, Sendable, Codable {
    /// The profile whose token service is asked; nil: `token-exchange`.
    public var profile: TokenProfile? = nil
    public var session: String
    public var client: String
    public var parameters: [[String]]
    public var now: Int64
    /// The token service's endpoint: nil for the token endpoint; `introspect`, `revoke` or `lineage`
    /// (ZeroID: `/oauth2/token/introspect`, `/oauth2/token/revoke`, `/api/v1/delegations/by-jti/{jti}`),
    /// each with one parameter, `token`.
    public var endpoint: String? = nil

    public init(profile: TokenProfile? = nil, session: String, client: String, parameters: [[String]], now: Int64, endpoint: String? = nil) {
        self.profile = profile
        self.endpoint = endpoint
        self.session = session
        self.client = client
        self.parameters = parameters
        self.now = now
    }
}

/// The answer to a set-up: the service's description, or why it could not be set up.
public enum TokenServiceSetupResult: Hashable, Sendable {
    case ready(TokenServiceInfo)
    case failed(Outcome)
}
