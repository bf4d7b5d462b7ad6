/// What one run of a fuzz target reached, for tests that check the seeds go
/// deep (a seed token that never gets past parsing is a poor seed).
public struct FuzzReport: Hashable, Sendable {
    /// Names of the stages reached, e.g. `parsed`, `signatures_verified`, in order, without repeats.
    public private(set) var milestones: [String] = []

    public init() {}

    /// Records that `milestone` was reached.
    public mutating func reach(_ milestone: String) {
        if !milestones.contains(milestone) { milestones.append(milestone) }
    }

    /// Whether `milestone` was reached.
    public func reached(_ milestone: String) -> Bool { milestones.contains(milestone) }
}
