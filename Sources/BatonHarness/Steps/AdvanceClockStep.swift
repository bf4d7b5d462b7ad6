import BatonModel

/// `advance_clock: SECONDS`: time passes for everyone.
public struct AdvanceClockStep: ScenarioStepKind, Hashable {
    public static let keyword = "advance_clock"
    public var seconds: Int64

    public static func parse(_ f: YAMLField, expect: Expectation?, context: inout ScenarioContext) throws -> AdvanceClockStep {
        AdvanceClockStep(seconds: Int64(try f.int()))
    }

    public func perform(_ run: inout StepRun) async throws -> Outcome? {
        run.state.clock.advance(by: seconds)
        run.log("\(run.label): clock advances \(seconds)s to \(run.state.clock.rfc3339)")
        return nil
    }
}
