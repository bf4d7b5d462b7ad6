import BatonModel
import Foundation
import JOSE
import TokenExchange
import ZeroID

/// What a ZeroID service must be told beyond the common set-up (`TokenServiceSetup.profile_settings`):
/// the WIMSE domain, token profile, compatibility, default TTL, policies and identities. The same
/// JSON an HTTP ZeroID target turns into its admin API calls.
struct ZeroIDDeployment: Codable, Hashable, Sendable {
    var wimseDomain: String
    var profile: ZeroIDTokenProfile
    var compat: ZeroIDCompatibility
    var defaultTTL: Int64
    var policies: [Policy]
    var identities: [Identity]

    struct Policy: Codable, Hashable, Sendable {
        var id: String
        var maxDelegationDepth: Int64
        var maxTTLSeconds: Int64
        var allowedGrantTypes: [String]
        var allowedScopes: [String]
        var requiredTrustLevel: TrustLevel?
        var active: Bool

        enum CodingKeys: String, CodingKey {
            case id, active
            case maxDelegationDepth = "max_delegation_depth"
            case maxTTLSeconds = "max_ttl_seconds"
            case allowedGrantTypes = "allowed_grant_types"
            case allowedScopes = "allowed_scopes"
            case requiredTrustLevel = "required_trust_level"
        }
    }

    struct Identity: Codable, Hashable, Sendable {
        var name: String
        var wimseURI: String
        var publicKeyPEM: String?
        var allowedScopes: [String]?
        var credentialPolicyID: String?
        var subType: String
        var trustLevel: TrustLevel
        var status: String
        var ownerUserID: String
        /// false: an agent the deployment has never heard of (listed so a target can say how the
        /// deployment would name it); nil or true: registered.
        var registered: Bool? = nil

        var isRegistered: Bool { registered ?? true }

        enum CodingKeys: String, CodingKey {
            case name, status, registered
            case wimseURI = "wimse_uri"
            case publicKeyPEM = "public_key_pem"
            case allowedScopes = "allowed_scopes"
            case credentialPolicyID = "credential_policy_id"
            case subType = "sub_type"
            case trustLevel = "trust_level"
            case ownerUserID = "owner_user_id"
        }
    }

    enum CodingKeys: String, CodingKey {
        case profile, compat, policies, identities
        case wimseDomain = "wimse_domain"
        case defaultTTL = "default_ttl"
    }

    var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    init(
        wimseDomain: String, profile: ZeroIDTokenProfile, compat: ZeroIDCompatibility, defaultTTL: Int64, policies: [Policy], identities: [Identity]
    ) {
        self.wimseDomain = wimseDomain
        self.profile = profile
        self.compat = compat
        self.defaultTTL = defaultTTL
        self.policies = policies
        self.identities = identities
    }

    init(jsonText: String) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(jsonText.utf8))
    }

    /// The reference service this deployment describes.
    func service(issuer: String, signingKey: JWSSigningKey, flaws: Set<ZeroIDFlaw>) throws -> ZeroIDService {
        let configuration = ZeroIDConfiguration(
            issuer: issuer, wimseDomain: wimseDomain, profile: profile, compatibility: compat, defaultTTL: defaultTTL)
        let identities = try identities.filter(\.isRegistered).map { i in
            guard let uri = WorkloadURI(i.wimseURI) else { throw ReferenceSetupError("\(i.wimseURI) is not a WIMSE URI") }
            return ZeroIDIdentity(
                uri: uri, ownerUserID: i.ownerUserID, publicKeyPEM: i.publicKeyPEM, allowedScopes: i.allowedScopes, policyID: i.credentialPolicyID,
                subType: i.subType, trustLevel: i.trustLevel, status: i.status)
        }
        let policies = policies.map {
            CredentialPolicy(
                id: $0.id, maxDelegationDepth: $0.maxDelegationDepth, maxTTLSeconds: $0.maxTTLSeconds, allowedGrantTypes: $0.allowedGrantTypes,
                allowedScopes: $0.allowedScopes, requiredTrustLevel: $0.requiredTrustLevel, active: $0.active)
        }
        return ZeroIDService(configuration: configuration, signingKey: signingKey, identities: identities, policies: policies, flaws: flaws)
    }
}
