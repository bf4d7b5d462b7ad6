import BatonCrypto
import JOSE
import TokenExchange

/// A refusal of ZeroID's admin API (`/api/v1/…`, huma handlers): the HTTP status and huma's `detail`.
public struct ZeroIDAdminError: Error, Hashable, Sendable, CustomStringConvertible {
    public var status: Int
    public var detail: String

    public init(_ status: Int, _ detail: String) {
        self.status = status
        self.detail = detail
    }

    public var description: String { "HTTP \(status): \(detail)" }
}

/// The body of `POST /api/v1/identities` (the tenant comes from `X-Account-ID`/`X-Project-ID`).
public struct IdentityRegistration: Hashable, Sendable {
    public var account: String
    public var project: String
    public var externalID: String
    public var ownerUserID: String
    public var publicKeyPEM: String?
    public var allowedScopes: [String]?
    public var credentialPolicyID: String?
    /// `agent`, `application`, `mcp_server` or `service`; ZeroID's default is `agent`.
    public var identityType: String
    public var subType: String?
    public var trustLevel: TrustLevel

    public init(
        account: String, project: String, externalID: String, ownerUserID: String, publicKeyPEM: String? = nil, allowedScopes: [String]? = nil,
        credentialPolicyID: String? = nil, identityType: String = "agent", subType: String? = nil, trustLevel: TrustLevel = .unverified
    ) {
        self.account = account
        self.project = project
        self.externalID = externalID
        self.ownerUserID = ownerUserID
        self.publicKeyPEM = publicKeyPEM
        self.allowedScopes = allowedScopes
        self.credentialPolicyID = credentialPolicyID
        self.identityType = identityType
        self.subType = subType
        self.trustLevel = trustLevel
    }
}

/// ZeroID's admin API over the service's registry, with the rules ZeroID f08f979 applies
/// (`internal/handler/identity.go`, `credential_policy.go`, `oauth_client.go` and their services):
/// identities unique per tenant and `external_id`, keys validated as P-256 SPKI, policies with the
/// API's defaults and unique names per tenant, OAuth clients registered globally.
extension ZeroIDService {
    /// The identity types and, for agents, the sub-types ZeroID's schema accepts.
    public static let identityTypes = ["agent", "application", "mcp_server", "service"]
    public static let agentSubTypes = [
        "orchestrator", "autonomous", "tool_agent", "human_proxy", "evaluator", "chatbot", "assistant", "code_agent", "custom",
    ]
    /// The grant types a credential policy may name (short forms; URNs are normalized to them).
    public static let grantTypes = [
        "client_credentials", "api_key", "jwt_bearer", "token_exchange", "authorization_code", "refresh_token",
        "urn:openid:params:grant-type:ciba",
    ]
    /// Statuses `PATCH /identities/{id}` may set, and where each may go from (ZeroID's transition table).
    static let transitions: [String: Set<String>] = [
        "discovered": ["pending", "active", "deactivated"], "pending": ["active", "discovered", "deactivated"],
        "active": ["suspended", "deactivated", "expired"], "suspended": ["active", "deactivated", "expired"],
        "deactivated": ["active"], "expired": ["deactivated"],
    ]

    /// Whether `pem` is what ZeroID accepts as a `public_key_pem`: a `PUBLIC KEY` block holding a P-256 key.
    public static func isP256PublicKey(_ pem: String) -> Bool {
        guard let key = try? JWSVerificationKey(pem: pem) else { return false }
        return key.algorithm == .es256
    }

    /// `POST /api/v1/identities`: 201 with the identity, whose WIMSE URI the service builds.
    public mutating func registerIdentity(_ r: IdentityRegistration, now: Int64 = 0) throws(ZeroIDAdminError) -> ZeroIDIdentity {
        guard !r.externalID.isEmpty else { throw ZeroIDAdminError(422, "external_id is required") }
        guard !r.ownerUserID.isEmpty else { throw ZeroIDAdminError(422, "owner_user_id is required") }
        guard Self.identityTypes.contains(r.identityType) else {
            throw ZeroIDAdminError(400, "invalid identity_type: must be agent, application, mcp_server, or service")
        }
        if let sub = r.subType, r.identityType != "agent" || !Self.agentSubTypes.contains(sub) {
            throw ZeroIDAdminError(400, "invalid sub_type for the given identity_type")
        }
        for segment in [r.account, r.project, r.externalID] where !Self.isPathSegment(segment) {
            throw ZeroIDAdminError(400, "invalid identity field: \(segment) is not a valid SPIFFE path segment")
        }
        if let pem = r.publicKeyPEM, !pem.isEmpty, !Self.isP256PublicKey(pem) {
            throw ZeroIDAdminError(400, "invalid public_key_pem: must be a PEM block of type PUBLIC KEY holding a P-256 key")
        }
        if let id = r.credentialPolicyID, !id.isEmpty {
            guard let p = policies[id], p.tenant == nil || p.tenant == "\(r.account)/\(r.project)" else {
                throw ZeroIDAdminError(400, "credential policy not found in this tenant")
            }
        }
        guard let uri = WorkloadURI("spiffe://\(configuration.wimseDomain)/\(r.account)/\(r.project)/\(r.identityType)/\(r.externalID)") else {
            throw ZeroIDAdminError(400, "invalid identity field: cannot build a WIMSE URI")
        }
        guard identities[uri.description] == nil else { throw ZeroIDAdminError(409, "identity with this external_id already exists") }
        var identity = ZeroIDIdentity(
            uri: uri, ownerUserID: r.ownerUserID, publicKeyPEM: r.publicKeyPEM.flatMap { $0.isEmpty ? nil : $0 },
            allowedScopes: r.allowedScopes, policyID: r.credentialPolicyID.flatMap { $0.isEmpty ? nil : $0 },
            subType: r.subType ?? (r.identityType == "agent" ? "tool_agent" : ""), trustLevel: r.trustLevel, status: "active")
        (identity.createdAt, identity.updatedAt) = (now, now)
        identities[uri.description] = identity
        return identity
    }

    /// The identity with this UUID in the tenant.
    public func identity(id: String, account: String, project: String) -> ZeroIDIdentity? {
        identities.values.first { $0.id == id && $0.account == account && $0.project == project }
    }

    /// `PATCH /api/v1/identities/{id}`: a new status (along ZeroID's transitions), key, trust level or scopes.
    public mutating func updateIdentity(
        id: String, account: String, project: String, status: String? = nil, publicKeyPEM: String? = nil, trustLevel: TrustLevel? = nil,
        allowedScopes: [String]? = nil, now: Int64 = 0
    ) throws(ZeroIDAdminError) -> ZeroIDIdentity {
        guard var identity = identity(id: id, account: account, project: project) else { throw ZeroIDAdminError(404, "identity not found") }
        if let pem = publicKeyPEM, !pem.isEmpty {
            guard Self.isP256PublicKey(pem) else {
                throw ZeroIDAdminError(400, "invalid public_key_pem: must be a PEM block of type PUBLIC KEY holding a P-256 key")
            }
            identity.publicKeyPEM = pem
        }
        if let status, status != identity.status {
            guard ["pending", "active", "suspended", "deactivated"].contains(status) else {
                throw ZeroIDAdminError(422, "status must be one of pending, active, suspended, deactivated")
            }
            guard Self.transitions[identity.status]?.contains(status) == true else {
                throw ZeroIDAdminError(400, "invalid status transition from \(identity.status) to \(status)")
            }
            identity.status = status
        }
        if let trustLevel { identity.trustLevel = trustLevel }
        if let allowedScopes { identity.allowedScopes = allowedScopes }
        identity.updatedAt = now
        identities[identity.uri.description] = identity
        return identity
    }

    /// `POST /api/v1/credential-policies`: the API's defaults for what is left out (one hour,
    /// `[client_credentials]`, depth 0), active, named uniquely in its tenant.
    public mutating func createPolicy(
        account: String, project: String, name: String, maxDelegationDepth: Int64 = 0, maxTTLSeconds: Int64 = 0, allowedGrantTypes: [String] = [],
        allowedScopes: [String] = [], requiredTrustLevel: String? = nil, now: Int64 = 0
    ) throws(ZeroIDAdminError) -> CredentialPolicy {
        guard !name.isEmpty else { throw ZeroIDAdminError(422, "name is required") }
        let tenant = "\(account)/\(project)"
        guard !policies.values.contains(where: { $0.tenant == tenant && $0.name == name }) else {
            throw ZeroIDAdminError(409, "credential policy with this name already exists")
        }
        let grants = (allowedGrantTypes.isEmpty ? ["client_credentials"] : allowedGrantTypes).map(Self.shortGrantType)
        // ZeroID answers an unknown grant type or trust level with a 500 ("failed to create credential policy").
        guard grants.allSatisfy(Self.grantTypes.contains) else { throw ZeroIDAdminError(500, "failed to create credential policy") }
        var level: TrustLevel?
        if let t = requiredTrustLevel, !t.isEmpty {
            guard let l = TrustLevel(rawValue: t) else { throw ZeroIDAdminError(500, "failed to create credential policy") }
            level = l
        }
        var policy = CredentialPolicy(
            id: ZeroIDUUID.derived(from: "policy|\(tenant)|\(name)"), maxDelegationDepth: maxDelegationDepth,
            maxTTLSeconds: maxTTLSeconds > 0 ? maxTTLSeconds : 3600, allowedGrantTypes: grants, allowedScopes: allowedScopes,
            requiredTrustLevel: level, active: true, name: name, tenant: tenant)
        (policy.createdAt, policy.updatedAt) = (now, now)
        policies[policy.id] = policy
        return policy
    }

    /// `PATCH /api/v1/credential-policies/{id}`: the fields given.
    public mutating func updatePolicy(
        id: String, account: String, project: String, active: Bool? = nil, maxDelegationDepth: Int64? = nil, maxTTLSeconds: Int64? = nil,
        now: Int64 = 0
    ) throws(ZeroIDAdminError) -> CredentialPolicy {
        guard var policy = policies[id], policy.tenant == nil || policy.tenant == "\(account)/\(project)" else {
            throw ZeroIDAdminError(404, "credential policy not found")
        }
        if let active { policy.active = active }
        if let maxDelegationDepth { policy.maxDelegationDepth = maxDelegationDepth }
        if let maxTTLSeconds { policy.maxTTLSeconds = maxTTLSeconds }
        policy.updatedAt = now
        policies[id] = policy
        return policy
    }

    /// `POST /api/v1/oauth/clients` for a confidential client: the client and its secret, shown once.
    public mutating func registerClient(clientID: String, grantTypes: [String], scopes: [String], now: Int64 = 0) throws(ZeroIDAdminError) -> (
        client: ZeroIDOAuthClient, secret: String
    ) {
        guard !clientID.isEmpty else { throw ZeroIDAdminError(422, "client_id is required") }
        guard clients[clientID] == nil else { throw ZeroIDAdminError(409, "oauth client with this client_id already exists") }
        let secret = Base64URL.encode(SecureRandom.bytes(32), padded: false)
        var client = ZeroIDOAuthClient(
            clientID: clientID, secretDigest: Hex.encode(Array(SHA256.hash(Array(secret.utf8)))),
            grantTypes: grantTypes.isEmpty ? ["client_credentials"] : grantTypes.map(Self.shortGrantType), scopes: scopes)
        client.createdAt = now
        clients[clientID] = client
        return (client, secret)
    }

    /// `client_credentials` with a registered client (ZeroID's `clientCredentials`): the tenant from the
    /// request, the client's secret and grant, scopes = requested ∩ the client's (all of them when none is
    /// requested), then the identity whose `external_id` is the `client_id`, issued as a root credential.
    public mutating func issueClientCredentials(
        clientID: String, secret: String, account: String, project: String, scope: String, now: Int64
    ) throws(ZeroIDError) -> String {
        guard !account.isEmpty, !project.isEmpty else {
            throw ZeroIDError(.invalidRequest, at: .request, "account_id and project_id are required for client_credentials grant")
        }
        guard let client = clients[clientID], client.secretDigest == Hex.encode(Array(SHA256.hash(Array(secret.utf8)))) else {
            throw ZeroIDError(.invalidClient, at: .request, "invalid client credentials")
        }
        guard client.grantTypes.contains("client_credentials") else {
            throw ZeroIDError(.unauthorizedClient, at: .request, "client not authorized for client_credentials grant")
        }
        guard !client.scopes.isEmpty else {
            throw ZeroIDError(.invalidScope, at: .scope, "client is registered with no scopes and cannot be granted any")
        }
        let requested = scope.split(separator: " ").map(String.init)
        let scopes = requested.isEmpty ? client.scopes : requested.filter(client.scopes.contains)
        guard let identity = identities.values.first(where: { $0.externalID == clientID && $0.account == account && $0.project == project }) else {
            throw ZeroIDError(.invalidClient, at: .request, "no identity found for client_id \(clientID)")
        }
        guard identity.status == "active" else { throw ZeroIDError(.invalidGrant, at: .actorIdentity, "identity is suspended or deactivated") }
        do {
            return try issueRootCredential(identity: identity.uri.description, scopes: scopes, ttl: configuration.defaultTTL, now: now)
        } catch let e as ZeroIDError {
            throw e
        } catch {
            throw ZeroIDError(.serverError, at: .request, "an unexpected error occurred")
        }
    }

    static func shortGrantType(_ grant: String) -> String {
        switch grant {
        case TokenExchangeRequest.grantType: return "token_exchange"
        case "urn:ietf:params:oauth:grant-type:jwt-bearer": return "jwt_bearer"
        default: return grant
        }
    }

    /// A SPIFFE path segment as ZeroID accepts one: letters, digits, `.`, `-`, `_`.
    static func isPathSegment(_ s: String) -> Bool {
        !s.isEmpty && s != "." && s != ".." && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
    }
}
