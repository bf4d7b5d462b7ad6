import BatonModel

/// Runs a catalog of scenarios against one implementation, in id order, applying
/// its known-failure list; scenario files that failed to load become error results.
public struct SuiteRun: Sendable {
    public var runner: ScenarioRunner
    public var knownFailures: KnownFailures

    /// How the result of a scenario file that could not be loaded is named: this prefix, then the file.
    public static let brokenFilePrefix = "file:"

    public init(runner: ScenarioRunner, knownFailures: KnownFailures = .init()) {
        self.runner = runner
        self.knownFailures = knownFailures
    }

    /// Runs everything, calling `starting` before each scenario and `progress` after each case (for the
    /// console).
    public func run(
        _ catalog: ScenarioLoader.Catalog, profiles: [TokenProfile], starting: (Scenario) -> Void = { _ in },
        progress: (CaseResult) -> Void = { _ in }, shouldStop: () -> Bool = { false }
    ) async -> RunReport {
        var results: [CaseResult] = []
        let d = runner.implementation.descriptor
        for error in catalog.errors {
            let r = CaseResult(
                scenarioId: "\(Self.brokenFilePrefix)\(error.file)", title: "scenario file could not be loaded", file: error.file,
                implementation: d.name, status: .error, message: error.description)
            results.append(r)
            progress(r)
        }
        var interrupted = false
        for scenario in catalog.scenarios {
            if shouldStop() { interrupted = true; break }
            starting(scenario)
            let r = knownFailures.apply(to: await runner.run(scenario))
            results.append(r)
            progress(r)
        }
        return RunReport(
            toolVersion: BatonVersion.current, implementation: d.name, implementationVersion: d.version,
            profiles: profiles, results: results, interrupted: interrupted)
    }
}
