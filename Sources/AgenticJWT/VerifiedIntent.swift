/// What a resource server learned from a call it accepted.
public struct VerifiedIntent: Equatable, Sendable {
    public var claims: IntentClaims
    /// The thumbprint of the key that proved possession (nil with the `skip-pop` flaw).
    public var proofKey: String?
}
