import BatonCrypto

/// What an agent asks its issuer for when it delegates: the token it holds, narrowed for a peer.
public struct DelegationOrder: Hashable, Sendable {
    /// The token being narrowed.
    public var token: String
    /// The delegating agent's name and its current key.
    public var delegator: String
    public var delegatorKey: Ed25519.PrivateKey
    /// The peer's name on the bus and the identity its card gave.
    public var delegate: String
    public var delegateIdentity: String
    public var delegation: Delegation
    /// The delegating agent's identity (empty: not stated; the world knows it by name).
    public var delegatorIdentity: String

    public init(
        token: String, delegator: String, delegatorKey: Ed25519.PrivateKey, delegate: String, delegateIdentity: String, delegation: Delegation,
        delegatorIdentity: String = ""
    ) {
        self.delegatorIdentity = delegatorIdentity
        self.token = token
        self.delegator = delegator
        self.delegatorKey = delegatorKey
        self.delegate = delegate
        self.delegateIdentity = delegateIdentity
        self.delegation = delegation
    }
}
