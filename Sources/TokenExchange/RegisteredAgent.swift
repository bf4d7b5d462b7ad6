import JOSE

/// A sub-agent as the token service knows it: its workload URI, the public key its
/// actor assertions must verify under, what it may be granted, and its policy.
public struct RegisteredAgent: Hashable, Sendable {
    /// The workload URI (`spiffe://…`), which is also the `iss` and `sub` of its assertions.
    public var uri: String
    /// Its public key; nil models an agent registered without one (it can never prove itself).
    public var publicKey: JWSVerificationKey?
    /// Scopes the agent may ever hold.
    public var allowedScopes: [String]
    /// The deepest `delegation_depth` a token issued to it may have; nil: the service-wide limit.
    public var maxDepth: Int64?
    /// Grant types the agent may use.
    public var grantTypes: Set<String>

    public init(
        uri: String, publicKey: JWSVerificationKey?, allowedScopes: [String], maxDepth: Int64? = nil,
        grantTypes: Set<String> = [TokenExchangeRequest.grantType]
    ) {
        self.uri = uri
        self.publicKey = publicKey
        self.allowedScopes = allowedScopes
        self.maxDepth = maxDepth
        self.grantTypes = grantTypes
    }

    /// The public key as PEM (SubjectPublicKeyInfo), as registries store it.
    public var publicKeyPEM: String? { publicKey?.pem }

    public static func == (lhs: RegisteredAgent, rhs: RegisteredAgent) -> Bool {
        lhs.uri == rhs.uri && lhs.publicKey == rhs.publicKey && lhs.allowedScopes == rhs.allowedScopes
            && lhs.maxDepth == rhs.maxDepth && lhs.grantTypes == rhs.grantTypes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(uri)
        hasher.combine(publicKey?.rawBytes)
        hasher.combine(allowedScopes)
        hasher.combine(maxDepth)
        hasher.combine(grantTypes)
    }
}
