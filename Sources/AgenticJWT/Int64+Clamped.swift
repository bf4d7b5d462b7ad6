extension Int64 {
    /// `self + other`, held at the bounds instead of overflowing: times from tokens and scenarios
    /// may be anything, and a verifier must refuse them, not trap.
    func addingClamped(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}
