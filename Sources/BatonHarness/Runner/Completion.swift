/// An agent's completion evidence: the token it worked under with its completion block, and the
/// hash of the artifacts it answered with.
public struct Completion: Hashable, Sendable {
    /// The token with the completion block appended.
    public var token: String
    /// `sha256:` of the artifacts the agent answered with.
    public var resultHash: String
}
