/// Limits on a Datalog run (the reference's `RunLimits`, same defaults).
public struct RunLimits: Hashable, Sendable {
    /// Maximum number of facts in the world (counted per origin set, as the reference does).
    public var maxFacts: Int = 1000
    /// Maximum number of rule-application rounds.
    public var maxIterations: Int = 100
    /// Maximum wall time, measured with `ContinuousClock`.
    public var maxTime: Duration = .milliseconds(1)

    /// Limits; the defaults are the reference's.
    public init(maxFacts: Int = 1000, maxIterations: Int = 100, maxTime: Duration = .milliseconds(1)) {
        self.maxFacts = maxFacts
        self.maxIterations = maxIterations
        self.maxTime = maxTime
    }
}
